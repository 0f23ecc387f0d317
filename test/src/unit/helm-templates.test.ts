/** Helm templates read in place: the masker, what a template leaves unknown, and fixes on templates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskTemplate } from '../../../server/out/core/yaml/helm';
import { applyEdits } from '../../../server/out/core';
import { lineOf, lint } from './helpers';

/** A chart in the shape of `helm create mychart`, as one file: Service then Deployment. */
function chart(containerExtra = '', podExtra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ include "mychart.fullname" . }}',
    '  labels:',
    '    {{- include "mychart.labels" . | nindent 4 }}',
    'spec:',
    '  type: {{ .Values.service.type }}',
    '  ports:',
    '    - port: {{ .Values.service.port }}',
    '      targetPort: http',
    '      name: http',
    '  selector:',
    '    {{- include "mychart.selectorLabels" . | nindent 4 }}',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "mychart.fullname" . }}',
    'spec:',
    '  {{- if not .Values.autoscaling.enabled }}',
    '  replicas: {{ .Values.replicaCount }}',
    '  {{- end }}',
    '  selector:',
    '    matchLabels:',
    '      {{- include "mychart.selectorLabels" . | nindent 6 }}',
    '  template:',
    '    metadata:',
    '      {{- with .Values.podAnnotations }}',
    '      annotations:',
    '        {{- toYaml . | nindent 8 }}',
    '      {{- end }}',
    '      labels:',
    '        {{- include "mychart.selectorLabels" . | nindent 8 }}',
    '    spec:',
    podExtra,
    '      containers:',
    '        - name: {{ .Chart.Name }}',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
    '          ports:',
    '            - name: http',
    '              containerPort: {{ .Values.service.port }}',
    containerExtra,
    '          resources:',
    '            {{- toYaml .Values.resources | nindent 12 }}',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}

test('masking keeps every position: same length, newlines kept, text outside actions unchanged', () => {
  const cases = [
    'a: {{ .Values.a }}\n',
    'a: {{- .Values.a -}}\n',
    'a: {{ "}}" }}\nb: 1\n',
    'a: {{ `raw }} string` }}\n',
    'a: {{ printf "%s" (include "x" (dict "k" "v")) }}\n',
    '{{/* a comment with }} inside */}}\nb: 1\n',
    '{{- /*\n multi-line\n comment */ -}}\nb: 1\n',
    'data:\n  conf: |\n    x = {{ .Values.x }}\n    {{- toYaml .Values.y | nindent 4 }}\n',
    'a: "{{ .Values.a }}"\r\nb: 2\r\n',
  ];
  for (const text of cases) {
    const m = maskTemplate(text);
    assert.equal(m.masked.length, text.length, text);
    assert.ok(m.complete, text);
    assert.ok(!m.masked.includes('{{') && !m.masked.includes('}}'), `${text} -> ${m.masked}`);
    for (let i = 0; i < text.length; i++) {
      const inAction = m.actions.some((a) => a.start <= i && i < a.end);
      if (!inAction || text[i] === '\n' || text[i] === '\r') assert.equal(m.masked[i], text[i], `${JSON.stringify(text)} at ${i}`);
    }
  }
  const c = maskTemplate('a: {{ "}}" }}\n');
  assert.equal(c.actions[0]?.end, 13);
  assert.equal(maskTemplate('a: {{ .Values.a \nb: 1\n').complete, false);
});

test('actions are classified by where they stand', () => {
  const text = '{{- if .Values.on }}\nx:\n  {{- toYaml .Values.x | nindent 2 }}\ny: {{ .Values.y }}\n{{- $v := 1 }}\n{{- end }}\n';
  const kinds = maskTemplate(text).actions.map((a) => [a.kind, a.keyword ?? '', a.indent ?? -1]);
  assert.deepEqual(kinds, [
    ['control', 'if', -1],
    ['splice', '', 2],
    ['value', '', -1],
    ['control', 'assign', -1],
    ['control', 'end', -1],
  ]);
});

test('a chart in the shape of helm create: the hook finding sits on the template line, the Service through the selectorLabels include', () => {
  const text = chart();
  const a = lint(text);
  assert.deepEqual(a.notices, []);
  const f = a.findings.filter((x) => x.ruleId === 'prestop-hook-missing');
  assert.equal(f.length, 1);
  assert.equal(text.split('\n')[lineOf(text, f[0]!) - 1], '        - name: {{ .Chart.Name }}');
  assert.match(f[0]!.message, /Service/);
  assert.ok((f[0]!.related?.[0]?.span.start ?? Infinity) < text.indexOf('---'));
});

test('no finding where the template may supply the field', () => {
  const withLifecycle = '          {{- with .Values.lifecycle }}\n          lifecycle:\n            {{- toYaml . | nindent 12 }}\n          {{- end }}';
  const spliceInContainer = '          {{- include "mychart.containerExtras" . | nindent 10 }}';
  const lifecycleValue = '          lifecycle: {{- toYaml .Values.lifecycle | nindent 12 }}';
  for (const extra of [withLifecycle, spliceInContainer, lifecycleValue]) {
    assert.deepEqual(
      lint(chart(extra)).findings.map((f) => f.ruleId),
      [],
      extra,
    );
  }
  const podSplice = '      {{- toYaml .Values.podSpecExtras | nindent 6 }}';
  assert.deepEqual(lint(chart('', podSplice)).findings.map((f) => f.ruleId), []);
});

