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


/** A Deployment `name` (label app: name) whose pod spec is `podSpec` (YAML lines at the pod spec's indentation, 6 spaces). */
function workload(name: string, podSpec: string, kind = 'Deployment'): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${podSpec}`;
}

/** A Service selecting app: name with the given `ports:` items (YAML lines at 2 spaces). */
function serviceFor(name: string, ports: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
${ports}`;
}

ruleTests('prestop-hook-missing', {
  fire: [
    {
      name: 'template text in quoted strings, annotations and a ConfigMap block scalar is ordinary text',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: dashboards
data:
  pods.json: |
    {"targets": [{"expr": "up", "legendFormat": "{{pod}}"}]}
  alerts.tmpl: |
    {{ define "slack.title" }}{{ .CommonLabels.alertname }}{{ end }}
---
${workload('web', `      containers:
      - name: web
        image: nginx:1.27
        env:
        - name: GREETING
          value: "hello {{ name }}"
        ports:
        - containerPort: 8080
`).replace('  name: web\n', '  name: web\n  annotations:\n    description: \'Pod {{ $labels.pod }} restarts\'\n')}`,
      lines: [27],
    },
    {
      name: 'a Service elsewhere in the namespace selects other pods: this pod is decided on its own declared port',
      yaml: `${service.replace('app: web', 'app: other')}\n---\n${deployment}\n`,
      lines: [27],
    },
    {
      name: 'a Service targets a port no container declares: the container whose readiness probe checks it',
      yaml: `${serviceFor('api', '  - name: http\n    port: 80\n    targetPort: 8080\n')}---\n${workload('api', `      containers:
      - name: api
        image: example/api:2
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
      - name: fluent-bit
        image: fluent/fluent-bit:3.0
        ports:
        - containerPort: 2020
`)}`,
      lines: [27],
    },
    {
      name: 'a Service targets a port no container declares: the container whose PORT env names it',
      yaml: `${serviceFor('api', '  - port: 80\n    targetPort: 3000\n')}---\n${workload('api', `      containers:
      - name: api
        image: example/node-api:2
        env:
        - name: PORT
          value: "3000"
      - name: cache
        image: example/cache:1
`)}`,
      lines: [26],
    },
    {
      name: 'a Service targets a port no container declares: the only main container beside an injected mesh proxy',
      yaml: `${serviceFor('api', '  - port: 80\n    targetPort: 8080\n')}---\n${workload('api', `      containers:
      - name: api
        image: example/api:2
      - name: istio-proxy
        image: docker.io/istio/proxyv2:1.22.0
        ports:
        - containerPort: 15090
          name: http-envoy-prom
`)}`,
      lines: [26],
    },
    {
      name: 'a port named after the product (prometheus) behind a Service for its web UI and API',
      yaml: `${serviceFor('prometheus', '  - name: web\n    port: 9090\n    targetPort: prometheus\n')}---\n${workload('prometheus', `      containers:
      - name: prometheus-server
        image: prom/prometheus:v2.53.0
        ports:
        - containerPort: 9090
          name: prometheus
`)}`,
      lines: [27],
    },
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
    {
      name: 'an empty `lifecycle: {}` in a block-style file becomes a block mapping',
      yaml: `${deployment}        lifecycle: {}\n`,
      fixed: `${deployment}        lifecycle:\n          preStop:\n            sleep:\n              seconds: 10\n`,
    },
    {
      name: 'a container with sorted keys (generated): lifecycle goes in its sorted place',
      yaml: workload('gen', `      containers:
      - image: example/app:1
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
        name: app
        ports:
        - containerPort: 8080
`),
      fixed: workload('gen', `      containers:
      - image: example/app:1
        lifecycle:
          preStop:
            sleep:
              seconds: 10
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
        name: app
        ports:
        - containerPort: 8080
`),
    },
  ],
  dontFire: [
    {
      name: 'a client pod whose main process is `sleep infinity`, selected by a Service for mesh identity',
      yaml: `${serviceFor('sleep', '  - name: http\n    port: 80\n')}---\n${workload('sleep', `      terminationGracePeriodSeconds: 0
      containers:
      - name: sleep
        image: curlimages/curl
        command: ["/bin/sleep", "infinity"]
`)}`,
    },
    {
      name: 'a tool pod that tails /dev/null',
      yaml: workload('toolbox', `      containers:
      - name: toolbox
        image: example/toolbox:1
        command: ["tail", "-f", "/dev/null"]
        ports:
        - containerPort: 8080
`),
    },
    {
      name: 'a shell that only touches a file and sleeps, the script in args',
      yaml: `${serviceFor('client', '  - port: 8080\n')}---\n${workload('client', `      containers:
      - name: client
        image: busybox:1.36
        command: ["/bin/sh", "-c"]
        args:
        - touch /tmp/healthy; sleep 3600
        ports:
        - containerPort: 8080
`)}`,
    },
    {
      name: 'a keep-alive loop',
      yaml: workload('debug', `      containers:
      - name: debug
        image: busybox:1.36
        command: ["sh", "-c", "while true; do sleep 30; done"]
        ports:
        - containerPort: 80
`),
    },
    {
      name: 'ports named exporter and http-profiling',
      yaml: workload('queue', `      containers:
      - name: queue-exporter
        image: example/queue-stats:1
        ports:
        - containerPort: 9090
          name: exporter
        - containerPort: 6060
          name: http-profiling
`),
    },
    {
      name: 'an exporter image in a sidecar, its port named like any other',
      yaml: workload('rabbitmq', `      containers:
      - name: rabbitmq-exporter
        image: kbudde/rabbitmq-exporter
        ports:
        - containerPort: 9090
          name: http
`),
    },
    {
      name: 'a metrics exporter DaemonSet on the host network with a hostPort',
      yaml: workload('node-exporter', `      hostNetwork: true
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.1.2
        args: [--web.listen-address=0.0.0.0:9100]
        ports:
        - containerPort: 9100
          hostPort: 9100
          name: http
`, 'DaemonSet'),
    },
    {
      name: 'an operator whose metrics port kube-rbac-proxy fronts for a headless scrape Service',
      yaml: `${serviceFor('prometheus-operator', '  - name: https\n    port: 8443\n    targetPort: https\n')}---\n${workload('prometheus-operator', `      containers:
      - name: prometheus-operator
        image: quay.io/prometheus-operator/prometheus-operator:v0.76.0
        args: [--kubelet-service=kube-system/kubelet]
        ports:
        - containerPort: 8080
          name: http
      - name: kube-rbac-proxy
        image: quay.io/brancz/kube-rbac-proxy:v0.18.1
        args:
        - --secure-listen-address=:8443
        - --upstream=http://127.0.0.1:8080/
        ports:
        - containerPort: 8443
          name: https
`)}`,
    },
    {
      name: 'kube-rbac-proxy ports named https-main and https-self in front of an exporter, no Service',
      yaml: workload('kube-state-metrics', `      containers:
      - name: kube-state-metrics
        image: registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0
        args: [--host=127.0.0.1, --port=8081]
      - name: kube-rbac-proxy-main
        image: quay.io/brancz/kube-rbac-proxy:v0.18.1
        args: [--upstream=http://127.0.0.1:8081/]
        ports:
        - containerPort: 8443
          name: https-main
      - name: kube-rbac-proxy-self
        image: quay.io/brancz/kube-rbac-proxy:v0.18.1
        ports:
        - containerPort: 9443
          name: https-self
`),
    },
    {
      name: 'a Service whose every port is scrape-only',
      yaml: `${serviceFor('worker', '  - name: metrics\n    port: 9090\n  - name: http-metrics\n    port: 9091\n')}---\n${workload('worker', `      containers:
      - name: worker
        image: example/worker:1
        ports:
        - containerPort: 9090
        - containerPort: 9091
`)}`,
    },
    {
      name: 'a controller whose only port serves /metrics and /healthz',
      yaml: workload('example-application-controller', `      containers:
      - name: example-application-controller
        image: example/controller:1
        ports:
        - containerPort: 8082
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8082
`, 'StatefulSet'),
    },
    {
      name: 'a controller known by its image, probed by wget against its own port',
      yaml: workload('flagger', `      containers:
      - name: flagger
        image: ghcr.io/fluxcd/flagger:1.0.0
        ports:
        - name: http
          containerPort: 8080
        livenessProbe:
          exec:
            command: [wget, --quiet, --spider, "http://localhost:8080/healthz"]
`),
    },
    {
      name: 'a workload that says it is a metrics proxy',
      yaml: workload('metrics-proxy', `      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
`),
    },
    {
      name: 'an injected mesh proxy (its drain is a mesh annotation, not a hook in injected YAML)',
      yaml: workload('tap', `      containers:
      - name: linkerd-proxy
        image: cr.l5d.io/linkerd/proxy:stable
        ports:
        - containerPort: 4143
          name: linkerd-proxy
`),
    },
    { name: 'a preStop hook is there', yaml: `${deployment}        lifecycle:\n          preStop:\n            httpGet: {path: /drain, port: 8080}\n` },
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

test('below 1.30 the exec sleep title says when the image is not known to have `sleep`', () => {
  const title = (text: string): string | undefined => {
    const a = lint(text, { settings: { kubernetesVersion: '1.29' } });
    const f = a.findings.find((x) => x.ruleId === 'prestop-hook-missing');
    return f ? a.fixFor(f)?.title : undefined;
  };
  assert.equal(title(deployment), 'Add a preStop exec "sleep 10"');
  assert.equal(title(deployment.replace('image: nginx:1.27', 'image: example/app:1')), 'Add a preStop exec "sleep 10" (needs a `sleep` binary in the image)');
  assert.equal(title(deployment.replace('image: nginx:1.27', 'image: gcr.io/distroless/static:nonroot')), undefined);
});

// Behind a load balancer that reaches the pod by its IP, the inserted sleep is that load balancer's minimum.
const blockSleep = (n: number): string => `lifecycle:\n  preStop:\n    sleep:\n      seconds: ${n}`;
const behindNlb = (opts: { extra?: string; sorted?: string; grace?: number } = {}): string => docs(game(opts), gameService({ type: 'LoadBalancer', annotations: nlbAnnotations() }));
const behindAgic = (opts: { extra?: string; grace?: number } = {}): string =>
  docs(game(opts), gameService(), ingress({ className: '', annotations: agicAnnotations() }));

ruleTests('prestop-hook-missing', {
  fire: [
    {
      name: 'behind an NLB in IP mode: a 120 s sleep, and the grace period raised to 140',
      yaml: behindNlb(),
      severity: 'warning',
      fixed: behindNlb({ sorted: blockSleep(120), grace: 140 }),
    },
    {
      name: 'behind AGIC (Ingress in another file): a 90 s sleep and grace 110',
      yaml: docs(game(), gameService()),
      opts: { otherFiles: [ingress({ className: '', annotations: agicAnnotations() })] },
      fixed: docs(game({ sorted: blockSleep(90), grace: 110 }), gameService()),
    },
    {
      name: 'behind an ALB in IP mode the minimum (10 s) is not above preStopSleepSeconds (15): 15 s, grace 35',
      yaml: docs(game(), gameService(), ingress()),
      opts: { settings: { preStopSleepSeconds: 15 } },
      fixed: docs(game({ sorted: blockSleep(15), grace: 35 }), gameService(), ingress()),
    },
  ],
  dontFire: [{ name: 'behind AGIC with the hook Azure recommends', yaml: behindAgic({ extra: 'lifecycle:\n  preStop:\n    exec: {command: ["sleep", "90"]}', grace: 101 }) }],
});

test('behind a load balancer the message says how long the sleep must be', () => {
  const [f] = findingsOf(behindNlb(), 'prestop-hook-missing');
  assert.match(f?.message ?? '', /Network Load Balancer in IP target mode reaches it by its IP .*at least 120 s \(minSleepAwsNlbIpSeconds\)/);
  assert.equal(f?.related.length, 2);
});

test('templates are read in place: a serving container without a hook is reported on its template line', () => {
  const cases = [
    `{{- if .Values.web.enabled }}\n${workload('web', `      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
`)}{{- end }}\n`,
    deployment.replace('image: nginx:1.27', 'image: "{{ template "image" . }}"'),
    deployment.replace('image: nginx:1.27', 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"'),
  ];
  for (const text of cases) {
    const found = findingsOf(text, 'prestop-hook-missing');
    assert.equal(found.length, 1, text);
    assert.equal(text.slice(found[0]?.span.start, found[0]?.span.end), 'web');
  }
});
