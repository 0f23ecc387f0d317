/**
 * Kustomize layouts mutated at random (seeded): broken YAML, JSON patches to absurd paths,
 * moves and copies into themselves, self-referencing resources, aliases, wrong types,
 * binary junk. Every build and every analysis of its overlays ends without throwing, and
 * every fix offered in a patch is computed without throwing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../server/out/core';
import { buildKustomization, type KustomizeHost } from '../../../server/out/core/kustomize';
import { analyzeBuilds } from '../../../server/out/core/overlays';

const LAYOUTS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'kustomize');

const SNIPPETS = [
  '- op: add\n  path: /spec/template/spec/containers/99999999\n  value: {}\n',
  '- op: add\n  path: /spec/template/spec/containers/-\n  value: {name: x}\n',
  '- op: move\n  from: /spec\n  path: /spec/template\n',
  '- op: copy\n  from: /spec/template\n  path: /spec/template/spec/x\n',
  '$patch: delete\n',
  'resources: [1, null, {a: b}, ../.., /etc, "https://example.com/x"]\n',
  'patches: [{path: 3}, {patch: 7}, {target: {name: "(("}, patch: "- op: remove\\n  path: /"}]\n',
  'a: &a [*a]\n',
  'images: [{name: "*", newTag: 1}]\n',
  'replicas: [{name: web, count: "x"}]\n',
  'namePrefix: 5\n',
  'labels: [{pairs: 3}, {pairs: {a: [1]}}]\n',
  'components: [../base, .]\n',
  'kind: List\nitems: [1, {kind: Deployment}]\n',
  '\u0000\u0001binary\n',
  '{{ .Values.x }}\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web, lifecycle: {preStop: {sleep: {seconds: -1}}}}]}}}\n',
];

const CRAFTED: Record<string, string> = {
  '/l/base/kustomization.yaml': 'resources:\n- web.yaml\n',
  '/l/base/web.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: example/web:1\n        ports: [{containerPort: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n',
  '/l/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n- ../base\npatches:\n- path: grace.yaml\n  target: {kind: Deployment}\n- path: hook.yaml\n',
  '/l/prod/grace.yaml': '- op: add\n  path: /spec/template/spec/terminationGracePeriodSeconds\n  value: 5\n',
  '/l/prod/hook.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        lifecycle: {preStop: {sleep: {seconds: 20}}}\n',
};

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function yamlFiles(dir: string, out: string[]): string[] {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(d.name)) out.push(full);
  }
  return out;
}

function mutate(texts: Map<string, string>, rnd: () => number): void {
  const names = [...texts.keys()];
  for (let m = 0; m < 3; m++) {
    const f = names[Math.floor(rnd() * names.length)] as string;
    let t = texts.get(f) ?? '';
    const at = Math.floor(rnd() * (t.length + 1));
    const snippet = SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] as string;
    const op = rnd();
    if (op < 0.4) t = t.slice(0, at) + snippet + t.slice(at);
    else if (op < 0.7) t = t.slice(0, at) + t.slice(at + Math.floor(rnd() * 50));
    else t = `${t}\n${snippet}`;
    texts.set(f, t);
  }
}

/** Builds every kustomization of the mutated layout and analyses it; returns how many builds ran. */
function fuzz(files: ReadonlyMap<string, string>, seed: number, rounds: number): number {
  const rnd = random(seed);
  const dirs = [...new Set([...files.keys()].filter((f) => /kustomization\.ya?ml$/.test(f)).map((f) => path.posix.dirname(f)))];
  let builds = 0;
  for (let i = 0; i < rounds; i++) {
    const texts = new Map(files);
    mutate(texts, rnd);
    const host: KustomizeHost = { readFile: (p) => texts.get(p), isDirectory: (p) => [...texts.keys()].some((k) => k.startsWith(`${p}/`)) };
    for (const d of dirs) {
      const b = buildKustomization(d, host);
      const r = analyzeBuilds([{ build: b, settings: DEFAULT_SETTINGS, label: 'overlay', host }]);
      for (const list of r.placed.values()) for (const p of list) p.fix?.();
      builds++;
    }
  }
  return builds;
}

test('mutated crafted layouts build and analyse without throwing', () => {
  assert.ok(fuzz(new Map(Object.entries(CRAFTED)), 7, 100) >= 200);
});

test('mutated real layouts build and analyse without throwing', (t) => {
  if (!fs.existsSync(LAYOUTS)) {
    t.skip(`${LAYOUTS} is absent`);
    return;
  }
  for (const layout of fs.readdirSync(LAYOUTS).filter((d) => fs.statSync(path.join(LAYOUTS, d)).isDirectory())) {
    const files = new Map(yamlFiles(path.join(LAYOUTS, layout), []).map((f) => [f.split(path.sep).join('/'), fs.readFileSync(f, 'utf8')]));
    assert.ok(fuzz(files, layout.length, 3) > 0, layout);
  }
});
