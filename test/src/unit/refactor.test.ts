import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText, applyEdits, DEFAULT_SETTINGS, mergeSettings, refactoringsAt, type PartialSettings, type Refactoring } from '../../../server/out/core';
import { yaml } from './helpers';
import { deployment as game, docs, nlbAnnotations, service as gameService } from './lb-fixtures';

function at(text: string, marker: string, settings: PartialSettings = {}, nth = 0): Refactoring[] {
  const s = mergeSettings(DEFAULT_SETTINGS, settings);
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(marker, offset + 1);
  assert.ok(offset >= 0, `marker ${marker}`);
  return refactoringsAt(analyzeText(text, { settings: s }), offset + 1, s);
}

function apply(text: string, r: Refactoring | undefined): string {
  assert.ok(r, 'expected a refactoring');
  return applyEdits(text, r.edits);
}

function titled(rs: Refactoring[], title: string): Refactoring | undefined {
  return rs.find((r) => r.title === title);
}

function pod(hook: string, image = 'example/api:2', grace = '\n  terminationGracePeriodSeconds: 40'): string {
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

test('exec sleep → native sleep action, keeping the duration (flow)', () => {
  const text = pod('exec: {command: ["sleep", "15"]}');
  const rs = at(text, 'preStop');
  assert.deepEqual(rs.map((r) => r.kind), ['refactor.rewrite']);
  assert.equal(apply(text, titled(rs, 'Convert to the native sleep action')), pod('sleep: {seconds: 15}'));
});

test('sh -c "sleep N" → native, block style; offered anywhere inside the hook', () => {
  const text = pod('exec:\n          command: [/bin/sh, -c, sleep 20]');
  const rs = at(text, 'command');
  assert.equal(apply(text, titled(rs, 'Convert to the native sleep action')), pod('sleep:\n          seconds: 20'));
});

test('native sleep → exec sleep, CRLF kept', () => {
  const text = pod('sleep:\n          seconds: 12').replace(/\n/g, '\r\n');
  const rs = at(text, 'sleep:');
  assert.equal(apply(text, titled(rs, 'Convert to an exec sleep')), pod('exec:\n          command: ["sleep", "12"]').replace(/\n/g, '\r\n'));
});

test('no native conversion before 1.30, or when the sleep exceeds the grace period, or for a script that does more', () => {
  assert.equal(titled(at(pod('exec: {command: ["sleep", "15"]}'), 'preStop', { kubernetesVersion: '1.29' }), 'Convert to the native sleep action'), undefined);
  assert.equal(titled(at(pod('exec: {command: ["sleep", "60"]}'), 'preStop'), 'Convert to the native sleep action'), undefined);
  assert.equal(titled(at(pod('exec: {command: ["sh", "-c", "sleep 5 && nginx -s quit"]}'), 'preStop'), 'Convert to the native sleep action'), undefined);
});

test('a 0 s exec sleep converts to the native action only where zero-second sleeps are on (1.33)', () => {
  const text = pod('exec: {command: ["sleep", "0"]}');
  assert.equal(titled(at(text, 'preStop', { kubernetesVersion: '1.32' }), 'Convert to the native sleep action'), undefined);
  assert.equal(apply(text, titled(at(text, 'preStop', { kubernetesVersion: '1.33' }), 'Convert to the native sleep action')), pod('sleep: {seconds: 0}'));
});

test('no exec conversion in a minimal image', () => {
  assert.deepEqual(at(pod('sleep: {seconds: 10}', 'gcr.io/distroless/static'), 'preStop'), []);
});

test('nothing outside a hook or a workload key', () => {
  assert.deepEqual(at(pod('sleep: {seconds: 10}'), 'image'), []);
  assert.deepEqual(at(pod('sleep: {seconds: 10}'), 'name: api'), []);
});

const service = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector: {app: web}
    ports:
    - port: 80
      targetPort: 8080
`;

function deploy(grace = '', containers = '      - name: web\n        image: example/web:1\n        ports:\n        - containerPort: 8080'): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:${grace}
          containers:
    ${containers}
  `;
}

test('set up graceful shutdown on the kind value: hook + grace period in one edit set', () => {
  const text = `${service}---\n${deploy()}`;
  const rs = at(text, 'Deployment');
  const r = titled(rs, 'Set up graceful shutdown');
  assert.equal(rs.length, 1);
  assert.equal(
    apply(text, r),
    `${service}---\n${deploy('', '      - name: web\n        image: example/web:1\n        ports:\n        - containerPort: 8080\n        lifecycle:\n          preStop:\n            sleep:\n              seconds: 10')}`,
  );
});

