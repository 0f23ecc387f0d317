/**
 * The build of core/kustomize compared with `kubectl kustomize` (or `kustomize build`) on the
 * corpus layouts, when either binary is on PATH; skipped, saying so, otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildKustomization, toJSON } from '../../../server/out/core/kustomize';
import { diskHost } from './kustomize-host';

const CORPUS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'kustomize');

function onPath(bin: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter).some((d) => d !== '' && fs.existsSync(path.join(d, bin)));
}

const COMMAND: readonly string[] | undefined = onPath('kubectl') ? ['kubectl', 'kustomize'] : onPath('kustomize') ? ['kustomize', 'build'] : undefined;
const SKIP = !fs.existsSync(CORPUS) ? `the kustomize corpus is not at ${CORPUS}` : COMMAND ? false : 'neither kubectl nor kustomize is on PATH';

const LAYOUTS: readonly [string, string][] = [
  ['kubernetes-sigs+kustomize+ldap', 'overlays/production'],
  ['GoogleCloudPlatform+bank-of-anthos+frontend', 'frontend/k8s/overlays/production'],
  ['vinicius-ssantos+personal-platform-infra+k8s', 'overlays/vps'],
  ['GoogleCloudPlatform+kubernetes-engine-samples+whereami', 'k8s-backend-overlay-example'],
  ['fluxcd+flagger+kustomize', 'linkerd'],
  ['metallb+metallb+config', 'frr'],
  ['metallb+metallb+config', 'prometheus-native'],
  ['argoproj+argo-cd+ha', 'ha/namespace-install'],
  ['GoogleCloudPlatform+bank-of-anthos+frontend', 'frontend/k8s/overlays/production-fwi-ingress'],
  ['GoogleCloudPlatform+kubernetes-engine-samples+whereami', 'k8s-grpc-headless-backend-overlay-example'],
  ['fluxcd+flagger+kustomize', 'istio'],
];

interface Pod {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: unknown; template?: { metadata?: { labels?: unknown }; spec?: { terminationGracePeriodSeconds?: unknown; containers?: unknown } } };
}

/**
 * JSON with keys sorted, so that key order does not count; generated hash suffixes and the
 * references to ConfigMaps and Secrets kustomize renames (`valueFrom`, `envFrom`) left out.
 */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => k !== 'valueFrom' && k !== 'envFrom').sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v)?.replace(/-[a-z0-9]{10}"$/, '"') ?? 'undefined';
}

/** What pod termination depends on, per workload and Service (generated names and references aside). */
function facts(objs: readonly Pod[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const o of objs) {
    if (!o.kind || o.kind === 'ConfigMap' || o.kind === 'Secret') continue;
    const key = `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const t = o.spec?.template;
    m.set(key, canonical(o.kind === 'Service' ? o.spec?.selector : t ? { labels: t.metadata?.labels, grace: t.spec?.terminationGracePeriodSeconds, containers: t.spec?.containers } : null));
  }
  return m;
}

test('the build agrees with kubectl kustomize on workloads and Services of the corpus', { skip: SKIP }, () => {
  for (const [layout, dir] of LAYOUTS) {
    const full = path.join(CORPUS, layout, dir);
    const [cmd, ...args] = COMMAND ?? [];
    const r = spawnSync(cmd ?? '', [...args, full], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    const theirs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Pod);
    const ours = buildKustomization(full.split(path.sep).join('/'), diskHost).objects.map((o) => toJSON(o.value) as Pod);
    assert.deepEqual(facts(ours), facts(theirs), `${layout}/${dir}`);
  }
});
