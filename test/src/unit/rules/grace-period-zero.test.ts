import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleTests, yaml } from '../helpers';

function pod(grace: string, container: string): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: hook}
    spec:
      selector: {matchLabels: {app: hook}}
      template:
        metadata: {labels: {app: hook}}
        spec:
          terminationGracePeriodSeconds: ${grace}
          containers:
          - name: hook
            image: example/hook:1
            ${container}
  `;
}

ruleTests('grace-period-zero', {
  fire: [
    {
      name: 'zero on a serving pod',
      yaml: pod('0', 'ports: [{containerPort: 9443}]'),
      lines: [9],
      severity: 'warning',
      fixed: pod('20', 'ports: [{containerPort: 9443}]'),
    },
    {
      name: 'negative is treated as 1 s',
      yaml: pod('-1', 'ports: [{containerPort: 9443}]'),
      fixed: pod('20', 'ports: [{containerPort: 9443}]'),
    },
    {
      name: 'zero with a preStop hook that will never run',
      yaml: pod('0', 'lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}'),
      fixed: pod('25', 'lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}'),
    },
    {
      name: "ingress-nginx's /wait-shutdown hook (unknown length): its documented 300 s",
      yaml: pod('0', 'lifecycle: {preStop: {exec: {command: [/wait-shutdown]}}}'),
      fixed: pod('300', 'lifecycle: {preStop: {exec: {command: [/wait-shutdown]}}}'),
    },
    {
      name: 'another hook of unknown length: the configured sleep + shutdown',
      yaml: pod('0', 'lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}}'),
      fixed: pod('30', 'lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}}'),
    },
  ],
  dontFire: [
    { name: 'a positive grace period', yaml: pod('10', 'ports: [{containerPort: 9443}]') },
    { name: 'a pod that serves nothing (pause buffer pods)', yaml: pod('0', 'resources: {}') },
    {
      name: 'a client pod that only sleeps, selected by a Service for mesh identity (grace 0 is deliberate)',
      yaml: `apiVersion: v1\nkind: Service\nmetadata: {name: hook}\nspec:\n  selector: {app: hook}\n  ports: [{name: http, port: 80}]\n---\n${pod('0', 'command: ["/bin/sleep", "infinity"]')}`,
    },
    {
      name: 'a Job',
      yaml: pod('0', 'ports: [{containerPort: 9443}]').replace('apps/v1', 'batch/v1').replace('kind: Deployment', 'kind: Job'),
    },
    { name: 'suppressed on the line', yaml: pod('0 # kube-graceful-disable-line grace-period-zero', 'ports: [{containerPort: 9443}]') },
  ],
});

test('the fix title says what it chose for a hook of unknown length, and why', () => {
  const titles = (text: string): string[] => {
    const a = lint(text);
    return a.findings.filter((f) => f.ruleId === 'grace-period-zero').map((f) => a.fixFor(f)?.title ?? '');
  };
  assert.deepEqual(titles(pod('0', 'lifecycle: {preStop: {exec: {command: [/wait-shutdown]}}}')), [
    "Set terminationGracePeriodSeconds to 300 (ingress-nginx's documented grace period for its /wait-shutdown hook)",
  ]);
  assert.deepEqual(titles(pod('0', 'lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}}')), [
    "Set terminationGracePeriodSeconds to 30 (the hook's length is unknown: 10 s assumed for it + 20 s shutdown, from settings)",
  ]);
});
