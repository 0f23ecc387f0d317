/**
 * The kustomize build of core/kustomize on layouts written in memory: strategic merge and JSON
 * patches, transformers, components, inline patches and cycles, with where each value was written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseCache, prepareText } from '../../../server/out/core';
import { buildKustomization, buildKustomizations, toJSON, type KustomizeBuild, type KustomizeHost, type Traced } from '../../../server/out/core/kustomize';
import type { ParsedChunk } from '../../../server/out/core/yaml/parse';

/** A host over `files` (absolute path → text); a directory is any prefix of a file's path. */
export function memoryHost(files: Readonly<Record<string, string>>): KustomizeHost {
  return {
    readFile: (p) => files[p],
    isDirectory: (p) => Object.keys(files).some((f) => f.startsWith(`${p}/`)),
  };
}

function build(files: Readonly<Record<string, string>>, dir = '/k'): KustomizeBuild {
  return buildKustomization(dir, memoryHost(files));
}

/** The node at a path of keys and indices. */
function at(t: Traced | undefined, ...path: (string | number)[]): Traced | undefined {
  let cur = t;
  for (const p of path) {
    if (cur?.kind === 'map') cur = cur.entries.find((e) => e.key === p)?.value;
    else if (cur?.kind === 'list' && typeof p === 'number') cur = cur.items[p];
    else return undefined;
  }
  return cur;
}

function object(b: KustomizeBuild, kind: string, name: string): Traced {
  const o = b.objects.find((x) => {
    const j = toJSON(x.value) as { kind?: string; metadata?: { name?: string } };
    return j.kind === kind && j.metadata?.name === name;
  });
  assert.ok(o, `${kind} ${name} is built (built: ${b.objects.map((x) => JSON.stringify((toJSON(x.value) as { metadata?: unknown }).metadata)).join(', ')})`);
  return o.value;
}

/** The text a node's src points at. */
function textAt(files: Readonly<Record<string, string>>, t: Traced | undefined): string | undefined {
  const src = t?.src;
  if (!src?.span) return undefined;
  return files[src.file]?.slice(src.span.start, src.span.end);
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: example/web:1.0
          ports:
            - containerPort: 8080
        - name: sidecar
          image: example/proxy:2.0
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`;

const BASE = {
  '/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
  '/base/deployment.yaml': DEPLOYMENT,
  '/base/service.yaml': SERVICE,
};

test('a strategic-merge patch adds a preStop hook to a container by name; its values point into the patch file', () => {
  const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          lifecycle:
            preStop:
              sleep:
                seconds: 5
`;
  const files = { ...BASE, '/k/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: hook.yaml\n', '/k/hook.yaml': patch };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  const d = object(b, 'Deployment', 'web');
  const containers = at(d, 'spec', 'template', 'spec', 'containers');
  assert.deepEqual((toJSON(containers!) as { name: string }[]).map((c) => c.name), ['app', 'sidecar']);
  const seconds = at(containers, 0, 'lifecycle', 'preStop', 'sleep', 'seconds');
  assert.deepEqual(toJSON(seconds!), 5);
  assert.equal(seconds?.src?.file, '/k/hook.yaml');
  assert.equal(textAt(files, seconds), '5');
  // The image was not patched: it still points at the base file.
  const image = at(containers, 0, 'image');
  assert.equal(image?.src?.file, '/base/deployment.yaml');
  assert.equal(textAt(files, image), 'example/web:1.0');
  // The container map exists in both: it keeps the base's src.
  assert.equal(at(containers, 0)?.src?.file, '/base/deployment.yaml');
  // The patch names the container as the base does: the name stays where the base wrote it.
  assert.equal(at(containers, 0, 'name')?.src?.file, '/base/deployment.yaml');
  const built = b.objects.find((o) => o.value === d);
  assert.deepEqual(built?.patchedBy, ['/k/hook.yaml']);
  assert.equal(built?.resource.file, '/base/deployment.yaml');
  assert.deepEqual(b.uses, ['/base']);
  assert.equal(b.files.get('/k/hook.yaml'), 'patch');
  assert.equal(b.files.get('/base/service.yaml'), 'resource');
  assert.equal(b.files.get('/k/kustomization.yaml'), 'kustomization');
});

