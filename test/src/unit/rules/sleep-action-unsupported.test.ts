import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTests, yaml } from '../helpers';

function pod(hook: string, image = 'example/api:2', grace = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: api
    spec:${grace}
      containers:
      - name: api
        image: ${image}
        lifecycle:
          preStop:
            ${hook}
  `;
}

const v128 = { settings: { kubernetesVersion: '1.28' } };
const v129 = { settings: { kubernetesVersion: '1.29' } };
const v131 = { settings: { kubernetesVersion: '1.31' } };
const v132 = { settings: { kubernetesVersion: 'v1.32.4' } };

ruleTests('sleep-action-unsupported', {
  fire: [
    {
      name: 'native sleep before 1.29: the field does not exist; the fix converts it to an exec sleep (flow)',
      yaml: pod('sleep: {seconds: 10}'),
      opts: v128,
      lines: [10],
      severity: 'error',
      fixed: pod('exec: {command: ["sleep", "10"]}'),
    },
    {
      name: 'native sleep in 1.29 (alpha, gate off by default); block style keeps its indentation',
      yaml: pod('sleep:\n          seconds: 15 '.trimEnd()),
      opts: v129,
      fixed: pod('exec:\n          command: ["sleep", "15"]'),
    },
    {
      name: 'zero seconds before 1.33 is reported on the seconds value',
      yaml: pod('sleep: {seconds: 0}'),
      opts: v132,
      lines: [11],
      fixed: pod('exec: {command: ["sleep", "0"]}'),
    },
    {
      name: 'zero seconds in 1.31',
      yaml: pod('sleep: {seconds: 0}'),
      opts: v131,
      lines: [11],
    },
    {
      name: 'a native sidecar is checked too',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          initContainers:
          - name: proxy
            image: example/proxy:1
            restartPolicy: Always
            lifecycle:
              preStop:
                sleep:
                  seconds: 5
          containers:
          - name: app
            image: example/app:1
      `,
      opts: v128,
      lines: [10],
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          initContainers:
          - name: proxy
            image: example/proxy:1
            restartPolicy: Always
            lifecycle:
              preStop:
                exec:
                  command: ["sleep", "5"]
          containers:
          - name: app
            image: example/app:1
      `,
    },
    {
      name: 'CRLF line endings and single quotes are kept',
      yaml: pod("sleep:\n          seconds: 20", "'example/api:2'", "\n  terminationGracePeriodSeconds: 40").replace(/\n/g, '\r\n'),
      opts: v128,
      fixed: pod("exec:\n          command: ['sleep', '20']", "'example/api:2'", "\n  terminationGracePeriodSeconds: 40").replace(/\n/g, '\r\n'),
    },
    {
      name: 'a distroless image gets no fix: an exec sleep could not run there',
      yaml: pod('sleep: {seconds: 10}', 'gcr.io/distroless/static-debian12:nonroot'),
      opts: v128,
      noFix: true,
    },
    {
      name: 'a comment inside the hook blocks the fix',
      yaml: pod('sleep:\n          # propagation\n          seconds: 10'),
      opts: v128,
      noFix: true,
    },
  ],
  dontFire: [
    { name: 'native sleep from 1.30 on', yaml: pod('sleep: {seconds: 10}'), opts: { settings: { kubernetesVersion: '1.30' } } },
    { name: 'the default target version (1.34)', yaml: pod('sleep: {seconds: 0}') },
    { name: 'zero seconds from 1.33 on', yaml: pod('sleep: {seconds: 0}'), opts: { settings: { kubernetesVersion: '1.33' } } },
    { name: 'an exec sleep on an old cluster', yaml: pod('exec: {command: ["sleep", "10"]}'), opts: v128 },
    { name: 'an httpGet hook on an old cluster', yaml: pod('httpGet: {path: /drain, port: 8080}'), opts: v128 },
    {
      name: 'suppressed by a directive',
      yaml: pod('sleep: {seconds: 10}').replace('      preStop:', '      # kube-graceful-disable-next-line sleep-action-unsupported\n      preStop:'),
      opts: v128,
    },
  ],
});

test('the message names the version each form needs and the target', () => {
  const [old] = findingsOf(pod('sleep: {seconds: 10}'), 'sleep-action-unsupported', v128);
  assert.match(old?.message ?? '', /1\.30/);
  assert.match(old?.message ?? '', /1\.28/);
  const [zero] = findingsOf(pod('sleep: {seconds: 0}'), 'sleep-action-unsupported', v132);
  assert.match(zero?.message ?? '', /1\.33/);
  assert.match(zero?.message ?? '', /1\.32/);
  const [both] = findingsOf(pod('sleep: {seconds: 0}'), 'sleep-action-unsupported', v129);
  assert.match(both?.message ?? '', /1\.30.*1\.33/);
});
