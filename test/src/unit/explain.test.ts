/** `kube-graceful explain`: the timeline as text, run as the real binary. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { yaml } from './helpers';

const BIN = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'kube-graceful.js');

function run(args: string[], input = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const manifest = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api}
  spec:
    selector: {matchLabels: {app: api}}
    template:
      metadata: {labels: {app: api}}
      spec:
        terminationGracePeriodSeconds: 20
        initContainers:
        - {name: logs, image: logs:1, restartPolicy: Always}
        - {name: mesh, image: mesh:1, restartPolicy: Always}
        containers:
        - name: api
          image: example/api:1
          ports: [{containerPort: 8080}]
          lifecycle: {preStop: {exec: {command: [sleep, "25"]}}}
        - name: worker
          image: example/worker:1
  ---
  apiVersion: v1
  kind: Pod
  metadata: {name: calm}
  spec:
    containers:
    - name: web
      image: example/web:1
      lifecycle: {preStop: {sleep: {seconds: 10}}}
`;

/** The block of one workload: from its header line to the next blank line. */
function block(out: string, header: string): string {
  const start = out.indexOf(header);
  assert.ok(start >= 0, `a block for ${header} in:\n${out}`);
  const end = out.indexOf('\n\n', start);
  return out.slice(start, end === -1 ? undefined : end);
}

/** The lines of one lane, from its label to the next lane or section. */
function lane(b: string, label: string): string {
  const lines = b.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`  ${label}`));
  assert.ok(i >= 0, `a lane for ${label} in:\n${b}`);
  const rest = lines.slice(i + 1);
  const j = rest.findIndex((l) => !l.startsWith('    '));
  return [lines[i], ...rest.slice(0, j === -1 ? undefined : j)].join('\n');
}

test('explain: one block per workload with file:line, lanes, sidecar order and timing findings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-explain-'));
  const file = path.join(dir, 'app.yaml');
  fs.writeFileSync(file, manifest);
  const r = run(['explain', file]);
  assert.equal(r.code, 0, r.stderr);

  const api = block(r.stdout, 'Deployment/api');
  assert.match(api.split('\n')[0] ?? '', new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1$`));
  assert.match(api, /grace period 20 s/);
  const main = lane(api, 'container "api"');
  assert.match(main, /serves traffic: it declares port 8080/);
  assert.match(main, /preStop +exec "sleep 25", 25 s, cut short at 20 s/);
  assert.match(main, /SIGTERM +20 s/);
  assert.match(main, /shutdown +2 s until SIGKILL/);
  assert.match(main, /SIGKILL +22 s/);
  const worker = lane(api, 'container "worker"');
  assert.match(worker, /preStop +none/);
  assert.match(worker, /SIGTERM +0 s/);
  assert.match(worker, /SIGKILL +20 s/);
  // Sidecars in the order they get SIGTERM: the last listed first.
  assert.ok(api.indexOf('sidecar "mesh"') < api.indexOf('sidecar "logs"'), 'mesh before logs');
  assert.match(lane(api, 'sidecar "mesh"'), /1st of 2 sidecars/);
  assert.match(lane(api, 'sidecar "logs"'), /SIGTERM +after every main container and the sidecars stopped before it have exited/);
  assert.match(api, /findings\n +\d+:\d+ +error +grace-period-too-short /);

  const calm = block(r.stdout, 'Pod/calm');
  assert.match(calm, /grace period 30 s \(terminationGracePeriodSeconds not set: the default\)/);
  const web = lane(calm, 'container "web"');
  assert.match(web, /preStop +sleep action, 10 s, ends at 10 s/);
  assert.match(web, /SIGTERM +10 s/);
  assert.match(web, /shutdown +20 s until SIGKILL/);
  assert.match(web, /SIGKILL +30 s/);
  assert.doesNotMatch(calm, /findings/);
});

test('explain: grace period 0 runs no hooks; standard input with -', () => {
  const text = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: now}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: web
        image: example/web:1
        ports: [{containerPort: 80}]
        lifecycle: {preStop: {sleep: {seconds: 5}}}
  `;
  const r = run(['explain', '-'], text);
  assert.equal(r.code, 0, r.stderr);
  const b = block(r.stdout, 'Pod/now');
  assert.match(b, /<stdin>:1/);
  assert.match(b, /preStop +sleep action, 5 s: not run \(grace period 0\)/);
  assert.match(b, /SIGKILL +almost at once/);
  assert.match(b, /warning +grace-period-zero/);
});

