/** The CLI on a Helm chart in the shape of `helm create`: templates read in place, helpers followed, values files not read. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const BIN = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'kube-graceful.js');

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; column: number; message: string }[];
}

function chartDir(withHelpers: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-chart-'));
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n',
    'values.yaml': 'replicaCount: 1\nimage:\n  repository: nginx\nservice:\n  port: 80\npodAnnotations: {}\n# {{ not a manifest }}\nkind: nothing\n',
    'templates/NOTES.txt': '1. Get the application URL: {{ .Values.service.port }}\n',
    'templates/service.yaml': [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ include "mychart.fullname" . }}',
      'spec:',
      '  ports:',
      '    - port: {{ .Values.service.port }}',
      '      targetPort: http',
      '      name: http',
      '  selector:',
      '    {{- include "mychart.selectorLabels" . | nindent 4 }}',
      '',
    ].join('\n'),
    'templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ include "mychart.fullname" . }}',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      {{- include "mychart.selectorLabels" . | nindent 6 }}',
      '  template:',
      '    metadata:',
      '      labels:',
      '        {{- include "mychart.labels" . | nindent 8 }}',
      '    spec:',
      '      containers:',
      '        - name: {{ .Chart.Name }}',
      '          image: "{{ .Values.image.repository }}"',
      '          ports:',
      '            - name: http',
      '              containerPort: 80',
      '',
    ].join('\n'),
  };
  if (withHelpers) {
    files['templates/_helpers.tpl'] = [
      '{{- define "mychart.labels" -}}',
      'helm.sh/chart: {{ include "mychart.chart" . }}',
      '{{ include "mychart.selectorLabels" . }}',
      '{{- end }}',
      '{{- define "mychart.selectorLabels" -}}',
      'app.kubernetes.io/name: {{ include "mychart.name" . }}',
      '{{- end }}',
      '',
    ].join('\n');
  }
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function lintDir(dir: string, status = 0): JsonResult[] {
  const r = spawnSync(process.execPath, [BIN, '-f', 'json', dir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, status, r.stderr);
  return JSON.parse(r.stdout) as JsonResult[];
}

test('a chart: only templates are read, the Service selects the pod through the helpers, the finding is on the template line', () => {
  const dir = chartDir(true);
  const out = lintDir(dir);
  assert.deepEqual(out.map((f) => path.relative(dir, f.filePath)).sort(), ['templates/deployment.yaml', 'templates/service.yaml']);
  const d = out.find((f) => f.filePath.endsWith('deployment.yaml'));
  assert.deepEqual(d?.messages.map((m) => [m.ruleId, m.line, m.column]), [['prestop-hook-missing', 15, 17]]);
  assert.match(d?.messages[0]?.message ?? '', /Service/);
  assert.deepEqual(out.find((f) => f.filePath.endsWith('service.yaml'))?.messages, []);
});

test('a chart whose labels helper cannot be followed: no Service is known to select the pod, so its declared port decides, as in plain YAML', () => {
  const out = lintDir(chartDir(false));
  const messages = out.flatMap((f) => f.messages);
  assert.deepEqual(messages.map((m) => m.ruleId), ['prestop-hook-missing']);
  assert.match(messages[0]?.message ?? '', /declares port 80 \(http\)/);
});

test('rendered output maps back: a finding under `# Source:` is reported on its template line', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-rendered-'));
  const chart = chartDir(true);
  fs.renameSync(chart, path.join(parent, 'mychart'));
  const rendered = [
    '---',
    '# Source: mychart/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: release-mychart',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app.kubernetes.io/name: mychart',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app.kubernetes.io/name: mychart',
    '    spec:',
    '      containers:',
    '        - name: mychart',
    '          image: "nginx"',
    '          ports:',
    '            - name: http',
    '              containerPort: 80',
    '---',
    '# Source: mychart/templates/other.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: other',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: other',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: other',
    '    spec:',
    '      containers:',
    '        - name: other',
    '          image: nginx',
    '          ports:',
    '            - containerPort: 8080',
    '',
  ].join('\n');
  const r = spawnSync(process.execPath, [BIN, '-f', 'json', '-'], { cwd: parent, input: rendered, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as JsonResult[];
  const template = out.find((f) => f.filePath.endsWith(path.join('mychart', 'templates', 'deployment.yaml')));
  assert.deepEqual(template?.messages.map((m) => [m.ruleId, m.line, m.column]), [['prestop-hook-missing', 15, 17]]);
  // A template that is not on disk: the finding stays on the rendered line and names its template.
  const stdin = out.find((f) => f.filePath === '<stdin>');
  assert.deepEqual(stdin?.messages.map((m) => [m.ruleId, m.line]), [['prestop-hook-missing', 38]]);
  assert.match(stdin?.messages[0]?.message ?? '', /rendered from mychart\/templates\/other\.yaml/);
});

/** A chart whose container takes its hook from values.yaml (`toYaml .Values.lifecycle`). */
function valuesChart(values: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-values-'));
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': values,
    'templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: web',
      '    spec:',
      '      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}',
      '      containers:',
      '        - name: web',
      '          image: "{{ .Values.image.repository }}"',
      '          ports:',
      '            - name: http',
      '              containerPort: 8080',
      '          lifecycle:',
      '            {{- toYaml .Values.lifecycle | nindent 12 }}',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test("a chart's values.yaml decides: an empty lifecycle default is no hook, a preStop sleep in values.yaml is judged with the grace period", () => {
  const image = 'image:\n  repository: ghcr.io/example/web\n';
  const none = lintDir(valuesChart(`${image}terminationGracePeriodSeconds: 30\nlifecycle: {}\n`)).flatMap((f) => f.messages);
  assert.deepEqual(none.map((m) => [m.ruleId, m.line]), [['prestop-hook-missing', 16]]);
  const hooked = lintDir(valuesChart(`${image}terminationGracePeriodSeconds: 30\nlifecycle:\n  preStop:\n    sleep:\n      seconds: 10\n`)).flatMap((f) => f.messages);
  assert.deepEqual(hooked, []);
  const long = lintDir(valuesChart(`${image}terminationGracePeriodSeconds: 30\nlifecycle:\n  preStop:\n    sleep:\n      seconds: 45\n`), 1).flatMap((f) => f.messages);
  assert.ok(long.some((m) => m.ruleId === 'grace-period-too-short' && m.line === 14), JSON.stringify(long));
  // Without a values file nothing is claimed on what the template splices in.
  const dir = valuesChart('');
  fs.rmSync(path.join(dir, 'values.yaml'));
  assert.deepEqual(lintDir(dir).flatMap((f) => f.messages), []);
});

test('--fix leaves a template whose hook comes from values.yaml as it is', () => {
  const dir = valuesChart('terminationGracePeriodSeconds: 30\nlifecycle: {}\n');
  const file = path.join(dir, 'templates', 'deployment.yaml');
  const before = fs.readFileSync(file, 'utf8');
  const r = spawnSync(process.execPath, [BIN, '--fix', dir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /prestop-hook-missing/);
  assert.equal(fs.readFileSync(file, 'utf8'), before);
});

test('--fix raises a grace period that values.yaml writes in values.yaml, not in the template', () => {
  const values = 'image:\n  repository: ghcr.io/example/web\n# Seconds the pod has to stop.\nterminationGracePeriodSeconds: 30\nlifecycle:\n  preStop:\n    sleep:\n      seconds: 45\n';
  const dir = valuesChart(values);
  const template = path.join(dir, 'templates', 'deployment.yaml');
  const before = fs.readFileSync(template, 'utf8');
  const r = spawnSync(process.execPath, [BIN, '--fix', dir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(fs.readFileSync(template, 'utf8'), before);
  const after = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  const grace = Number(/terminationGracePeriodSeconds: (\d+)\n/.exec(after)?.[1]);
  assert.ok(grace >= 47, after);
  assert.equal(after, values.replace('terminationGracePeriodSeconds: 30', `terminationGracePeriodSeconds: ${grace}`));
  assert.deepEqual(lintDir(dir).flatMap((f) => f.messages), []);
});
