import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, parseDirectives } from '../../../server/out/core';
import { lint, yaml } from './helpers';

test('directives: kinds, rule lists, reasons, where to append', () => {
  const text = '# kube-graceful-disable grace-period-zero\na: 1 # kube-graceful-disable-line\n  # kube-graceful-disable-next-line a-rule, b-rule -- because\nb: "# kube-graceful-disable-next-line x"\n';
  const ds = parseDirectives(text, new LineIndex(text));
  assert.deepEqual(
    ds.map((d) => [d.kind, d.rules, d.line]),
    [
      ['file', ['grace-period-zero'], 0],
      ['line', [], 1],
      ['next-line', ['a-rule', 'b-rule'], 2],
    ],
  );
  const next = ds[2];
  assert.ok(next);
  assert.equal(text.slice(next.rulesEnd - 6, next.rulesEnd), 'b-rule');
});

const pod = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: p}
  spec:
    terminationGracePeriodSeconds: 0
    containers:
    - name: app
      image: app
      ports: [{containerPort: 80}]
`;

test('a whole-file directive silences only the rules it names', () => {
  const a = lint(`# kube-graceful-disable grace-period-zero\n${pod}`);
  assert.deepEqual(a.findings.map((f) => f.ruleId), ['prestop-hook-missing']);
  assert.equal(lint(`# kube-graceful-disable\n${pod}`).findings.length, 0);
});

test('an annotation on the pod template silences the rule for that workload', () => {
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      selector: {matchLabels: {app: d}}
      template:
        metadata:
          labels: {app: d}
          annotations:
            ignore-check.kube-graceful.io/prestop-hook-missing: "drains itself"
        spec:
          containers:
          - name: app
            image: app
            ports: [{containerPort: 80}]
  `;
  assert.equal(lint(deployment).findings.length, 0);
});
