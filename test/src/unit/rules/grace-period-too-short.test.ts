import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTests, yaml } from '../helpers';

function pod(grace: string, hook: string, extra = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: api
    spec:${grace}
      containers:
      - name: api
        image: example/api:2
        lifecycle:
          preStop:
            ${hook}${extra}
  `;
}

ruleTests('grace-period-too-short', {
  fire: [
    {
      name: 'exec sleep equal to the grace period',
      yaml: pod('\n  terminationGracePeriodSeconds: 15', 'exec: {command: ["sleep", "15"]}'),
      lines: [6],
      severity: 'error',
      fixed: pod('\n  terminationGracePeriodSeconds: 35', 'exec: {command: ["sleep", "15"]}'),
    },
    {
      name: 'native sleep beyond the grace period (the API server rejects it)',
      yaml: pod('\n  terminationGracePeriodSeconds: 10 # tuned', 'sleep: {seconds: 20}'),
      severity: 'error',
      fixed: pod('\n  terminationGracePeriodSeconds: 40 # tuned', 'sleep: {seconds: 20}'),
    },
    {
      name: 'omitted grace period is 30: a 40 s sleep passes it; the fix inserts the field above containers',
      yaml: pod('', 'exec: {command: ["/bin/sh", "-c", "sleep 40 && nginx -s quit"]}'),
      lines: [10],
      severity: 'error',
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: api
        spec:
          terminationGracePeriodSeconds: 60
          containers:
          - name: api
            image: example/api:2
            lifecycle:
              preStop:
                exec: {command: ["/bin/sh", "-c", "sleep 40 && nginx -s quit"]}
      `,
    },
    {
      name: 'too little time left after the hook is a warning',
      yaml: pod('\n  terminationGracePeriodSeconds: 30', 'exec: {command: ["sleep", "28s"]}'),
      severity: 'warning',
      fixed: pod('\n  terminationGracePeriodSeconds: 48', 'exec: {command: ["sleep", "28s"]}'),
    },
    {
      name: 'the longest of several containers counts',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: two}
        spec:
          terminationGracePeriodSeconds: 60
          containers:
          - name: a
            image: a
            lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
          - name: b
            image: b
            lifecycle: {preStop: {exec: {command: [sleep, "1m"]}}}
      `,
      lines: [5],
      severity: 'error',
    },
    {
      name: 'a lower bound from a script with an unknown command still counts',
      yaml: pod('\n  terminationGracePeriodSeconds: 20', 'exec: {command: ["sh", "-c", "sleep 25; /app/drain"]}'),
      severity: 'error',
    },
    {
      name: 'CRLF line endings are kept by the fix',
      yaml: pod('\n  terminationGracePeriodSeconds: 15', 'exec: {command: ["sleep", "15"]}').replace(/\n/g, '\r\n'),
      fixed: pod('\n  terminationGracePeriodSeconds: 35', 'exec: {command: ["sleep", "15"]}').replace(/\n/g, '\r\n'),
    },
    {
      name: 'a grace period behind an alias is reported but not edited',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: api
          annotations: {grace: &g 10}
        spec:
          terminationGracePeriodSeconds: *g
          containers:
          - name: api
            image: example/api:2
            lifecycle: {preStop: {sleep: {seconds: 10}}}
      `,
      noFix: true,
    },
    {
      name: 'the new grace period goes with the pod\'s other scalar fields',
      yaml: withSidecar('', 'sleep: {seconds: 22}').replace('      name: meshed\n    spec:', '      name: meshed\n    spec:').replace('spec:\n  initContainers:', 'spec:\n  serviceAccountName: app\n  initContainers:').replace(/( {4}sleep: \{seconds: 22\}\n)$/, '$1  volumes: []\n  restartPolicy: Always\n'),
      fixed: withSidecar('', 'sleep: {seconds: 22}').replace('spec:\n  initContainers:', 'spec:\n  serviceAccountName: app\n  initContainers:').replace(/( {4}sleep: \{seconds: 22\}\n)$/, '$1  volumes: []\n  restartPolicy: Always\n  terminationGracePeriodSeconds: 47\n'),
    },
    {
      name: 'a pod spec with sorted keys (generated): the grace period in its sorted place',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: gen
        spec:
          containers:
          - image: example/app:1
            lifecycle:
              preStop:
                sleep:
                  seconds: 40
            name: app
          serviceAccountName: app
          volumes: []
      `,
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: gen
        spec:
          containers:
          - image: example/app:1
            lifecycle:
              preStop:
                sleep:
                  seconds: 40
            name: app
          serviceAccountName: app
          terminationGracePeriodSeconds: 60
          volumes: []
      `,
    },
  ],
  dontFire: [
    { name: 'enough time after the hook', yaml: pod('\n  terminationGracePeriodSeconds: 45', 'exec: {command: ["sleep", "15"]}') },
    { name: 'default 30 s covers a 10 s sleep', yaml: pod('', 'sleep: {seconds: 10}') },
    { name: 'unknown duration: httpGet', yaml: pod('\n  terminationGracePeriodSeconds: 5', 'httpGet: {path: /drain, port: 8080}') },
    { name: 'unknown duration: a variable', yaml: pod('\n  terminationGracePeriodSeconds: 5', 'exec: {command: ["sh", "-c", "sleep $DELAY"]}') },
    { name: 'unknown duration: a loop', yaml: pod('\n  terminationGracePeriodSeconds: 5', 'exec: {command: ["sh", "-c", "while true; do sleep 1; done"]}') },
    { name: 'a sleep that only runs after an unknown command succeeds', yaml: pod('\n  terminationGracePeriodSeconds: 5', 'exec: {command: ["sh", "-c", "/app/check && sleep 30"]}') },
    { name: 'a custom binary', yaml: pod('\n  terminationGracePeriodSeconds: 5', 'exec: {command: ["/wait-shutdown"]}') },
    { name: 'grace period 0 is for grace-period-zero', yaml: pod('\n  terminationGracePeriodSeconds: 0', 'sleep: {seconds: 10}') },
    { name: 'a templated grace period is not read', yaml: pod('\n  terminationGracePeriodSeconds: "{{ .Values.grace }}"', 'sleep: {seconds: 10}') },
    { name: 'a string grace period is not guessed', yaml: pod('\n  terminationGracePeriodSeconds: "5"', 'sleep: {seconds: 10}') },
    { name: 'a backgrounded sleep does not delay SIGTERM', yaml: pod('\n  terminationGracePeriodSeconds: 5', 'exec: {command: ["sh", "-c", "sleep 30 &"]}') },
  ],
});

