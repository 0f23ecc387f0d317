/**
 * Re-analysis with a long-lived ParseCache (the editor's way: one cache per open document,
 * pruned after each analysis) must give exactly what a fresh analysis of the same text gives,
 * over many steps in which the text, the Services of other files and the settings change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText, DEFAULT_SETTINGS, mergeSettings, ParseCache, prepareText, type Analysis, type ConfigMapInfo, type RouteInfo, type ServiceInfo, type Settings } from '../../../server/out/core';
import { mutate } from '../fuzz/mutate';
import { Rng } from '../fuzz/random';

/** Everything a front end shows of an analysis, with every fix built. */
function summary(a: Analysis): string {
  return JSON.stringify({
    findings: a.findings.map((f) => ({ ...f, hasFix: a.hasFix(f), fix: a.fixFor(f) ?? null })),
    notices: a.notices,
    services: a.prepared.services,
    pods: a.pods.map((p) => [p.subject, p.specSpan, p.containers.map((c) => [c.subject, c.span, c.preStop?.duration ?? null])]),
  });
}

const ALIASED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - &base
          name: app
          image: example/app:1
          ports: [{containerPort: 8080}]
        - <<: *base
          name: second
        - <<: *base
          name: third
        - <<: *base
          name: fourth
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

function withServicePort(text: string, port: number): string {
  return text.replace(/port: \d+, targetPort/, `port: ${port}, targetPort`);
}

test('an aliased Deployment keeps every finding through 200 edits of a Service beside it', () => {
  const cache = new ParseCache();
  const fresh = analyzeText(ALIASED, { settings: DEFAULT_SETTINGS });
  const hooks = fresh.findings.filter((f) => f.ruleId === 'prestop-hook-missing');
  assert.equal(hooks.length, 4, 'one finding per container');
  for (let i = 0; i < 200; i++) {
    const text = withServicePort(ALIASED, 80 + i);
    const warm = analyzeText(text, { settings: DEFAULT_SETTINGS, cache });
    cache.prune();
    assert.equal(warm.findings.filter((f) => f.ruleId === 'prestop-hook-missing').length, 4, `edit ${i}`);
    assert.equal(summary(warm), summary(analyzeText(text, { settings: DEFAULT_SETTINGS })), `edit ${i}`);
  }
});

const OTHER_SERVICE = (i: number): ServiceInfo => ({
  name: `other-${i % 3}`,
  namespace: '',
  selector: new Map([['app', i % 2 === 0 ? 'web' : 'nothing']]),
  ports: [{ port: 80, targetPort: i % 4 === 0 ? 8080 : 9999, name: undefined }],
  span: { start: 0, end: 4 },
  filePath: '/elsewhere/svc.yaml',
});

test('200 re-analyses while the text, Services elsewhere and settings change equal a fresh analysis each time', () => {
  const r = new Rng(20261129);
  const cache = new ParseCache();
  let text = ALIASED;
  for (let i = 0; i < 200; i++) {
    const step = i % 4;
    if (step === 0) text = mutate(text, r, { max: 1 }).text;
    if (step === 1) text = withServicePort(ALIASED, 80 + (i % 7));
    const settings: Settings = mergeSettings(DEFAULT_SETTINGS, { preStopSleepSeconds: 5 + (i % 3), kubernetesVersion: i % 5 === 0 ? '1.28' : '1.34' });
    const services = step === 2 ? [OTHER_SERVICE(i)] : [];
    const warm = analyzeText(text, { settings, services, cache });
    cache.prune();
    const cold = analyzeText(text, { settings, services });
    assert.equal(summary(warm), summary(cold), `step ${i}`);
  }
});

const BEHIND_LB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: example/app:1
          args: ["gunicorn", "--graceful-timeout", "30", "app:app"]
          ports: [{containerPort: 8080}]
          lifecycle: {preStop: {sleep: {seconds: 5}}}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: TARGET
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

