/**
 * The real kustomize layouts of ../shared/corpus/kustomize built by core/kustomize, checked
 * against what their SOURCES.tsv says the build emits. Skipped, saying so, without the corpus.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildKustomization, toJSON, type KustomizeBuild, type Traced } from '../../../server/out/core/kustomize';
import { diskHost } from './kustomize-host';

const CORPUS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'kustomize');
const SKIP = fs.existsSync(CORPUS) ? false : `the kustomize corpus is not at ${CORPUS}`;

function build(layout: string, dir: string): KustomizeBuild {
  return buildKustomization(path.join(CORPUS, layout, dir).split(path.sep).join('/'), diskHost);
}

interface Obj {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    replicas?: number;
    type?: string;
    clusterIP?: string;
    selector?: Record<string, unknown>;
    template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: PodSpec };
  };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers?: { name: string; ports?: { containerPort: number }[]; lifecycle?: { preStop?: unknown } }[];
  volumes?: Record<string, unknown>[];
}

function objects(b: KustomizeBuild, kind: string): Obj[] {
  return b.objects.map((o) => toJSON(o.value) as Obj).filter((o) => o.kind === kind);
}

function one(b: KustomizeBuild, kind: string, name: string): Obj {
  const o = objects(b, kind).find((x) => x.metadata?.name === name);
  assert.ok(o, `${kind} ${name} in ${b.root}`);
  return o;
}

function at(t: Traced | undefined, ...p: (string | number)[]): Traced | undefined {
  let cur = t;
  for (const k of p) cur = cur?.kind === 'map' ? cur.entries.find((e) => e.key === k)?.value : cur?.kind === 'list' && typeof k === 'number' ? cur.items[k] : undefined;
  return cur;
}

const PLATFORM = 'vinicius-ssantos+personal-platform-infra+k8s';

test('personal-platform-infra: every built Deployment has the preStop hook and grace period a base patch adds', { skip: SKIP }, () => {
  const patchFile = path.join(CORPUS, PLATFORM, 'base', 'graceful-shutdown-patch.yaml').split(path.sep).join('/');
  for (const [dir, count] of [['base', 72], ['overlays/local', 75], ['overlays/vps', 76]] as const) {
    const b = build(PLATFORM, dir);
    assert.deepEqual(b.notes, [], dir);
    assert.equal(b.objects.length, count, dir);
    const deployments = b.objects.filter((o) => (toJSON(o.value) as Obj).kind === 'Deployment');
    assert.equal(deployments.length, 14, dir);
    for (const d of deployments) {
      const spec = at(d.value, 'spec', 'template', 'spec');
      assert.deepEqual(toJSON(at(spec, 'terminationGracePeriodSeconds')!), 30);
      const preStop = at(spec, 'containers', 0, 'lifecycle', 'preStop');
      assert.deepEqual(toJSON(preStop!), { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } });
      assert.equal(preStop?.src?.file, patchFile);
      assert.ok(d.patchedBy.includes(patchFile));
      assert.doesNotMatch(diskHost.readFile(d.resource.file) ?? '', /preStop/, `${d.resource.file} has no preStop of its own`);
    }
  }
});

test('bank-of-anthos: components (nested), inline JSON patches, commonLabels, namespace and the production Service patch', { skip: SKIP }, () => {
  const layout = 'GoogleCloudPlatform+bank-of-anthos+frontend';
  for (const o of ['development', 'staging', 'production', 'production-fwi', 'production-fwi-ingress']) {
    const b = build(layout, `frontend/k8s/overlays/${o}`);
    assert.deepEqual(b.notes, [], o);
    const d = one(b, 'Deployment', 'frontend');
    assert.equal(d.spec?.template?.spec?.terminationGracePeriodSeconds, 5, o);
    assert.equal(d.spec?.template?.spec?.containers?.some((c) => c.lifecycle?.preStop !== undefined), false, o);
    assert.ok(b.uses.some((u) => u.endsWith('/components/bank-of-anthos')), o);
  }
  const prod = build(layout, 'frontend/k8s/overlays/production');
  const d = one(prod, 'Deployment', 'frontend');
  assert.equal(d.metadata?.namespace, 'bank-of-anthos-production');
  assert.equal(d.spec?.template?.metadata?.annotations?.['proxy.istio.io/config'], '{ "holdApplicationUntilProxyStarts": true }');
  const s = one(prod, 'Service', 'frontend');
  assert.equal(s.spec?.type, 'ClusterIP');
  assert.equal(s.spec?.selector?.['environment'], 'production');
  assert.equal(d.spec?.template?.metadata?.labels?.['environment'], 'production');
  assert.equal(one(build(layout, 'frontend/k8s/overlays/development'), 'Service', 'frontend').spec?.type, 'LoadBalancer');
});

test('whereami: nameSuffix and labels with includeSelectors rewrite the Service selector and the pod labels', { skip: SKIP }, () => {
  const layout = 'GoogleCloudPlatform+kubernetes-engine-samples+whereami';
  for (const dir of fs.readdirSync(path.join(CORPUS, layout))) {
    const b = build(layout, dir);
    assert.deepEqual(b.notes, [], dir);
    assert.equal(objects(b, 'Deployment').length, 1, dir);
  }
  const b = build(layout, 'k8s-backend-overlay-example');
  const d = one(b, 'Deployment', 'whereami-backend');
  const s = one(b, 'Service', 'whereami-backend');
  assert.equal(d.spec?.template?.metadata?.labels?.['app'], 'whereami-backend');
  assert.equal(s.spec?.selector?.['app'], 'whereami-backend');
  assert.equal(s.spec?.type, 'ClusterIP');
  assert.deepEqual(d.spec?.template?.spec?.containers?.[0]?.ports?.map((p) => p.containerPort), [8080]);
  assert.equal(one(build(layout, 'k8s-grpc-headless-backend-overlay-example'), 'Service', 'whereami-grpc-backend').spec?.clusterIP, 'None');
  assert.equal(one(build(layout, 'k8s'), 'Service', 'whereami').spec?.type, 'LoadBalancer');
});

test('kustomize ldap example: namePrefix, replica patches and a volume swapped with `emptyDir: null`', { skip: SKIP }, () => {
  const layout = 'kubernetes-sigs+kustomize+ldap';
  const staging = build(layout, 'overlays/staging');
  assert.deepEqual(staging.notes, []);
  assert.equal(one(staging, 'Deployment', 'staging-ldap').spec?.replicas, 2);
  assert.ok(one(staging, 'Service', 'staging-ldap-service'));
  const prod = build(layout, 'overlays/production');
  const d = one(prod, 'Deployment', 'production-ldap');
  assert.equal(d.spec?.replicas, 6);
  const volumes = d.spec?.template?.spec?.volumes ?? [];
  assert.ok(volumes.some((v) => 'gcePersistentDisk' in v && !('emptyDir' in v)));
});

test('argo-cd: the HA overlay keeps redis-ha\'s preStop and 60 s grace through 45 JSON patch targets', { skip: SKIP }, () => {
  const layout = 'argoproj+argo-cd+ha';
  const plain = build(layout, 'namespace-install');
  assert.deepEqual(plain.notes, []);
  assert.equal(plain.objects.length, 50);
  const ha = build(layout, 'ha/namespace-install');
  assert.deepEqual(ha.notes, []);
  assert.equal(ha.objects.length, 61);
  const redis = one(ha, 'StatefulSet', 'argocd-redis-ha-server');
  assert.equal(redis.spec?.template?.spec?.terminationGracePeriodSeconds, 60);
  assert.ok(redis.spec?.template?.spec?.containers?.find((c) => c.name === 'redis')?.lifecycle?.preStop);
  assert.equal(one(ha, 'Deployment', 'argocd-server').spec?.replicas, 2);
});

test('flagger: legacy bases, patchesStrategicMerge and patchesJson6902 build for every mesh', { skip: SKIP }, () => {
  for (const mesh of ['kubernetes', 'istio', 'linkerd', 'contour', 'gatewayapi']) {
    const b = build('fluxcd+flagger+kustomize', mesh);
    assert.deepEqual(b.notes, [], mesh);
    const f = one(b, 'Deployment', 'flagger');
    assert.deepEqual(f.spec?.template?.spec?.containers?.[0]?.ports?.map((p) => p.containerPort), [8080], mesh);
  }
});

test('kubebuilder: the webhook port exists only after the JSON patch; replacements are a note', { skip: SKIP }, () => {
  const b = build('kubernetes-sigs+kubebuilder+project-v4-config', 'default');
  assert.equal(b.objects.length, 37);
  assert.deepEqual(b.notes.map((n) => n.message), ['`replacements` is not applied: the built objects are shown without it']);
  const d = one(b, 'Deployment', 'project-v4-controller-manager');
  assert.equal(d.metadata?.namespace, 'project-v4-system');
  assert.equal(d.spec?.template?.spec?.terminationGracePeriodSeconds, 10);
  assert.ok(d.spec?.template?.spec?.containers?.[0]?.ports?.some((p) => p.containerPort === 9443));
  const manager = build('kubernetes-sigs+kubebuilder+project-v4-config', 'manager');
  assert.equal(one(manager, 'Deployment', 'controller-manager').spec?.template?.spec?.containers?.[0]?.ports?.some((p) => p.containerPort === 9443), false);
});

test('metallb: the frr overlay adds sidecars to the speaker DaemonSet; counts of every build', { skip: SKIP }, () => {
  for (const [dir, count] of [['native', 26], ['frr', 27], ['prometheus-native', 32]] as const) {
    const b = build('metallb+metallb+config', dir);
    assert.deepEqual(b.notes, [], dir);
    assert.equal(b.objects.length, count, dir);
    assert.equal(one(b, 'Deployment', 'controller').spec?.template?.spec?.terminationGracePeriodSeconds, 0, dir);
    assert.equal(one(b, 'Deployment', 'controller').metadata?.namespace, 'metallb-system', dir);
  }
  const native = one(build('metallb+metallb+config', 'native'), 'DaemonSet', 'speaker');
  const frr = one(build('metallb+metallb+config', 'frr'), 'DaemonSet', 'speaker');
  assert.equal(native.spec?.template?.spec?.containers?.length, 1);
  assert.ok((frr.spec?.template?.spec?.containers?.length ?? 0) > 1);
  assert.equal(frr.spec?.template?.spec?.terminationGracePeriodSeconds, 2);
});