test('the error relates to the longest hook', () => {
  const text = pod('\n  terminationGracePeriodSeconds: 15', 'exec: {command: ["sleep", "15"]}');
  const [f] = findingsOf(text, 'grace-period-too-short');
  assert.ok(f);
  assert.equal(text.slice(f.span.start, f.span.end), '15');
  assert.equal(text.slice(f.related[0]?.span.start, f.related[0]?.span.end), 'preStop');
});

// Native sidecars (initContainers with restartPolicy: Always) get SIGTERM only after every main
// container has exited: the grace period must cover the main hook, the main shutdown, and then
// the sidecars' own shutdown (minShutdownSeconds as their share).
function withSidecar(grace: string, mainHook: string, sidecarHook = '', restartPolicy = '\n    restartPolicy: Always'): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: meshed
    spec:${grace}
      initContainers:
      - name: proxy
        image: example/proxy:1${restartPolicy}${sidecarHook}
      containers:
      - name: app
        image: example/app:1
        lifecycle:
          preStop:
            ${mainHook}
  `;
}

ruleTests('grace-period-too-short', {
  fire: [
    {
      name: 'sidecar: main hook 10 s + main shutdown 5 s + sidecar shutdown 5 s do not fit in 18 s',
      yaml: withSidecar('\n  terminationGracePeriodSeconds: 18', 'sleep: {seconds: 10}'),
      lines: [6],
      severity: 'warning',
      // max(10 + shutdownSeconds 20, 0) + minShutdownSeconds 5
      fixed: withSidecar('\n  terminationGracePeriodSeconds: 35', 'sleep: {seconds: 10}'),
    },
    {
      name: 'sidecar with its own long hook: it still needs its shutdown after the hook',
      yaml: withSidecar('\n  terminationGracePeriodSeconds: 28', 'sleep: {seconds: 5}', '\n    lifecycle: {preStop: {sleep: {seconds: 25}}}'),
      severity: 'warning',
      fixed: withSidecar('\n  terminationGracePeriodSeconds: 30', 'sleep: {seconds: 5}', '\n    lifecycle: {preStop: {sleep: {seconds: 25}}}'),
    },
    {
      name: 'sidecar: the error tier keeps its rule, the fix adds the sidecar share',
      yaml: withSidecar('\n  terminationGracePeriodSeconds: 30', 'exec: {command: ["sleep", "30"]}'),
      severity: 'error',
      fixed: withSidecar('\n  terminationGracePeriodSeconds: 55', 'exec: {command: ["sleep", "30"]}'),
    },
    {
      name: 'sidecar: omitted grace period (30) with a 22 s hook; the field goes above initContainers, never between them and containers; CRLF',
      yaml: withSidecar('', 'sleep: {seconds: 22}').replace(/\n/g, '\r\n'),
      severity: 'warning',
      fixed: withSidecar('', 'sleep: {seconds: 22}')
        .replace('  initContainers:', '  terminationGracePeriodSeconds: 47\n  initContainers:')
        .replace(/\n/g, '\r\n'),
    },
  ],
  dontFire: [
    { name: 'sidecar: the grace period covers hook, main shutdown and sidecar shutdown', yaml: withSidecar('\n  terminationGracePeriodSeconds: 20', 'sleep: {seconds: 10}') },
    { name: 'a regular init container is not a sidecar', yaml: withSidecar('\n  terminationGracePeriodSeconds: 18', 'sleep: {seconds: 10}', '', '') },
    { name: 'sidecar pod without any timed hook', yaml: withSidecar('\n  terminationGracePeriodSeconds: 3', 'httpGet: {path: /drain, port: 8080}') },
  ],
});

test('with sidecars the message gives the timeline', () => {
  const [f] = findingsOf(withSidecar('\n  terminationGracePeriodSeconds: 18', 'sleep: {seconds: 10}'), 'grace-period-too-short');
  assert.ok(f);
  assert.match(f.message, /0 s: preStop hooks start; 10 s: container "app" gets SIGTERM; 15 s: .*; 15 s: sidecar "proxy" gets SIGTERM; 20 s: /);
  assert.match(f.message, /SIGKILL comes at 18 s/);
});
