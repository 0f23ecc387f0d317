/** The CLI as CI uses it: formats, exit codes, --fix, stdin, configuration. Runs the real binary. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { deployment, service, tooShort } from './cli-fixtures';
import { yaml } from './helpers';

const BIN = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'kube-graceful.js');

function run(args: string[], opts: { cwd?: string; input?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function tmpdir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}


interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; line: number; column: number; endLine: number; endColumn: number; message: string }[];
  errorCount: number;
  warningCount: number;
}

test('json: ESLint shape, Services across files, 1-based positions, exit 0 on warnings only', () => {
  const dir = tmpdir({ 'svc.yaml': service, 'k8s/deploy.yml': deployment, 'node_modules/x.yaml': deployment, 'notes.txt': 'x' });
  const r = run(['-f', 'json', dir]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as JsonResult[];
  assert.deepEqual(out.map((f) => path.relative(dir, f.filePath)).sort(), ['k8s/deploy.yml', 'svc.yaml']);
  const d = out.find((f) => f.filePath.endsWith('deploy.yml'));
  assert.ok(d);
  assert.equal(d.warningCount, 1);
  assert.equal(d.errorCount, 0);
  const m = d.messages[0];
  assert.ok(m);
  assert.equal(m.ruleId, 'prestop-hook-missing');
  assert.equal(m.severity, 1);
  assert.deepEqual([m.line, m.column, m.endLine, m.endColumn], [10, 15, 10, 18]);
  assert.match(m.message, /Service "web"/);
});

test('errors exit 1; --max-warnings exits 1 when exceeded', () => {
  const dir = tmpdir({ 'a.yaml': tooShort, 'b.yaml': deployment });
  assert.equal(run([path.join(dir, 'a.yaml')]).code, 1);
  assert.equal(run([path.join(dir, 'b.yaml')]).code, 0);
  assert.equal(run(['--max-warnings', '0', path.join(dir, 'b.yaml')]).code, 1);
  assert.equal(run(['--max-warnings', '1', path.join(dir, 'b.yaml')]).code, 0);
});

test('usage errors and unreadable paths exit 2', () => {
  assert.equal(run([]).code, 2);
  assert.equal(run(['--format', 'xml', '.']).code, 2);
  assert.equal(run(['--bogus', '.']).code, 2);
  assert.equal(run(['/nonexistent/path.yaml']).code, 2);
  assert.equal(run(['--kubernetes-version', 'latest', '.']).code, 2);
  assert.equal(run(['--help']).code, 0);
});

test('stdin with "-"; templates are skipped without findings or errors', () => {
  const r = run(['-f', 'json', '-'], { input: deployment });
  assert.equal(r.code, 0);
  const out = JSON.parse(r.stdout) as JsonResult[];
  assert.equal(out[0]?.filePath, '<stdin>');
  assert.equal(out[0]?.messages[0]?.ruleId, 'prestop-hook-missing');
  const t = run(['-f', 'json', '-'], { input: 'kind: Deployment\nspec:\n  replicas: {{ .Values.replicas }}\n' });
  assert.equal(t.code, 0);
  assert.deepEqual((JSON.parse(t.stdout) as JsonResult[])[0]?.messages, []);
});

test('a YAML syntax error is one fatal message with its position; other files are still analysed', () => {
  const dir = tmpdir({ 'bad.yaml': 'kind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n', 'good.yaml': deployment });
  const r = run(['-f', 'json', dir]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as JsonResult[];
  const bad = out.find((f) => f.filePath.endsWith('bad.yaml'));
  assert.equal(bad?.messages.length, 1);
  assert.equal(bad?.messages[0]?.ruleId, null);
  assert.equal(bad?.messages[0]?.severity, 2);
  assert.ok((bad?.messages[0]?.line ?? 0) >= 4);
  assert.equal(out.find((f) => f.filePath.endsWith('good.yaml'))?.warningCount, 1);
});

test('--fix writes minimal edits, exits by what is left, and a second run changes nothing', () => {
  const dir = tmpdir({ 'a.yaml': tooShort, 'b.yaml': `${service}---\n${deployment}` });
  const r = run(['--fix', dir]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const a = fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8');
  assert.equal(a, tooShort.replace('terminationGracePeriodSeconds: 10', 'terminationGracePeriodSeconds: 30'));
  const b = fs.readFileSync(path.join(dir, 'b.yaml'), 'utf8');
  assert.ok(b.startsWith(`${service}---\n${deployment}`));
  assert.ok(b.endsWith('        lifecycle:\n          preStop:\n            sleep:\n              seconds: 10\n'));
  const again = run(['--fix', dir]);
  assert.equal(again.code, 0);
  assert.equal(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8'), a);
  assert.equal(fs.readFileSync(path.join(dir, 'b.yaml'), 'utf8'), b);
  assert.equal(run(['--fix', '-'], { input: tooShort }).code, 2);
});

test('sarif: 2.1.0 with rule metadata, help links and results', () => {
  const dir = tmpdir({ 'a.yaml': tooShort });
  const r = run(['-f', 'sarif', 'a.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout) as {
    version: string;
    runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.ok(run0);
  assert.ok(run0.tool.driver.rules.some((x) => x.id === 'grace-period-too-short' && x.helpUri.endsWith('grace-period-too-short.md')));
  assert.equal(run0.results[0]?.ruleId, 'grace-period-too-short');
  assert.equal(run0.results[0]?.level, 'error');
  assert.equal(run0.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'a.yaml');
  assert.equal(run0.results[0]?.locations[0]?.physicalLocation.region.startLine, 5);
});

test('.kube-graceful.yaml is found upward; --kubernetes-version wins; bad keys exit 2 naming file and key', () => {
  const dir = tmpdir({ '.kube-graceful.yaml': 'rules:\n  prestop-hook-missing: error\npreStopSleepSeconds: 7\n', 'apps/web/b.yaml': deployment });
  const r = run(['-f', 'json', 'apps'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as JsonResult[])[0]?.messages[0]?.severity, 2);
  run(['--fix', '--kubernetes-version', '1.28', 'apps'], { cwd: dir });
  assert.match(fs.readFileSync(path.join(dir, 'apps/web/b.yaml'), 'utf8'), /command: \["sleep", "7"\]/);
  fs.writeFileSync(path.join(dir, '.kube-graceful.yaml'), 'preStopSleep: 7\nshutdownSeconds: soon\n');
  const bad = run(['apps'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /\.kube-graceful\.yaml: unknown key "preStopSleep"/);
  assert.match(bad.stderr, /"shutdownSeconds" must be/);
});

test('.kube-graceful.yaml: a fractional sleep exits 2 naming the key; a rule\'s own option applies', () => {
  const dir = tmpdir({ '.kube-graceful.yaml': 'preStopSleepSeconds: 7.5\n', 'a.yaml': deployment });
  const bad = run(['a.yaml'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /\.kube-graceful\.yaml: "preStopSleepSeconds" must be a whole number/);
  const shortSleep = deployment.replace(/( +)image: (.*)\n/, '$1image: $2\n$1lifecycle: {preStop: {sleep: {seconds: 6}}}\n');
  assert.notEqual(shortSleep, deployment);
  fs.writeFileSync(path.join(dir, 'a.yaml'), shortSleep);
  const ids = (config: string): (string | null)[] => {
    fs.writeFileSync(path.join(dir, '.kube-graceful.yaml'), config);
    const r = run(['-f', 'json', 'a.yaml'], { cwd: dir });
    assert.notEqual(r.code, 2, r.stderr);
    return (JSON.parse(r.stdout) as JsonResult[])[0]?.messages.map((m) => m.ruleId) ?? [];
  };
  assert.ok(!ids('minPropagationSeconds: 5\n').includes('prestop-sleep-too-short'));
  assert.ok(ids('minPropagationSeconds: 5\nrules:\n  prestop-sleep-too-short: {severity: warning, minPropagationSeconds: 8}\n').includes('prestop-sleep-too-short'));
});

test('stylish: file header, rule id, summary', () => {
  const dir = tmpdir({ 'a.yaml': tooShort });
  const r = run(['--no-color', 'a.yaml'], { cwd: dir });
  assert.match(r.stdout, /^\na\.yaml\n/);
  assert.match(r.stdout, /5:34\s+error\s+.*grace-period-too-short/);
  assert.match(r.stdout, /1 problem \(1 error, 0 warnings\)/);
});

test('github: one workflow command per finding, severity as error/warning/notice, escaped data and properties', () => {
  const info = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: "50%\\r\\nx"
        image: example/api:1
        ports: [{containerPort: 8080}]
        lifecycle: {preStop: {exec: {command: [sleep, "2"]}}}
  `;
  const dir = tmpdir({ 'a.yaml': tooShort, 'k8s/b.yaml': deployment, 'odd,name:1.yaml': info });
  const r = run(['-f', 'github', '.'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 3, r.stdout);
  const parsed = lines.map((l) => {
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(l);
    assert.ok(m, `not a workflow command: ${l}`);
    const props = Object.fromEntries((m[2] ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
    return { command: m[1], props, message: m[3] ?? '' };
  });
  const [a, b, odd] = parsed;
  assert.deepEqual(a, {
    command: 'error',
    props: { file: 'a.yaml', line: '5', col: '34', endLine: '5', endColumn: '36', title: 'grace-period-too-short' },
    message: a?.message,
  });
  assert.match(a?.message ?? '', /%0Ahttps:\/\/\S+\/grace-period-too-short\.md$/);
  assert.equal(b?.command, 'warning');
  assert.deepEqual(b?.props, { file: 'k8s/b.yaml', line: '10', col: '15', endLine: '10', endColumn: '18', title: 'prestop-hook-missing' });
  assert.equal(odd?.command, 'notice');
  assert.equal(odd?.props.file, 'odd%2Cname%3A1.yaml');
  assert.equal(odd?.props.title, 'prestop-sleep-too-short');
  assert.match(odd?.message ?? '', /container "50%25%0D%0Ax"/);
  assert.doesNotMatch(r.stdout, /\r/);

  const stdin = run(['-f', 'github', '-'], { input: tooShort });
  assert.equal(stdin.code, 1);
  assert.match(stdin.stdout, /^::error line=5,col=34,endLine=5,endColumn=36,title=grace-period-too-short::/);
  const syntax = run(['-f', 'github', 'bad.yaml'], { cwd: tmpdir({ 'bad.yaml': 'kind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n' }) });
  assert.equal(syntax.code, 1);
  assert.match(syntax.stdout, /^::error file=bad\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=YAML syntax error::/);
});

test('a quoted value continued at its key\'s indentation (kubectl accepts it): a note and exit code 0', () => {
  const crd = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: schema}
    data:
      description: 'APIVersion defines the versioned schema of this representation
      of an object.'
  `;
  const r = run(['-f', 'json', '-'], { input: crd });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [result] = JSON.parse(r.stdout) as { errorCount: number; messages: unknown[] }[];
  assert.equal(result?.errorCount, 0);
  assert.deepEqual(result?.messages, []);
  const stylish = run(['-'], { input: crd });
  assert.equal(stylish.code, 0);
  assert.match(stylish.stdout, /5:\d+ +note +A quoted value continues/);
  assert.equal(run(['-f', 'json', '-'], { input: crd.replace("object.'", 'object.') }).code, 1, 'an unclosed quote is still an error');
});

test('a load balancer across files: Ingress, Service and Deployment each in their own file', () => {
  const ingress = yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      annotations:
        alb.ingress.kubernetes.io/target-type: ip
        alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=10
    spec:
      ingressClassName: alb
      defaultBackend: {service: {name: web, port: {number: 80}}}
  `;
  const gunicorn = yaml`
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
            ports: [{containerPort: 8080}]
            lifecycle: {preStop: {sleep: {seconds: 5}}}
  `;
  const dir = tmpdir({ 'ingress.yaml': ingress, 'svc.yaml': service, 'deploy.yaml': gunicorn });
  const r = run(['-f', 'json', dir]);
  assert.equal(r.code, 0, r.stderr);
  const d = (JSON.parse(r.stdout) as JsonResult[]).find((f) => f.filePath.endsWith('deploy.yaml'));
  assert.ok(d);
  assert.deepEqual(d.messages.map((m) => [m.ruleId, m.line]), [
    ['lb-drain-mismatch', 13],
    ['prestop-sleep-too-short', 15],
  ]);
  assert.match(d.messages[1]?.message ?? '', /Application Load Balancer in IP target mode .*Ingress "web"/);
  // Without the Ingress the in-cluster path applies: 5 s is enough, and there is no draining time.
  const alone = run(['-f', 'json', path.join(dir, 'svc.yaml'), path.join(dir, 'deploy.yaml')]);
  const d2 = (JSON.parse(alone.stdout) as JsonResult[]).find((f) => f.filePath.endsWith('deploy.yaml'));
  assert.deepEqual(d2?.messages, []);
  // --fix lengthens the sleep to the ALB's minimum; the draining time is another file's to change.
  const fixed = run(['--fix', dir]);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'deploy.yaml'), 'utf8'), gunicorn.replace('seconds: 5', 'seconds: 10'));
  assert.equal(fs.readFileSync(path.join(dir, 'ingress.yaml'), 'utf8'), ingress);
  assert.match(fixed.stdout, /lb-drain-mismatch/);
  assert.doesNotMatch(fixed.stdout, /prestop-sleep-too-short/);
});

test("an app's ConfigMap in another file: ingress-nginx's worker-shutdown-timeout", () => {
  const config = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: nginx-config, namespace: edge}
    data:
      worker-shutdown-timeout: "120s"
  `;
  const controller = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: controller, namespace: edge}
    spec:
      selector: {matchLabels: {app: edge}}
      template:
        metadata: {labels: {app: edge}}
        spec:
          terminationGracePeriodSeconds: 60
          containers:
          - name: controller
            image: registry.k8s.io/ingress-nginx/controller:v1.15.1
            args: [/nginx-ingress-controller, "--configmap=$(POD_NAMESPACE)/nginx-config"]
            env:
            - name: POD_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            lifecycle: {preStop: {sleep: {seconds: 10}}}
  `;
  const dir = tmpdir({ 'config.yaml': config, 'deploy.yaml': controller });
  const r = run(['-f', 'json', dir]);
  assert.equal(r.code, 0, r.stderr);
  const d = (JSON.parse(r.stdout) as JsonResult[]).find((f) => f.filePath.endsWith('deploy.yaml'));
  assert.deepEqual(d?.messages.map((m) => [m.ruleId, m.line]), [['app-shutdown-exceeds-grace', 13]]);
  assert.match(d?.messages[0]?.message ?? '', /worker-shutdown-timeout: 120s in ConfigMap edge\/nginx-config/);
  // Without the ConfigMap its keys are unknown: nothing is said.
  const alone = run(['-f', 'json', path.join(dir, 'deploy.yaml')]);
  assert.doesNotMatch(alone.stdout, /app-shutdown-exceeds-grace/);
});