test('set up graceful shutdown before 1.30 uses an exec sleep, and raises a short grace period', () => {
  const text = deploy('\n      terminationGracePeriodSeconds: 10');
  const r = titled(at(text, 'terminationGracePeriodSeconds', { kubernetesVersion: '1.28' }), 'Set up graceful shutdown');
  assert.equal(
    apply(text, r),
    deploy(
      '\n      terminationGracePeriodSeconds: 30',
      '      - name: web\n        image: example/web:1\n        ports:\n        - containerPort: 8080\n        lifecycle:\n          preStop:\n            exec:\n              command: ["sleep", "10"]',
    ),
  );
});

test('set up graceful shutdown covers every serving container, and only those', () => {
  const containers =
    '      - name: web\n        image: example/web:1\n        ports: [{containerPort: 8080}]\n' +
    '      - name: admin\n        image: example/admin:1\n        ports: [{containerPort: 9000}]\n' +
    '      - name: worker\n        image: example/worker:1';
  const text = deploy('', containers);
  const out = apply(text, titled(at(text, 'containers'), 'Set up graceful shutdown'));
  const a = analyzeText(out, { settings: DEFAULT_SETTINGS });
  const p = a.pods[0];
  assert.ok(p);
  assert.deepEqual(p.containers.map((c) => c.preStop?.form), ['sleep', 'sleep', undefined]);
});

test('the single main container gets the hook when nothing is known to serve', () => {
  const text = deploy('', '      - name: app\n        image: example/app:1');
  const out = apply(text, titled(at(text, 'Deployment'), 'Set up graceful shutdown'));
  assert.match(out, /preStop:\n {12}sleep:\n {14}seconds: 10/);
});

test('no set-up when a serving container already has a hook, for a Job, or before 1.30 in a minimal image', () => {
  const hooked = deploy('', '      - name: web\n        image: example/web:1\n        ports: [{containerPort: 8080}]\n        lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}}');
  assert.deepEqual(at(hooked, 'Deployment'), []);
  const job = yaml`
    apiVersion: batch/v1
    kind: Job
    metadata: {name: j}
    spec:
      template:
        spec:
          containers:
          - name: j
            image: busybox
  `;
  assert.deepEqual(at(job, 'Job'), []);
  const distroless = deploy('', '      - name: web\n        image: gcr.io/distroless/static\n        ports: [{containerPort: 8080}]');
  assert.deepEqual(at(distroless, 'Deployment', { kubernetesVersion: '1.29' }), []);
  assert.equal(at(distroless, 'Deployment').length, 1);
});

test('set-up in a flow-style pod spec', () => {
  const text = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec: {containers: [{name: app, image: example/app:1, ports: [{containerPort: 80}]}]}
  `;
  const out = apply(text, titled(at(text, 'Pod'), 'Set up graceful shutdown'));
  assert.equal(out, text.replace('ports: [{containerPort: 80}]}', 'ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 10}}}}'));
});

test('the second document of a file', () => {
  const text = `${pod('sleep: {seconds: 5}')}---\n${pod('exec: {command: ["sleep", "7"]}')}`;
  const rs = at(text, 'preStop', {}, 1);
  assert.equal(apply(text, titled(rs, 'Convert to the native sleep action')), `${pod('sleep: {seconds: 5}')}---\n${pod('sleep: {seconds: 7}')}`);
});

test('set up graceful shutdown uses Services from other files, as the findings do', () => {
  const containers =
    '      - name: web\n        image: example/web:1\n        ports: [{containerPort: 8080}]\n' +
    '      - name: admin\n        image: example/admin:1\n        ports: [{containerPort: 9000}]';
  const text = deploy('', containers);
  const other = yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: admin}
    spec:
      selector: {app: web}
      ports: [{port: 80, targetPort: 9000}]
  `;
  const services = analyzeText(other, { settings: DEFAULT_SETTINGS }).prepared.services.map((s) => ({ ...s, filePath: 'svc.yaml' }));
  const analysis = analyzeText(text, { settings: DEFAULT_SETTINGS, services });
  const r = titled(refactoringsAt(analysis, text.indexOf('Deployment'), DEFAULT_SETTINGS), 'Set up graceful shutdown');
  const p = analyzeText(apply(text, r), { settings: DEFAULT_SETTINGS, services }).pods[0];
  assert.deepEqual(p?.containers.map((c) => c.preStop?.form), [undefined, 'sleep']);
});

test("set up graceful shutdown behind an NLB in IP mode sleeps the load balancer's minimum, with the grace period to match", () => {
  const text = docs(game(), gameService({ type: 'LoadBalancer', annotations: nlbAnnotations() }));
  const r = titled(at(text, 'Deployment'), 'Set up graceful shutdown');
  const out = apply(text, r);
  assert.equal(out, docs(game({ sorted: 'lifecycle:\n  preStop:\n    sleep:\n      seconds: 120', grace: 140 }), gameService({ type: 'LoadBalancer', annotations: nlbAnnotations() })));
  assert.deepEqual(analyzeText(out, { settings: DEFAULT_SETTINGS }).findings.map((f) => f.ruleId), []);
});
