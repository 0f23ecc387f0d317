import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTests, yaml } from '../helpers';

function pod(hook: string, grace = '', ports = '\n    ports: [{containerPort: 8080}]'): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: api
    spec:${grace}
      containers:
      - name: api
        image: example/api:2${ports}
        lifecycle:
          preStop:
            ${hook}
  `;
}

ruleTests('prestop-sleep-too-short', {
  fire: [
    {
      name: 'a native sleep of 2 s; the fix sets it to minPropagationSeconds',
      yaml: pod('sleep: {seconds: 2}'),
      lines: [12],
      severity: 'info',
      fixed: pod('sleep: {seconds: 5}'),
    },
    {
      name: 'an exec sleep with a quoted operand',
      yaml: pod('exec: {command: ["sleep", "1"]}'),
      fixed: pod('exec: {command: ["sleep", "5"]}'),
    },
    {
      name: 'a suffix is kept',
      yaml: pod("exec: {command: ['/bin/sleep', '3s']}"),
      fixed: pod("exec: {command: ['/bin/sleep', '5s']}"),
    },
    {
      name: 'the sleep of a shell script, block style, CRLF',
      yaml: pod('exec:\n          command:\n          - /bin/sh\n          - -c\n          - sleep 2 && nginx -s quit').replace(/\n/g, '\r\n'),
      fixed: pod('exec:\n          command:\n          - /bin/sh\n          - -c\n          - sleep 5 && nginx -s quit').replace(/\n/g, '\r\n'),
    },
    {
      name: 'a tight grace period is raised with the sleep',
      yaml: pod('sleep: {seconds: 2}', '\n  terminationGracePeriodSeconds: 8 # keep'),
      fixed: pod('sleep: {seconds: 5}', '\n  terminationGracePeriodSeconds: 25 # keep'),
    },
    {
      name: 'a higher minPropagationSeconds',
      yaml: pod('sleep: {seconds: 10}', '\n  terminationGracePeriodSeconds: 60'),
      opts: { settings: { minPropagationSeconds: 15 } },
      fixed: pod('sleep: {seconds: 15}', '\n  terminationGracePeriodSeconds: 60'),
    },
    {
      name: 'two sleeps in one script: reported, no fix',
      yaml: pod('exec: {command: ["sh", "-c", "sleep 1; sleep 1"]}'),
      noFix: true,
    },
    {
      name: 'no ports and no Service: the sleep itself says the container is meant to drain',
      yaml: pod('sleep: {seconds: 1}', '', ''),
    },
  ],
  dontFire: [
    { name: 'five seconds', yaml: pod('sleep: {seconds: 5}') },
    { name: 'no sleep at all: nginx -s quit only', yaml: pod('exec: {command: ["/usr/sbin/nginx", "-s", "quit"]}') },
    { name: 'an explicit zero is a deliberate no-op', yaml: pod('sleep: {seconds: 0}') },
    { name: 'unknown length: a variable', yaml: pod('exec: {command: ["sh", "-c", "sleep $DELAY"]}') },
    { name: 'only a lower bound: the script goes on with an unknown command', yaml: pod('exec: {command: ["sh", "-c", "sleep 2; /drain"]}') },
    { name: 'an httpGet hook', yaml: pod('httpGet: {path: /drain, port: 8080}') },
    {
      name: 'grace period 0: the hook never runs (grace-period-zero speaks for it)',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          terminationGracePeriodSeconds: 0
          containers:
          - name: web
            image: example/web:1
            ports: [{containerPort: 80}]
            lifecycle: {preStop: {sleep: {seconds: 1}}}
      `,
    },
    {
      name: 'a container known not to serve while another does',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: web
            image: example/web:1
            ports: [{containerPort: 80}]
            lifecycle: {preStop: {sleep: {seconds: 10}}}
          - name: worker
            image: example/worker:1
            lifecycle: {preStop: {sleep: {seconds: 1}}}
      `,
    },
    { name: 'minPropagationSeconds 0 turns it off', yaml: pod('sleep: {seconds: 1}'), opts: { settings: { minPropagationSeconds: 0 } } },
    {
      name: 'a CronJob',
      yaml: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: c}
        spec:
          schedule: "* * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - name: c
                    image: busybox
                    lifecycle: {preStop: {exec: {command: [sleep, "1"]}}}
      `,
    },
  ],
});

test('the message gives the sleep and the minimum', () => {
  const [f] = findingsOf(pod('sleep: {seconds: 2}'), 'prestop-sleep-too-short');
  assert.match(f?.message ?? '', /only 2 s/);
  assert.match(f?.message ?? '', /5 s/);
});
