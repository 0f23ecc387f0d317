/**
 * Big CLI runs on worker threads: the same report, byte for byte, as on one thread, in every
 * format; runs that must stay on one thread (configuration problems, unreadable files) are
 * reported as they always were.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { PARALLEL_MIN_FILES, threadsFor } from '../../../server/out/cli/parallel';

const BIN = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'kube-graceful.js');

function deployment(name: string, i: number): string {
  const hook = i % 3 === 0 ? '' : '        lifecycle: {preStop: {sleep: {seconds: 10}}}\n';
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: team-${i % 4}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: ${i % 2 === 0 ? 30 : 5}
      containers:
      - name: app
        image: example/${name}:1
        args: ["--spring.config.location=/config/"]
        ports: [{containerPort: 8080}]
        volumeMounts: [{name: config, mountPath: /config}]
${hook}      volumes:
      - name: config
        configMap: {name: ${name}-config}
`;
}

function service(name: string, i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${i % 4}
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip}
spec:
  type: LoadBalancer
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 8080}]
`;
}

function configMap(name: string, i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}-config, namespace: team-${i % 4}}
data:
  application.yaml: |
    spring:
      lifecycle:
        timeout-per-shutdown-phase: ${10 + (i % 5) * 10}s
`;
}

/** A repository that touches what crosses files: Services, load balancers, ConfigMaps, a chart, settings, broken files. */
function repository(services: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-parallel-'));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  for (let i = 0; i < services; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    // Services and ConfigMaps far from their pods: in another folder, often on another thread.
    write(`apps/${name}/deployment.yaml`, i % 7 === 0 ? `${deployment(name, i)}---\n${service(name, i)}` : deployment(name, i));
    if (i % 7 !== 0) write(`network/${name}.yaml`, service(name, i));
    write(`config/${name}.yaml`, configMap(name, i));
  }
  write('apps/broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
  write('apps/svc-001/quiet.yaml', `# kube-graceful-disable prestop-hook-missing\n${deployment('quiet', 1)}`);
  write('apps/strict/.kube-graceful.yaml', 'rules:\n  prestop-hook-missing: error\n');
  write('apps/strict/deployment.yaml', deployment('strict', 0));
  write('chart/Chart.yaml', 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  write('chart/values.yaml', 'grace: 3\n');
  write('chart/templates/_helpers.tpl', '{{- define "c.labels" -}}\napp: c\n{{- end }}\n');
  write('chart/templates/deployment.yaml', deployment('c', 1).replace('terminationGracePeriodSeconds: 5', 'terminationGracePeriodSeconds: {{ .Values.grace }}'));
  return dir;
}

function cli(args: string[], threads: number, cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, KUBE_GRACEFUL_THREADS: String(threads) } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('CLI on worker threads: the same report as on one thread, in every format', () => {
  const dir = repository(60);
  for (const format of ['json', 'stylish', 'sarif', 'github']) {
    const one = cli(['-f', format, '--no-color', dir], 1, dir);
    assert.equal(one.stderr, '');
    assert.ok(one.stdout.length > 1000, format);
    for (const threads of [2, 3]) {
      const many = cli(['-f', format, '--no-color', dir], threads, dir);
      assert.equal(many.code, one.code, `${format} on ${threads} threads: exit code`);
      assert.equal(many.stderr, one.stderr);
      assert.equal(many.stdout, one.stdout, `${format} on ${threads} threads`);
    }
  }
  const json = JSON.parse(cli(['-f', 'json', dir], 3).stdout) as { filePath: string; messages: unknown[] }[];
  assert.ok(json.some((r) => r.messages.length > 0), 'findings reported');
  assert.equal(json.length, 60 * 3 - Math.ceil(60 / 7) + 4);
});

test('CLI on worker threads: configuration problems and unreadable files are reported as on one thread', () => {
  const dir = repository(20);
  fs.writeFileSync(path.join(dir, 'apps', 'strict', '.kube-graceful.yaml'), 'rules:\n  no-such-rule: error\n');
  const one = cli(['-f', 'json', dir], 1);
  const many = cli(['-f', 'json', dir], 3);
  assert.equal(one.code, 2);
  assert.deepEqual(many, one);
  fs.writeFileSync(path.join(dir, 'apps', 'strict', '.kube-graceful.yaml'), '');
  const missing = [dir, path.join(dir, 'apps', 'missing.yaml')];
  const oneMissing = cli(['-f', 'json', ...missing], 1);
  assert.equal(oneMissing.code, 2);
  assert.deepEqual(cli(['-f', 'json', ...missing], 3), oneMissing);
  assert.deepEqual(cli(['-f', 'json', dir], 3), cli(['-f', 'json', dir], 1));
});

test('CLI threads: one thread below the threshold or on busy CPUs, a number set in KUBE_GRACEFUL_THREADS', () => {
  assert.equal(threadsFor(PARALLEL_MIN_FILES - 1, {}, 8, 0), 1);
  assert.equal(threadsFor(PARALLEL_MIN_FILES, {}, 2, 0.2), 2, 'an idle machine: every CPU');
  assert.equal(threadsFor(20_000, {}, 2, 3.5), 1, 'busy CPUs: one thread');
  assert.equal(threadsFor(20_000, {}, 16, 1), 4, 'at most 4');
  assert.equal(threadsFor(10_000, { KUBE_GRACEFUL_THREADS: '1' }), 1);
  assert.equal(threadsFor(10, { KUBE_GRACEFUL_THREADS: '3' }), 3);
  assert.equal(threadsFor(2, { KUBE_GRACEFUL_THREADS: '3' }), 2);
});
