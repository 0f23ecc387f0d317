/**
 * Fix edits that must not change what the file means: JSON documents stay JSON, a block
 * scalar keeps its last lines, a directive keeps its target line, a BOM is not indentation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { inferStyle } from '../../../server/out/core/yaml/edit';
import { applyFix, assertFixedClean, yaml } from './helpers';

function jsonPod(lifecycle: string, image = 'example/web'): string {
  return [
    '{',
    '  "apiVersion": "v1",',
    '  "kind": "Pod",',
    '  "metadata": {"name": "p"},',
    '  "spec": {',
    '    "containers": [',
    `      {"name": "web", "image": "${image}", "ports": [{"containerPort": 8080}]${lifecycle}}`,
    '    ]',
    '  }',
    '}',
    '',
  ].join('\n');
}

const JSON_CASES: { name: string; input: string; rule: string; version?: string; lifecycle: unknown }[] = [
  { name: '"lifecycle": null replaced', input: jsonPod(', "lifecycle": null'), rule: 'prestop-hook-missing', lifecycle: { preStop: { sleep: { seconds: 10 } } } },
  { name: '"lifecycle": {} replaced', input: jsonPod(', "lifecycle": {}'), rule: 'prestop-hook-missing', lifecycle: { preStop: { sleep: { seconds: 10 } } } },
  { name: 'lifecycle inserted', input: jsonPod(''), rule: 'prestop-hook-missing', version: '1.28', lifecycle: { preStop: { exec: { command: ['sleep', '10'] } } } },
  {
    name: 'native sleep converted to exec',
    input: jsonPod(', "lifecycle": {"preStop": {"sleep": {"seconds": 5}}}'),
    rule: 'sleep-action-unsupported',
    version: '1.28',
    lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
  },
  {
    name: 'exec sleep converted to native sleep',
    input: jsonPod(', "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}}', 'gcr.io/distroless/static'),
    rule: 'prestop-exec-in-minimal-image',
    lifecycle: { preStop: { sleep: { seconds: 5 } } },
  },
];

for (const c of JSON_CASES) {
  test(`JSON in, JSON out: ${c.name}`, () => {
    const opts = c.version ? { settings: { kubernetesVersion: c.version } } : {};
    const out = applyFix(c.input, c.rule, opts);
    const parsed = JSON.parse(out) as { spec: { containers: { lifecycle?: unknown }[] } };
    assert.deepEqual(parsed.spec.containers[0]?.lifecycle, c.lifecycle);
    // Only the container's line changed.
    const before = c.input.split('\n');
    const after = out.split('\n');
    assert.equal(after.length, before.length);
    assert.deepEqual(
      after.map((l, i) => (l === before[i] ? '' : i)).filter((x) => x !== ''),
      [6],
    );
    assertFixedClean(c.input, out, c.rule, opts);
  });
}

test('lifecycle inserted at the end of a container stays below the # lines that end its script', () => {
  const input = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: web
          image: example/web
          ports: [{containerPort: 8080}]
          command: ["sh", "-c"]
          args:
            - |
              set -e
              exec web-server
              # the last lines of the script
              # are comments
  `;
  const out = applyFix(input, 'prestop-hook-missing');
  assert.ok(out.includes('          # are comments\n      lifecycle:\n'), out);
  const script = (text: string): unknown => (parseAllDocuments(text)[0]?.toJS() as { spec: { containers: { args: string[] }[] } }).spec.containers[0]?.args[0];
  assert.equal(script(out), script(input));
  assertFixedClean(input, out, 'prestop-hook-missing');
});

test('the grace period goes with the pod\'s fields, never between a block script and what follows it', () => {
  const input = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      initContainers:
        - name: init
          image: busybox
          args:
            - |
              echo preparing
      # the app
      containers:
        - name: web
          image: example/web
          ports: [{containerPort: 8080}]
          lifecycle: {preStop: {sleep: {seconds: 30}}}
  `;
  const out = applyFix(input, 'grace-period-too-short');
  assert.ok(out.includes('spec:\n  terminationGracePeriodSeconds: 50\n  initContainers:\n'), out);
  assert.ok(out.includes('        echo preparing\n  # the app\n  containers:\n'), out);
});

test('a disable-next-line directive keeps the line it was written for', () => {
  const input = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      # kube-graceful-disable-next-line nginx-sigterm-fast-shutdown -- about containers
      containers:
        - name: web
          image: example/web
          ports: [{containerPort: 8080}]
          lifecycle: {preStop: {sleep: {seconds: 30}}}
  `;
  const out = applyFix(input, 'grace-period-too-short');
  const lines = out.split('\n');
  const d = lines.findIndex((l) => l.includes('kube-graceful-disable-next-line'));
  assert.equal(lines[d + 1], '  containers:');
  assert.equal(lines[d - 1], '  terminationGracePeriodSeconds: 50');
  assertFixedClean(input, out, 'grace-period-too-short');
});

test('a byte order mark is not indentation', () => {
  assert.equal(inferStyle('\uFEFFa:\n  b: 1\n').indentStep, 2);
  assert.equal(inferStyle('\uFEFFa:\n    b: 1\n').indentStep, 4);
  const input = '\uFEFFspec:\n  containers:\n  - name: web\n    image: example/web\n    ports: [{containerPort: 8080}]\nkind: Pod\napiVersion: v1\nmetadata: {name: p}\n';
  const out = applyFix(input, 'prestop-hook-missing');
  assert.ok(out.startsWith('\uFEFFspec:\n'), JSON.stringify(out));
  assert.ok(out.includes('    ports: [{containerPort: 8080}]\n    lifecycle:\n      preStop:\n        sleep:\n          seconds: 10\n'), JSON.stringify(out));
});
