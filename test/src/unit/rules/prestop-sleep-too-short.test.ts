import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTests, yaml } from '../helpers';
import { agicAnnotations, deployment, docs, ingress, NEG_ANNOTATIONS, nlbAnnotations, service, sleepHook } from '../lb-fixtures';

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

// The path in front of the pod: a cloud load balancer that reaches it by its IP needs its own minimum.
const alb = (extra: string, grace?: number, annotations?: string): string =>
  docs(deployment({ extra, ...(grace !== undefined ? { grace } : {}) }), service(), ingress(annotations !== undefined ? { annotations } : {}));
const nlb = (extra: string, grace?: number): string =>
  docs(deployment({ extra, ...(grace !== undefined ? { grace } : {}) }), service({ type: 'LoadBalancer', annotations: nlbAnnotations() }));
const neg = (extra: string, grace?: number): string => docs(deployment({ extra, ...(grace !== undefined ? { grace } : {}) }), service({ annotations: NEG_ANNOTATIONS }));
const agic = (extra: string, grace?: number): string =>
  docs(
    deployment({ extra, ...(grace !== undefined ? { grace } : {}) }),
    service(),
    ingress({ className: '', annotations: agicAnnotations('appgw.ingress.kubernetes.io/connection-draining: "true"\nappgw.ingress.kubernetes.io/connection-draining-timeout: "30"') }),
  );

ruleTests('prestop-sleep-too-short', {
  fire: [
    {
      name: 'an NLB in IP mode: 10 s is short of 120 s; the fix sleeps 120 s and raises the grace period to 140',
      yaml: nlb(sleepHook(10)),
      lines: [24],
      severity: 'warning',
      fixed: nlb(sleepHook(120), 140),
    },
    {
      name: 'an ALB in IP mode (the 2048 example): 5 s is short of 10 s',
      yaml: alb(sleepHook(5)),
      severity: 'warning',
      fixed: alb(sleepHook(10)),
    },
    {
      name: 'GKE container-native load balancing: 5 s is short of 10 s',
      yaml: neg(sleepHook(5)),
      fixed: neg(sleepHook(10)),
    },
    {
      name: 'AGIC: 30 s is short of 90 s; the grace period grows with the sleep',
      yaml: agic(sleepHook(30), 40),
      fixed: agic(sleepHook(90), 110),
    },
    {
      name: 'the Ingress and the Service in other files',
      yaml: deployment({ extra: sleepHook(5) }),
      opts: { otherFiles: [ingress(), service()] },
      fixed: deployment({ extra: sleepHook(10) }),
    },
    {
      name: 'a configured minimum for the NLB',
      yaml: nlb(sleepHook(30), 90),
      opts: { settings: { minSleepAwsNlbIpSeconds: 60 } },
      fixed: nlb(sleepHook(60), 90),
    },
  ],
  dontFire: [
    { name: "the EKS guide's sleep 10 behind an ALB in IP mode", yaml: alb(sleepHook(10)) },
    { name: "the EKS best-practices guide's sleep 180 with grace 200 behind an NLB in IP mode", yaml: nlb(sleepHook(180), 200) },
    { name: "Azure's recommended sleep 90 with grace 101 behind AGIC", yaml: agic(sleepHook(90), 101) },
    { name: "Google's example sleep 40 behind a NEG", yaml: neg(sleepHook(40), 60) },
    { name: 'an ALB with instance targets goes through kube-proxy: the in-cluster 5 s is enough', yaml: alb(sleepHook(5), undefined, 'alb.ingress.kubernetes.io/scheme: internet-facing') },
    { name: 'NEGs turned off', yaml: docs(deployment({ extra: sleepHook(5) }), service({ annotations: `cloud.google.com/neg: '{"ingress": false}'` })) },
    { name: 'an Ingress of another namespace', yaml: docs(deployment({ extra: sleepHook(5) }), service(), ingress({ ns: 'other' })) },
    { name: 'a load-balancer minimum of 0 falls back to minPropagationSeconds', yaml: nlb(sleepHook(10)), opts: { settings: { minSleepAwsNlbIpSeconds: 0 } } },
  ],
});

test('behind a load balancer the message names it and its source, and points at the annotation', () => {
  const text = nlb(sleepHook(10));
  const [f] = findingsOf(text, 'prestop-sleep-too-short');
  assert.match(f?.message ?? '', /Network Load Balancer in IP target mode/);
  assert.match(f?.message ?? '', /aws-load-balancer-controller#2366/);
  assert.match(f?.message ?? '', /120 s \(minSleepAwsNlbIpSeconds\)/);
  assert.deepEqual(
    f?.related.map((r) => text.slice(r.span.start, r.span.end)),
    ['ip'],
  );
});