test('a hook written in the template is judged; a splice under another key leaves the container known', () => {
  const hook = '          lifecycle:\n            preStop:\n              sleep:\n                seconds: 5';
  assert.deepEqual(lint(chart(hook)).findings.map((f) => f.ruleId), []);
  const other = '          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}';
  assert.deepEqual(lint(chart(other)).findings.map((f) => f.ruleId), ['prestop-hook-missing']);
});

test('Helm hook pods never serve', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: "{{ include "mychart.fullname" . }}-test-connection"',
    '  annotations:',
    '    "helm.sh/hook": test',
    'spec:',
    '  containers:',
    '    - name: wget',
    '      image: busybox',
    '      command: ["sh", "-c", "sleep 1; wget x"]',
    '      ports:',
    '        - containerPort: 80',
    '',
  ].join('\n');
  assert.deepEqual(lint(text).findings, []);
  assert.equal(lint(text.replace('"helm.sh/hook": test', 'other: x')).findings.length > 0, true);
});

test('helpers, partials and files without a literal kind say nothing; an unreadable template gets one note, never a syntax error', () => {
  assert.deepEqual(lint('{{- define "x.labels" -}}\napp: {{ .Chart.Name }}\n{{- end }}\n').notices, []);
  const bad = lint('kind: ConfigMap\ndata:\n  {{ range $k, $v := .Values.m }}\n  {{ $k }}: |\n  {{ $v }}\n  {{ end }}\n  x: [\n');
  assert.equal(bad.notices.length, 1);
  assert.equal(bad.notices[0]?.kind, 'template');
  assert.match(bad.notices[0]?.message ?? '', /helm template/);
});

test('a {{ }} in a ConfigMap or a quoted string does not stop the workload beside it from being judged', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a.conf: |\n    url = "{{ .Values.url }}"\n---\n';
  const text = cm + chart();
  assert.deepEqual(lint(text).findings.map((f) => f.ruleId), ['prestop-hook-missing']);
});

test('an if around whole documents reads each document; a range over ports reads the ports', () => {
  const text = `{{- if .Values.enabled }}\n${chart().replace('          ports:\n            - name: http\n              containerPort: {{ .Values.service.port }}\n', '          ports:\n            {{- range .Values.ports }}\n            - name: {{ .name }}\n              containerPort: {{ .port }}\n            {{- end }}\n            - name: http\n              containerPort: 8080\n')}{{- end }}\n`;
  const a = lint(text);
  assert.deepEqual(a.notices, []);
  assert.deepEqual(a.findings.map((f) => f.ruleId), ['prestop-hook-missing']);
});

test('a fix lands in the container itself, with the template\'s indentation, and keeps every action', () => {
  // The container ends in `resources:` and the block spliced under it: the hook goes above that key.
  const text = chart();
  const a = lint(text);
  const f = a.findings[0];
  assert.ok(f);
  const fix = a.fixFor(f);
  assert.ok(fix, a.fixProblem(f));
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed.split('{{').length, text.split('{{').length);
  assert.match(fixed, /containerPort: \{\{ \.Values\.service\.port \}\}\n {10}lifecycle:\n {12}preStop:\n {14}sleep:\n {16}seconds: \d+\n {10}resources:\n {12}\{\{- toYaml/);
  assert.deepEqual(lint(fixed).findings, []);
  // Where every place is inside a block the container is not in, no fix is offered.
  const inside = chart().replace('          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n', '          {{- with .Values.resources }}\n          resources:\n            {{- toYaml . | nindent 12 }}\n          {{- end }}\n').replace('          ports:\n            - name: http\n', '          {{- if .Values.ports }}\n          ports:\n            - name: http\n').replace('containerPort: {{ .Values.service.port }}\n', 'containerPort: {{ .Values.service.port }}\n          {{- end }}\n');
  const b = lint(inside);
  const g = b.findings[0];
  assert.ok(g);
  assert.equal(b.fixFor(g), undefined);
  assert.match(b.fixProblem(g) ?? '', /template/);
});

test('a fix after the last plain key of the container is offered as for plain YAML', () => {
  const safe = chart('          imagePullPolicy: IfNotPresent').replace('          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n', '');
  const b = lint(safe);
  const g = b.findings[0];
  assert.ok(g);
  const fix = b.fixFor(g);
  assert.ok(fix, b.fixProblem(g));
  const fixed = applyEdits(safe, fix.edits);
  assert.match(fixed, /imagePullPolicy: IfNotPresent\n {10}lifecycle:\n {12}preStop:\n/);
  assert.deepEqual(lint(fixed).findings, []);
});