test('`$patch: delete` removes a container; `null` removes a key; env merges by name', () => {
  const patch = `kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: sidecar
          $patch: delete
        - name: app
          ports: null
          env:
            - name: A
              value: "1"
`;
  const b = build({ ...BASE, '/k/kustomization.yaml': 'resources: [../base]\npatchesStrategicMerge:\n  - p.yaml\n', '/k/p.yaml': patch });
  assert.deepEqual(b.notes, []);
  const spec = toJSON(at(object(b, 'Deployment', 'web'), 'spec', 'template', 'spec')!);
  assert.deepEqual(spec, { containers: [{ name: 'app', image: 'example/web:1.0', env: [{ name: 'A', value: '1' }] }] });
});

test('a JSON 6902 patch replaces terminationGracePeriodSeconds; the value points at the number in the patch file', () => {
  const dep = DEPLOYMENT.replace('    spec:\n      containers:', '    spec:\n      terminationGracePeriodSeconds: 10\n      containers:');
  const patch = `- op: replace
  path: /spec/template/spec/terminationGracePeriodSeconds
  value: 45
- op: add
  path: /spec/template/spec/containers/-
  value: {name: extra, image: busybox}
- op: test
  path: /metadata/name
  value: web
`;
  const files = {
    '/k/kustomization.yaml': 'resources:\n  - dep.yaml\npatches:\n  - path: grace.yaml\n    target:\n      kind: Deployment\n',
    '/k/dep.yaml': dep,
    '/k/grace.yaml': patch,
  };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  const grace = at(object(b, 'Deployment', 'web'), 'spec', 'template', 'spec', 'terminationGracePeriodSeconds');
  assert.deepEqual(toJSON(grace!), 45);
  assert.equal(grace?.src?.file, '/k/grace.yaml');
  assert.deepEqual(grace?.src?.span, { start: patch.indexOf('45'), end: patch.indexOf('45') + 2 });
  const names = toJSON(at(object(b, 'Deployment', 'web'), 'spec', 'template', 'spec', 'containers')!) as { name: string }[];
  assert.deepEqual(names.map((c) => c.name), ['app', 'sidecar', 'extra']);
});

test('a JSON patch whose test fails is not applied and is noted', () => {
  const files = {
    '/k/kustomization.yaml': 'resources: [dep.yaml]\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n      - op: test\n        path: /metadata/name\n        value: other\n      - op: remove\n        path: /spec\n',
    '/k/dep.yaml': DEPLOYMENT,
  };
  const b = build(files);
  assert.ok(at(object(b, 'Deployment', 'web'), 'spec'));
  assert.equal(b.notes.length, 1);
  assert.match(b.notes[0]?.message ?? '', /does not apply to Deployment web/);
});

test('namePrefix, namespace and labels with includeSelectors on a Deployment and its Service', () => {
  const files = {
    ...BASE,
    '/k/kustomization.yaml': `resources:
  - ../base
namePrefix: prod-
namespace: shop
labels:
  - pairs:
      tier: front
    includeSelectors: true
  - pairs:
      team: a
`,
  };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  const d = object(b, 'Deployment', 'prod-web');
  const s = object(b, 'Service', 'prod-web');
  assert.deepEqual(toJSON(at(d, 'metadata')!), { name: 'prod-web', labels: { app: 'web', tier: 'front', team: 'a' }, namespace: 'shop' });
  assert.deepEqual(toJSON(at(d, 'spec', 'selector', 'matchLabels')!), { app: 'web', tier: 'front' });
  assert.deepEqual(toJSON(at(d, 'spec', 'template', 'metadata', 'labels')!), { app: 'web', tier: 'front' });
  assert.deepEqual(toJSON(at(s, 'spec', 'selector')!), { app: 'web', tier: 'front' });
  assert.deepEqual(toJSON(at(s, 'metadata', 'labels')!), { tier: 'front', team: 'a' });
  // Transformer values point at the kustomization's field; the name has no span.
  const tier = at(s, 'spec', 'selector', 'tier');
  assert.equal(textAt(files, tier), 'front');
  assert.equal(textAt(files, at(d, 'metadata', 'namespace')), 'shop');
  assert.deepEqual(at(d, 'metadata', 'name')?.src, { file: '/k/kustomization.yaml' });
});

