/** Every workload kind projected to the same pod view. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, yaml } from './helpers';

const podSpec = (indent: string): string =>
  ['containers:', '- name: app', '  image: app', '  ports: [{containerPort: 80}]'].map((l) => indent + l).join('\n');

const kinds: [string, string][] = [
  ['Pod', `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n${podSpec('  ')}\n`],
  ['PodTemplate', `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: x}\ntemplate:\n  spec:\n${podSpec('    ')}\n`],
  ['Deployment', `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {}\n  template:\n    spec:\n${podSpec('      ')}\n`],
  ['StatefulSet', `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec:\n  selector: {}\n  template:\n    spec:\n${podSpec('      ')}\n`],
  ['ReplicaSet', `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: x}\nspec:\n  selector: {}\n  template:\n    spec:\n${podSpec('      ')}\n`],
  ['ReplicationController', `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n${podSpec('      ')}\n`],
  ['Rollout (a custom resource with a pod template)', `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n${podSpec('      ')}\n`],
  ['List item', `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: x}\n  spec:\n${podSpec('    ')}\n`],
  ['DeploymentList item', `apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: x}\n  spec:\n    selector: {}\n    template:\n      spec:\n${podSpec('        ')}\n`],
];

for (const [name, text] of kinds) {
  test(`model: ${name} is read as a pod`, () => {
    const a = lint(text);
    assert.equal(a.pods.length, 1);
    assert.deepEqual(a.findings.map((f) => f.ruleId), ['prestop-hook-missing']);
    const f = a.findings[0];
    assert.ok(f);
    assert.equal(text.slice(f.span.start, f.span.end), 'app');
    const fix = a.fixFor(f);
    assert.ok(fix, 'a fix is offered');
  });
}

test('model: CronJob and Job pods never serve', () => {
  const text = `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${podSpec('          ')}\n`;
  const a = lint(text);
  assert.equal(a.pods.length, 1);
  assert.equal(a.pods[0]?.batch, true);
  assert.deepEqual(a.findings, []);
});

test('model: native sidecars are part of the pod; plain init containers are not', () => {
  const text = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: x}
    spec:
      initContainers:
      - name: proxy
        image: proxy
        restartPolicy: Always
        ports: [{containerPort: 15001}]
      - name: migrate
        image: migrate
        ports: [{containerPort: 1234}]
      containers:
      - name: app
        image: app
        lifecycle: {preStop: {sleep: {seconds: 5}}}
        ports: [{containerPort: 80}]
  `;
  const a = lint(text);
  assert.deepEqual(a.pods[0]?.sidecars.map((c) => c.name), ['proxy']);
  assert.deepEqual(a.findings.map((f) => [f.ruleId, f.subject]), [['prestop-hook-missing', 'Pod//x/initContainers/proxy']]);
});

test('model: documents split on --- keep exact positions; a broken document does not hide the others', () => {
  const text = 'kind: ConfigMap\n---\nkind: Pod\nspec: [\n---\n' + `apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n${podSpec('  ')}\n`;
  const a = lint(text);
  assert.equal(a.notices.filter((n) => n.kind === 'syntax-error').length, 1);
  assert.equal(a.findings.length, 1);
  const f = a.findings[0];
  assert.ok(f);
  assert.equal(text.slice(f.span.start, f.span.end), 'app');
});

test('model: an alias bomb is read without expanding it', () => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  text += 'kind: Pod\nspec:\n  containers: *a11\n';
  const started = Date.now();
  const a = lint(text);
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(a.findings, []);
});

test('model: one document over 1 MiB is not parsed and says so; the others still are', () => {
  const big = `kind: ConfigMap\ndata:\n  blob: "${'x'.repeat(1024 * 1024 + 10)}"\n`;
  const text = `${big}---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n${podSpec('  ')}\n`;
  const a = lint(text);
  assert.deepEqual(a.notices.map((n) => n.kind), ['too-large']);
  assert.deepEqual(a.findings.map((f) => f.ruleId), ['prestop-hook-missing']);
});