test("explain: the routing path and each container's drain, the app's own timeout cut off by SIGKILL", () => {
  const text = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: shop}
    spec:
      selector: {matchLabels: {app: shop}}
      template:
        metadata: {labels: {app: shop}}
        spec:
          terminationGracePeriodSeconds: 40
          containers:
          - name: shop
            image: example/shop:1
            command: [gunicorn, --graceful-timeout, "60", shop.wsgi]
            ports: [{containerPort: 8000}]
            lifecycle: {preStop: {sleep: {seconds: 10}}}
          - name: metrics
            image: example/metrics:1
  `;
  const r = run(['explain', '-'], text);
  assert.equal(r.code, 0, r.stderr);
  const b = block(r.stdout, 'Deployment/shop');
  assert.match(b, /routing +in-cluster routing may send new requests for 5 s \(minPropagationSeconds\)/);
  assert.match(lane(b, 'container "shop"'), /drain +gunicorn --graceful-timeout 60: up to 60 s, until 70 s; SIGKILL cuts it off at 40 s/);
  assert.match(lane(b, 'container "metrics"'), /drain +up to 20 s \(the shutdownSeconds setting: no app timeout read\), until 20 s\n/);
  assert.match(b, /warning +app-shutdown-exceeds-grace /, 'the finding about the drain');
});

test('explain: exit 2 on usage errors and unreadable files; --help', () => {
  assert.equal(run(['explain']).code, 2, 'no files');
  assert.equal(run(['explain', '--format', 'json', 'x.yaml']).code, 2, 'an option of the main command');
  const missing = run(['explain', path.join(os.tmpdir(), 'kube-graceful-no-such-file.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No such file/);
  const help = run(['explain', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: kube-graceful explain/);
  assert.match(run(['--help']).stdout, /kube-graceful explain/, 'the main help names the command');
});

test('explain: a load balancer in another input reaches the pod; its findings are listed with the timeline', () => {
  const ingress = yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      annotations:
        alb.ingress.kubernetes.io/target-type: ip
        alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=10
    spec:
      defaultBackend: {service: {name: web, port: {number: 80}}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      selector: {app: web}
      ports: [{port: 80, targetPort: 8000}]
  `;
  const deploy = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          terminationGracePeriodSeconds: 60
          containers:
          - name: web
            image: example/web:1
            args: ["gunicorn", "--graceful-timeout", "30", "app:app"]
            ports: [{containerPort: 8000}]
            lifecycle: {preStop: {sleep: {seconds: 5}}}
  `;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-explain-lb-'));
  fs.writeFileSync(path.join(dir, 'ingress.yaml'), ingress);
  fs.writeFileSync(path.join(dir, 'deploy.yaml'), deploy);
  const r = run(['explain', path.join(dir, 'ingress.yaml'), path.join(dir, 'deploy.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  const b = block(r.stdout, 'Deployment/web');
  assert.match(b, /warning +lb-drain-mismatch/);
  assert.match(b, /warning +prestop-sleep-too-short .*Application Load Balancer/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("explain: the app's timeout written in a ConfigMap (another input, or a mounted application.yaml), as the rules read it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-explain-'));
  fs.writeFileSync(
    path.join(dir, 'config.yaml'),
    yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: nginx-config, namespace: edge}
      data:
        worker-shutdown-timeout: "240s"
    `,
  );
  fs.writeFileSync(
    path.join(dir, 'controller.yaml'),
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: controller, namespace: edge}
      spec:
        selector: {matchLabels: {app: edge}}
        template:
          metadata: {labels: {app: edge}}
          spec:
            terminationGracePeriodSeconds: 120
            containers:
            - name: controller
              image: registry.k8s.io/ingress-nginx/controller:v1.15.1
              args: [/nginx-ingress-controller, --configmap=edge/nginx-config]
              ports: [{containerPort: 80}]
              lifecycle: {preStop: {sleep: {seconds: 10}}}
    `,
  );
  const r = run(['explain', dir]);
  assert.equal(r.code, 0, r.stderr);
  const b = block(r.stdout, 'Deployment/controller');
  assert.match(lane(b, 'container "controller"'), /drain +ingress-nginx worker-shutdown-timeout: 240s in ConfigMap edge\/nginx-config: up to 240 s, until 250 s; SIGKILL cuts it off at 120 s/);
  assert.match(b, /app-shutdown-exceeds-grace .*worker-shutdown-timeout: 240s/, 'the finding says the same');

  const spring = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: billing-config}
    data:
      application.yaml: |
        spring:
          lifecycle:
            timeout-per-shutdown-phase: 45s
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: billing}
    spec:
      selector: {matchLabels: {app: billing}}
      template:
        metadata: {labels: {app: billing}}
        spec:
          terminationGracePeriodSeconds: 30
          containers:
          - name: app
            image: example/billing:3
            workingDir: /app
            ports: [{containerPort: 8080}]
            lifecycle: {preStop: {sleep: {seconds: 10}}}
            volumeMounts: [{name: config, mountPath: /app/config}]
          volumes:
          - {name: config, configMap: {name: billing-config}}
  `;
  const s = run(['explain', '-'], spring);
  assert.equal(s.code, 0, s.stderr);
  const billing = lane(block(s.stdout, 'Deployment/billing'), 'container "app"');
  assert.match(billing, /drain +Spring Boot .*timeout-per-shutdown-phase.*45s.*: up to 45 s, until 55 s; SIGKILL cuts it off at 30 s/);
});