test('labels with includeTemplates only reach pod templates, not selectors; commonAnnotations reach templates', () => {
  const files = {
    '/k/kustomization.yaml': 'resources: [dep.yaml]\nlabels:\n  - pairs: {v: "2"}\n    includeTemplates: true\ncommonAnnotations:\n  owner: me\n',
    '/k/dep.yaml': DEPLOYMENT,
  };
  const d = object(build(files), 'Deployment', 'web');
  assert.deepEqual(toJSON(at(d, 'spec', 'selector', 'matchLabels')!), { app: 'web' });
  assert.deepEqual(toJSON(at(d, 'spec', 'template', 'metadata')!), { labels: { app: 'web', v: '2' }, annotations: { owner: 'me' } });
});

test('patches refer to base names before the overlay prefix; a later overlay may use either name', () => {
  const mid = { ...BASE, '/mid/kustomization.yaml': 'resources: [../base]\nnamePrefix: mid-\n' };
  const files = {
    ...mid,
    '/k/kustomization.yaml': 'resources: [../mid]\nnamePrefix: top-\npatches:\n  - patch: |-\n      kind: Deployment\n      metadata: {name: web}\n      spec: {replicas: 3}\n',
  };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  assert.deepEqual(toJSON(at(object(b, 'Deployment', 'top-mid-web'), 'spec', 'replicas')!), 3);
  assert.deepEqual(b.uses, ['/mid', '/base']);
});