/** An Ingress to Service "web" with an ALB target type and deregistration delay, as another file has it. */
function otherIngress(target: string, delay: number): RouteInfo[] {
  const text = `# padding ${'x'.repeat(delay)}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    alb.ingress.kubernetes.io/target-type: ${target}
    alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=${delay}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`;
  return prepareText(text).routes.map((r) => ({ ...r, filePath: '/elsewhere/ingress.yaml' }));
}

test('200 re-analyses while Ingresses elsewhere and the Service\'s load-balancer annotation change equal a fresh analysis each time', () => {
  const r = new Rng(20261130);
  const cache = new ParseCache();
  let sawLb = 0;
  for (let i = 0; i < 200; i++) {
    // The annotation in this file changes, and moves (a comment line above it comes and goes).
    const target = r.pick(['ip', 'instance', 'IP']);
    let text = BEHIND_LB.replace('TARGET', target);
    if (i % 3 === 0) text = `# moved\n${text}`;
    const routes = i % 4 === 3 ? [] : otherIngress(i % 2 === 0 ? 'ip' : 'instance', [5, 10, 40][i % 3] ?? 5);
    const warm = analyzeText(text, { settings: DEFAULT_SETTINGS, routes, cache });
    cache.prune();
    const cold = analyzeText(text, { settings: DEFAULT_SETTINGS, routes });
    if (warm.findings.some((f) => f.ruleId === 'lb-drain-mismatch' || f.message.includes('Load Balancer'))) sawLb++;
    assert.equal(summary(warm), summary(cold), `step ${i}`);
  }
  assert.ok(sawLb > 50, `load-balancer findings in ${sawLb} steps`);
});

const CONTROLLER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    matchLabels: {app: ingress-nginx}
  template:
    metadata:
      labels: {app: ingress-nginx}
    spec:
      terminationGracePeriodSeconds: 120
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.15.1
          args: [/nginx-ingress-controller, "--configmap=$(POD_NAMESPACE)/nginx-config"]
          env:
            - name: POD_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
          lifecycle: {preStop: {sleep: {seconds: 10}}}
`;

/** The controller's ConfigMap, as another file has it (absent, without the key, or with a timeout). */
function otherConfigMap(data: string | undefined, padding: number): ConfigMapInfo[] {
  if (data === undefined) return [];
  const text = `# padding ${'x'.repeat(padding)}
apiVersion: v1
kind: ConfigMap
metadata:
  name: nginx-config
  namespace: ingress-nginx
data:${data}
`;
  return prepareText(text).configMaps.map((c) => ({ ...c, filePath: '/elsewhere/config.yaml' }));
}

test('200 re-analyses while the ConfigMap a pod reads changes elsewhere equal a fresh analysis each time', () => {
  const r = new Rng(20261201);
  const cache = new ParseCache();
  let fired = 0;
  for (let i = 0; i < 200; i++) {
    const data = r.pick([undefined, ' {}', '\n  worker-shutdown-timeout: "60s"', '\n  worker-shutdown-timeout: "200s"', '\n  worker-shutdown-timeout: bad']);
    const configMaps = otherConfigMap(data, i % 7);
    const warm = analyzeText(CONTROLLER, { settings: DEFAULT_SETTINGS, configMaps, cache });
    cache.prune();
    const cold = analyzeText(CONTROLLER, { settings: DEFAULT_SETTINGS, configMaps });
    if (warm.findings.some((f) => f.ruleId === 'app-shutdown-exceeds-grace')) fired++;
    assert.equal(summary(warm), summary(cold), `step ${i}`);
    assert.equal(JSON.stringify(warm.findings.map((f) => f.related)), JSON.stringify(cold.findings.map((f) => f.related)), `related, step ${i}`);
  }
  assert.ok(fired > 40 && fired < 160, `app-shutdown findings in ${fired} steps`);
});
