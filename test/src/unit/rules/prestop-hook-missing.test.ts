import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, lint, ruleTests, yaml } from '../helpers';
import { agicAnnotations, deployment as game, docs, ingress, nlbAnnotations, service as gameService } from '../lb-fixtures';

const service = yaml`
  apiVersion: v1
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

const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
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
        - name: web
          image: nginx:1.27
          ports:
          - containerPort: 8080
`;

ruleTests('prestop-hook-missing', {
  fire: [
    {
      name: 'a container selected by a Service in the same file',
      yaml: `${service}---\n${deployment}`,
      lines: [26],
      severity: 'warning',
      fixed: `${service}---\n${deployment}        lifecycle:\n          preStop:\n            sleep:\n              seconds: 10\n`,
    },
    {
      name: 'a Service in another file of the same run',
      yaml: deployment,
      opts: { otherFiles: [service] },
      lines: [15],
    },
    {
      name: 'ports and no Service anywhere: the port is the sign',
      yaml: deployment,
      lines: [15],
    },
    {
      name: 'before 1.30 the fix inserts an exec sleep',
      yaml: deployment,
      opts: { settings: { kubernetesVersion: '1.29' } },
      fixed: `${deployment}        lifecycle:\n          preStop:\n            exec:\n              command: ["sleep", "10"]\n`,
    },
    {
      name: 'a Service in another namespace leaves this one without Services: the port counts',
      yaml: deployment,
      opts: { otherFiles: [service.replace('name: web', 'name: web\n  namespace: other')] },
      lines: [15],
    },
    {
      name: 'a hostPort always counts, even in a DaemonSet',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: proxy}
        spec:
          selector: {matchLabels: {app: proxy}}
          template:
            metadata: {labels: {app: proxy}}
            spec:
              containers:
              - name: proxy
                image: envoy
                ports:
                - containerPort: 80
                  hostPort: 80
      `,
      lines: [10],
    },
    {
      name: 'the fix raises a grace period that would not cover sleep + shutdown',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          terminationGracePeriodSeconds: 5 # short
          containers:
            - name: app
              image: app:1
              ports:
                - containerPort: 80
      `,
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          terminationGracePeriodSeconds: 30 # short
          containers:
            - name: app
              image: app:1
              ports:
                - containerPort: 80
              lifecycle:
                preStop:
                  sleep:
                    seconds: 10
      `,
    },
    {
      name: 'a flow-style container map',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - {name: app, image: app, ports: [{containerPort: 80}]}
      `,
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - {name: app, image: app, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 10}}}}
      `,
    },
    {
      name: 'an empty lifecycle',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: app
            image: app
            lifecycle:
            ports: [{containerPort: 80}]
      `,
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: app
            image: app
            lifecycle:
              preStop:
                sleep:
                  seconds: 10
            ports: [{containerPort: 80}]
      `,
    },
    {
      name: 'a lifecycle with only postStart',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: app
            image: app
            ports: [{containerPort: 80}]
            lifecycle:
              postStart:
                exec: {command: [touch, /ready]}
      `,
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: app
            image: app
            ports: [{containerPort: 80}]
            lifecycle:
              postStart:
                exec: {command: [touch, /ready]}
              preStop:
                sleep:
                  seconds: 10
      `,
    },
    {
      name: 'a container reached through an alias gets no fix',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        x-app: &app
          name: app
          image: app
          ports: [{containerPort: 80}]
        spec:
          containers:
          - *app
      `,
      noFix: true,
    },
  ],
  dontFire: [
    { name: 'a preStop hook is there', yaml: `${deployment}        lifecycle:\n          preStop:\n            httpGet: {path: /drain, port: 8080}\n` },
    {
      name: 'a Service exists in the namespace but selects other pods',
      yaml: `${service.replace('app: web', 'app: other')}\n---\n${deployment}\n`,
    },
    { name: 'a Job never serves', yaml: deployment.replace('apps/v1', 'batch/v1').replace('kind: Deployment', 'kind: Job') },
    {
      name: 'only metrics ports',
      yaml: deployment.replace('- containerPort: 8080', '- containerPort: 9090\n            name: metrics'),
    },
    {
      name: 'a DaemonSet with ports but no Service and no hostPort',
      yaml: deployment.replace('kind: Deployment', 'kind: DaemonSet'),
    },
    { name: 'no ports and no Service', yaml: deployment.replace(/ {8}ports:\n {8}- containerPort: 8080\n/, '') },
    {
      name: 'a kustomize patch (no selector, no image)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - name: web
                ports: [{containerPort: 80}]
      `,
    },
    { name: 'a directive on the line above', yaml: deployment.replace('      - name: web', '      # kube-graceful-disable-next-line prestop-hook-missing -- drains itself\n      - name: web') },
    {
      name: 'an ignore annotation on the object',
      yaml: deployment.replace('  name: web\nspec:', '  name: web\n  annotations:\n    ignore-check.kube-graceful.io/prestop-hook-missing: "drains in-process"\nspec:'),
    },
    { name: 'rule turned off', yaml: deployment, opts: { settings: { rules: { 'prestop-hook-missing': 'off' } } } },
    { name: 'a Knative Service (Knative drains and forbids lifecycle)', yaml: yaml`
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: hello}
        spec:
          template:
            spec:
              containers:
              - image: hello
                ports: [{containerPort: 8080}]
      ` },
  ],
});

test('the message names the Service and the finding relates to it', () => {
  const text = `${service}\n---\n${deployment}\n`;
  const [f] = findingsOf(text, 'prestop-hook-missing');
  assert.ok(f);
  assert.match(f.message, /Service "web"/);
  assert.equal(f.related.length, 1);
  assert.equal(text.slice(f.related[0]?.span.start, f.related[0]?.span.end), 'Service');
  assert.equal(text.slice(f.span.start, f.span.end), 'web');
});

test('the Service in another file is related with its path', () => {
  const [f] = findingsOf(deployment, 'prestop-hook-missing', { otherFiles: [service] });
  assert.equal(f?.related[0]?.filePath, 'other-0.yaml');
});

test('a directive without rules silences every rule on that line', () => {
  const text = deployment.replace('      - name: web', '      # kube-graceful-disable-next-line\n      - name: web');
  assert.equal(lint(text).findings.length, 0);
});

// Behind a load balancer that reaches the pod by its IP, the inserted sleep is that load balancer's minimum.
const blockSleep = (n: number): string => `lifecycle:\n  preStop:\n    sleep:\n      seconds: ${n}`;
const behindNlb = (opts: { extra?: string; grace?: number } = {}): string => docs(game(opts), gameService({ type: 'LoadBalancer', annotations: nlbAnnotations() }));
const behindAgic = (opts: { extra?: string; grace?: number } = {}): string =>
  docs(game(opts), gameService(), ingress({ className: '', annotations: agicAnnotations() }));

ruleTests('prestop-hook-missing', {
  fire: [
    {
      name: 'behind an NLB in IP mode: a 120 s sleep, and the grace period raised to 140',
      yaml: behindNlb(),
      severity: 'warning',
      fixed: behindNlb({ extra: blockSleep(120), grace: 140 }),
    },
    {
      name: 'behind AGIC (Ingress in another file): a 90 s sleep and grace 110',
      yaml: docs(game(), gameService()),
      opts: { otherFiles: [ingress({ className: '', annotations: agicAnnotations() })] },
      fixed: docs(game({ extra: blockSleep(90), grace: 110 }), gameService()),
    },
    {
      name: 'behind an ALB in IP mode the minimum (10 s) is not above preStopSleepSeconds (15): 15 s, grace 35',
      yaml: docs(game(), gameService(), ingress()),
      opts: { settings: { preStopSleepSeconds: 15 } },
      fixed: docs(game({ extra: blockSleep(15), grace: 35 }), gameService(), ingress()),
    },
  ],
  dontFire: [{ name: 'behind AGIC with the hook Azure recommends', yaml: behindAgic({ extra: 'lifecycle:\n  preStop:\n    exec: {command: ["sleep", "90"]}', grace: 101 }) }],
});

test('behind a load balancer the message says how long the sleep must be', () => {
  const [f] = findingsOf(behindNlb(), 'prestop-hook-missing');
  assert.match(f?.message ?? '', /Network Load Balancer in IP target mode reaches it by its IP .*at least 120 s \(minSleepAwsNlbIpSeconds\)/);
  assert.equal(f?.related.length, 2);
});