test('a component applies its resources and patches to the objects built so far', () => {
  const files = {
    ...BASE,
    '/c/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - pdb.yaml
patches:
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/template/spec/terminationGracePeriodSeconds
        value: 60
`,
    '/c/pdb.yaml': 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n',
    '/k/kustomization.yaml': 'resources: [../base]\ncomponents: [../c]\nnamespace: x\n',
  };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  assert.deepEqual(toJSON(at(object(b, 'Deployment', 'web'), 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')!), 60);
  assert.deepEqual(toJSON(at(object(b, 'PodDisruptionBudget', 'web'), 'metadata', 'namespace')!), 'x');
  assert.deepEqual([...b.uses].sort(), ['/base', '/c']);
});

test('images set a new name, tag or digest on matching containers only, with the images entry as src', () => {
  const files = {
    '/k/kustomization.yaml': 'resources: [dep.yaml]\nimages:\n  - name: example/web\n    newTag: "2.0"\n  - name: example/proxy\n    newName: reg:5000/proxy\n    digest: sha256:abc\n  - name: other\n    newTag: x\n',
    '/k/dep.yaml': DEPLOYMENT,
  };
  const d = object(build(files), 'Deployment', 'web');
  const c = at(d, 'spec', 'template', 'spec', 'containers');
  assert.deepEqual(toJSON(at(c, 0, 'image')!), 'example/web:2.0');
  assert.deepEqual(toJSON(at(c, 1, 'image')!), 'reg:5000/proxy@sha256:abc');
  assert.match(textAt(files, at(c, 0, 'image')) ?? '', /^name: example\/web\n\s+newTag: "2.0"/);
});

test('replicas sets the count by name', () => {
  const files = { '/k/kustomization.yaml': 'resources: [dep.yaml]\nreplicas:\n  - name: web\n    count: 4\n', '/k/dep.yaml': DEPLOYMENT };
  const d = object(build(files), 'Deployment', 'web');
  assert.deepEqual(toJSON(at(d, 'spec', 'replicas')!), 4);
  assert.equal(textAt(files, at(d, 'spec', 'replicas')), '4');
});

test('a patch target with a labelSelector selects only the objects whose labels match', () => {
  const other = DEPLOYMENT.replace(/web/g, 'api').replace('app: api\nspec', 'app: api\n    tier: back\nspec');
  const files = {
    '/k/kustomization.yaml': `resources: [web.yaml, api.yaml]
patches:
  - target:
      kind: Deployment
      labelSelector: "app in (api, db),tier!=front"
    patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: ignored
      spec:
        template:
          spec:
            terminationGracePeriodSeconds: 90
`,
    '/k/web.yaml': DEPLOYMENT,
    '/k/api.yaml': other,
  };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  assert.equal(at(object(b, 'Deployment', 'web'), 'spec', 'template', 'spec', 'terminationGracePeriodSeconds'), undefined);
  assert.deepEqual(toJSON(at(object(b, 'Deployment', 'api'), 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')!), 90);
});

test('an inline patch in kustomization.yaml maps its values to their offsets in the kustomization file', () => {
  const k = `resources:
  - dep.yaml
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            terminationGracePeriodSeconds: 33
            containers:
              - name: app
                lifecycle:
                  preStop:
                    exec:
                      command: ["sleep", "7"]
`;
  const files = { '/k/kustomization.yaml': k, '/k/dep.yaml': DEPLOYMENT };
  const b = build(files);
  assert.deepEqual(b.notes, []);
  const d = object(b, 'Deployment', 'web');
  const grace = at(d, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds');
  assert.deepEqual(grace?.src, { file: '/k/kustomization.yaml', span: { start: k.indexOf('33'), end: k.indexOf('33') + 2 } });
  const seven = at(d, 'spec', 'template', 'spec', 'containers', 0, 'lifecycle', 'preStop', 'exec', 'command', 1);
  assert.equal(textAt(files, seven), '"7"');
  assert.deepEqual(b.objects[0]?.patchedBy, ['/k/kustomization.yaml']);
});

test('a folded inline patch maps its values to the whole patch value', () => {
  const k = 'resources: [dep.yaml]\npatches:\n  - patch: >-\n      {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2}}\n';
  const files = { '/k/kustomization.yaml': k, '/k/dep.yaml': DEPLOYMENT };
  const replicas = at(object(build(files), 'Deployment', 'web'), 'spec', 'replicas');
  assert.deepEqual(toJSON(replicas!), 2);
  assert.equal(textAt(files, replicas)?.startsWith('>-'), true);
});

test('cycles, missing files, remote resources and unread fields are notes; the rest is still built', () => {
  const files = {
    '/a/kustomization.yaml': 'resources:\n  - ../b\n  - dep.yaml\n',
    '/a/dep.yaml': DEPLOYMENT,
    '/b/kustomization.yaml': 'resources:\n  - ../a\n  - https://github.com/x/y//base?ref=v1\n  - missing.yaml\n  - ../empty\nreplacements:\n  - path: r.yaml\nconfigMapGenerator:\n  - name: c\n',
    '/empty/readme.md': 'x',
  };
  const b = build(files, '/a');
  assert.equal(b.objects.length, 1);
  const messages = b.notes.map((n) => `${n.file}: ${n.message}`);
  assert.deepEqual(messages, [
    '/b/kustomization.yaml: `replacements` is not applied: the built objects are shown without it',
    '/b/kustomization.yaml: ../a is part of a cycle of kustomizations; it is not built again',
    '/b/kustomization.yaml: the remote resource https://github.com/x/y//base?ref=v1 is not fetched; what it holds is not analysed',
    '/b/kustomization.yaml: the resource missing.yaml cannot be read',
    '/b/kustomization.yaml: ../empty is a directory without a kustomization file',
  ]);
});

test('broken YAML in a resource is a note and that file is skipped; a missing kustomization is a note', () => {
  const b = build({ '/k/kustomization.yml': 'resources: [bad.yaml, dep.yaml]\n', '/k/bad.yaml': 'a: [\n', '/k/dep.yaml': DEPLOYMENT });
  assert.equal(b.kustomizationFile, '/k/kustomization.yml');
  assert.equal(b.objects.length, 1);
  assert.equal(b.notes.length, 1);
  assert.equal(b.notes[0]?.file, '/k/bad.yaml');
  const none = build({}, '/nothing');
  assert.equal(none.objects.length, 0);
  assert.equal(none.notes.length, 1);
});

test('deep nesting stops at the depth limit without throwing', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`/d${i}/kustomization.yaml`] = `resources: [../d${i + 1}]\n`;
  files['/d60/kustomization.yaml'] = 'resources: [dep.yaml]\n';
  files['/d60/dep.yaml'] = DEPLOYMENT;
  const b = build(files, '/d0');
  assert.equal(b.objects.length, 0);
  assert.ok(b.notes.some((n) => /nested too deeply/.test(n.message)));
});

test('$setElementOrder, $deleteFromPrimitiveList and $patch: replace', () => {
  const dep = DEPLOYMENT.replace('      containers:', '      finalizers: [a, b, c]\n      containers:');
  const patch = `kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      $setElementOrder/containers: [{name: sidecar}, {name: app}]
      $deleteFromPrimitiveList/finalizers: [b]
      containers:
        - name: app
          ports:
            - $patch: replace
            - containerPort: 9090
`;
  const files = { '/k/kustomization.yaml': 'resources: [dep.yaml]\npatches: [{path: p.yaml}]\n', '/k/dep.yaml': dep, '/k/p.yaml': patch };
  const spec = toJSON(at(object(build(files), 'Deployment', 'web'), 'spec', 'template', 'spec')!) as { finalizers: string[]; containers: { name: string; ports?: unknown }[] };
  assert.deepEqual(spec.finalizers, ['a', 'c']);
  assert.deepEqual(spec.containers.map((c) => c.name), ['sidecar', 'app']);
  assert.deepEqual(spec.containers[1]?.ports, [{ containerPort: 9090 }]);
});

/** A build as plain data: objects with every src, files in order, uses, notes. */
function snapshot(b: KustomizeBuild): string {
  return JSON.stringify({ root: b.root, k: b.kustomizationFile, objects: b.objects, files: [...b.files], uses: b.uses, notes: b.notes });
}

test('buildKustomizations builds a shared base and component once, and gives what each build alone gives', () => {
  const component = `kind: Component
patches:
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/template/spec/terminationGracePeriodSeconds
        value: 60
`;
  const files: Record<string, string> = {
    ...BASE,
    '/c/kustomization.yaml': component,
    '/prod/kustomization.yaml': 'resources: [../base]\ncomponents: [../c]\nnamespace: prod\nresources2: x\n',
    '/dev/kustomization.yaml': 'resources: [../base, ../missing, ../cycle-a]\ncomponents: [../c]\nnamePrefix: dev-\n',
    '/cycle-a/kustomization.yaml': 'resources: [../cycle-b]\n',
    '/cycle-b/kustomization.yaml': 'resources: [../cycle-a, ../base]\n',
    '/stack/kustomization.yaml': 'resources: [../prod, ../dev]\n',
  };
  const dirs = ['/base', '/c', '/cycle-a', '/cycle-b', '/dev', '/prod', '/stack'];
  const reads = new Map<string, number>();
  const mem = memoryHost(files);
  // With the files read as documents kept too: the component's inline patch is read once for /prod and /dev.
  const counting: KustomizeHost = {
    parsed: new Map(),
    readFile: (p) => {
      reads.set(p, (reads.get(p) ?? 0) + 1);
      return mem.readFile(p);
    },
    isDirectory: (p) => mem.isDirectory(p),
  };
  const together = buildKustomizations(dirs, counting);
  assert.deepEqual(
    together.map(snapshot),
    dirs.map((d) => snapshot(buildKustomization(d, memoryHost(files)))),
  );
  // The base's files are read when it is first built, not again for /prod, /dev and /stack.
  assert.equal(reads.get('/base/deployment.yaml'), 1);
  assert.ok(together[6]?.notes.some((n) => /cycle/.test(n.message)));
});

test('a host that keeps parses gives the build the documents a parse cache read, and the other way round', () => {
  const parses = new Map<string, ParsedChunk>();
  const cache = new ParseCache(parses);
  prepareText(DEPLOYMENT, cache);
  assert.equal(parses.size, 1);
  const host: KustomizeHost = { ...memoryHost(BASE), parses };
  const b = buildKustomization('/base', host);
  assert.equal(b.objects.length, 2);
  // The Deployment was parsed by the cache; the build parsed the kustomization and the Service.
  assert.equal(parses.size, 3);
  assert.equal(parses.get(DEPLOYMENT), cache.parse(DEPLOYMENT));
  assert.equal(snapshot(b), snapshot(buildKustomization('/base', memoryHost(BASE))));
});
