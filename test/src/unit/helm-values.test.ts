/** Helm templates read with their chart's values.yaml defaults: values routed through `.Values` are judged as the defaults say. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText, DEFAULT_SETTINGS, mergeSettings, readChartValues, type Analysis, type ChartValues } from '../../../server/out/core';
import { maskTemplate } from '../../../server/out/core/yaml/helm';
import { lineOf } from './helpers';

/** A Deployment in the shape of `helm create`, with a Service selecting it; `pod` and `container` lines are inserted. */
function deployment(pod: readonly string[], container: readonly string[], image = '"{{ .Values.image.repository }}:{{ .Values.image.tag | default "1.0" }}"'): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  ports:',
    '    - port: 80',
    '      targetPort: http',
    '  selector:',
    '    app: web',
    '---',
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
    ...pod,
    '      containers:',
    '        - name: web',
    `          image: ${image}`,
    '          ports:',
    '            - name: http',
    '              containerPort: 8080',
    ...container,
    '',
  ].join('\n');
}

const VALUES_FILE = '/chart/values.yaml';

function run(text: string, values?: string, settings = {}): Analysis {
  const chartValues: ChartValues | undefined = values === undefined ? undefined : readChartValues(values, VALUES_FILE);
  return analyzeText(text, { settings: mergeSettings(DEFAULT_SETTINGS, settings), ...(chartValues ? { chartValues } : {}) });
}

function rules(a: Analysis): string[] {
  return a.findings.map((f) => f.ruleId);
}

const SPLICED_LIFECYCLE = ['          lifecycle:', '            {{- toYaml .Values.lifecycle | nindent 12 }}'];
const WITH_LIFECYCLE = ['          {{- with .Values.lifecycle }}', '          lifecycle:', '            {{- toYaml . | nindent 12 }}', '          {{- end }}'];

test('lifecycle spliced from values: unknown without values.yaml, judged with it', () => {
  const text = deployment([], SPLICED_LIFECYCLE);
  assert.deepEqual(rules(run(text)), []);
  const empty = run(text, 'image:\n  repository: ghcr.io/example/web\nlifecycle: {}\n');
  assert.deepEqual(rules(empty), ['prestop-hook-missing']);
  const f = empty.findings[0];
  assert.ok(f);
  assert.equal(lineOf(text, f), 26);
  assert.deepEqual(f?.related.filter((r) => r.filePath === VALUES_FILE).map((r) => [r.message, r.span]), [
    ['default set in values.yaml: .Values.lifecycle', { start: 52, end: 54 }],
  ]);
  // A preStop sleep in values.yaml: no finding.
  const hooked = run(text, 'lifecycle:\n  preStop:\n    sleep:\n      seconds: 5\n');
  assert.deepEqual(rules(hooked), []);
});

test('lifecycle under `with .Values.lifecycle`: an empty default means no hook, a hook in values.yaml silences', () => {
  const text = deployment([], WITH_LIFECYCLE);
  assert.deepEqual(rules(run(text)), []);
  assert.deepEqual(rules(run(text, 'lifecycle: {}\n')), ['prestop-hook-missing']);
  assert.deepEqual(rules(run(text, 'lifecycle:\n')), ['prestop-hook-missing']);
  assert.deepEqual(rules(run(text, 'lifecycle:\n  preStop:\n    sleep:\n      seconds: 5\n')), []);
  // A path values.yaml does not have stays unknown? No: a missing key is empty in Helm, but a missing parent is unknown.
  assert.deepEqual(rules(run(text.replace('.Values.lifecycle', '.Values.web.lifecycle'), 'other: 1\n')), []);
});

test('an empty lifecycle default with another splice in the container stays unknown', () => {
  const text = deployment([], [...SPLICED_LIFECYCLE, '          {{- toYaml .Values.extra | nindent 10 }}']);
  assert.deepEqual(rules(run(text, 'lifecycle: {}\nextra:\n  a: 1\n')), []);
  assert.deepEqual(rules(run(text, 'lifecycle: {}\nextra: {}\n')), ['prestop-hook-missing']);
});

test('grace period from values: judged against the hook in the template, the finding points at values.yaml', () => {
  const hook = ['          lifecycle:', '            preStop:', '              sleep:', '                seconds: 40'];
  const text = deployment(['      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}'], hook);
  assert.deepEqual(rules(run(text)), []);
  const a = run(text, '# grace\nterminationGracePeriodSeconds: 30\n');
  assert.ok(rules(a).includes('grace-period-too-short'), rules(a).join());
  const f = a.findings.find((x) => x.ruleId === 'grace-period-too-short');
  assert.ok(f?.related.some((r) => r.filePath === VALUES_FILE && r.message === 'default set in values.yaml: .Values.terminationGracePeriodSeconds' && r.span.start === 39));
  assert.deepEqual(rules(run(text, 'terminationGracePeriodSeconds: 60\n')), []);
  // `default` when the value is unset, `int` and `quote`d strings read as Helm renders them.
  const withDefault = deployment(['      terminationGracePeriodSeconds: {{ .Values.grace | default 30 | int }}'], hook);
  assert.ok(rules(run(withDefault, 'grace:\n')).includes('grace-period-too-short'));
  assert.deepEqual(rules(run(withDefault, 'grace: 90\n')), []);
  const prefix = deployment(['      terminationGracePeriodSeconds: {{ default 90 .Values.grace }}'], hook);
  assert.deepEqual(rules(run(prefix, 'grace: 0\n')), []);
  assert.ok(rules(run(prefix, 'grace: 20\n')).includes('grace-period-too-short'));
});

test('a sleep from values: its seconds judged', () => {
  const hook = ['          lifecycle:', '            preStop:', '              sleep:', '                seconds: {{ .Values.sleepSeconds }}'];
  const text = deployment([], hook);
  assert.deepEqual(rules(run(text)), []);
  const short = run(text, 'sleepSeconds: 1\n');
  assert.deepEqual(rules(short), ['prestop-sleep-too-short']);
  const sleepFix = short.findings[0] && short.fixFor(short.findings[0]);
  assert.deepEqual(sleepFix?.files?.[0]?.edits.map((e) => [e.start, e.end, Number(e.newText) >= 5]), [[14, 15, true]]);
  assert.deepEqual(rules(run(text, 'sleepSeconds: 10\n')), []);
});

test('an image from values: prestop-exec-in-minimal-image judges the repository and tag', () => {
  const hook = ['          lifecycle:', '            preStop:', '              exec:', '                command: ["sleep", "10"]'];
  const text = deployment([], hook);
  const settings = { kubernetesVersion: '1.29' };
  assert.deepEqual(rules(run(text, 'image:\n  repository: ghcr.io/example/web\n', settings)), []);
  const minimal = run(text, 'image:\n  repository: gcr.io/distroless/static\n  tag: nonroot\n', settings);
  assert.deepEqual(rules(minimal), ['prestop-exec-in-minimal-image']);
  assert.match(minimal.findings[0]?.message ?? '', /distroless\/static:nonroot/);
  assert.ok(minimal.findings[0]?.related.some((r) => r.filePath === VALUES_FILE && r.message.endsWith('.Values.image.repository')));
});

test('fixes: a field routed through values is not fixed in the template; other template fixes still are', () => {
  const spliced = run(deployment([], SPLICED_LIFECYCLE), 'lifecycle: {}\n');
  const f = spliced.findings[0];
  assert.ok(f);
  assert.equal(spliced.fixFor(f), undefined);
  assert.match(spliced.fixProblem(f) ?? '', /values\.yaml/);
  const hook = ['          lifecycle:', '            preStop:', '              sleep:', '                seconds: 40'];
  const grace = run(deployment(['      terminationGracePeriodSeconds: {{ .Values.grace }}'], hook), 'grace: 30\n');
  const g = grace.findings.find((x) => x.ruleId === 'grace-period-too-short');
  assert.ok(g);
  // A number values.yaml writes is fixed there: the same edit, at the value's line, checked on the template read again.
  const fix = grace.fixFor(g);
  assert.deepEqual(fix?.edits, []);
  assert.match(fix?.title ?? '', /in values\.yaml$/);
  const edit = fix?.files?.[0];
  assert.equal(edit?.filePath, VALUES_FILE);
  assert.deepEqual(edit?.edits.map((e) => [e.start, e.end]), [[7, 9]]);
  assert.ok(Number(edit?.edits[0]?.newText) >= 42, edit?.edits[0]?.newText);
  assert.equal(grace.fixProblem(g), undefined);
  // No hook and nothing from values: the template fix is offered as before.
  const plain = run(deployment([], []), 'image:\n  repository: ghcr.io/example/web\n');
  const p = plain.findings[0];
  assert.ok(p && plain.fixFor(p));
});

test('values are applied at the same length: every span stays a span in the template', () => {
  const text = 'a: {{ .Values.a }}\nb: "{{ .Values.b }}-x"\nc: {{ .Values.c | quote }}\nd: {{ .Values.long }}\n';
  const m = maskTemplate(text, { root: undefined });
  assert.equal(m.masked.length, text.length);
  const values = { root: { kind: 'map', entries: [
    { key: 'a', value: { kind: 'number', value: 5, source: '5' } },
    { key: 'b', value: { kind: 'string', value: 'v' } },
    { key: 'c', value: { kind: 'string', value: 'w' } },
    { key: 'long', value: { kind: 'string', value: 'a value longer than its action' } },
  ] } } as const;
  const v = maskTemplate(text, values);
  assert.equal(v.masked.length, text.length);
  assert.deepEqual(v.masked.split('\n').map((l) => l.trimEnd()), ['a: 5', 'b: "v-x"', 'c: "w"', `d: ${maskTemplate(text).masked.split('\n')[3]?.slice(3).trimEnd()}`, '']);
});

test('a conditional block is decided only when it guards a termination key, wherever the key starts a line of it', () => {
  const text = [
    'a:',
    '{{- if .Values.off }}',
    '  - lifecycle:',
    '      x: 1',
    '{{- end }}',
    '{{- if .Values.off }}',
    '  other: 1',
    '{{- end }}',
    'b: {{ if .Values.off }}preStop: 1{{ end }}',
    'c: {{ if .Values.off }}',
    '  terminationGracePeriodSeconds: 3',
    '{{- else }}',
    '  d: {{ .Values.n }}',
    '{{- end }}',
    '',
  ].join('\n');
  const values = { root: { kind: 'map', entries: [
    { key: 'off', value: { kind: 'boolean', value: false } },
    { key: 'n', value: { kind: 'number', value: 7, source: '7' } },
  ] } } as const;
  const v = maskTemplate(text, values);
  assert.equal(v.masked.length, text.length);
  const known = (keyword: string): boolean[] => v.actions.filter((a) => a.keyword === keyword).map((a) => a.known === true);
  // The first block guards `- lifecycle:`, the third `preStop:` right after its action, the fourth the grace period; the second guards nothing.
  assert.deepEqual(known('if'), [true, false, true, true]);
  assert.deepEqual(v.masked.split('\n').map((l) => l.trim()), ['a:', '', '', '', '', '', 'other: 1', '', 'b:', 'c:', '', '', 'd: 7', '', '']);
});

test('a line of value actions is written only when every action on it resolves and none other stands there', () => {
  const text = 'a: {{ .Values.a }}-{{ .Values.c }}\nb: {{ .Values.a }}{{ if .x }}y{{ end }}\nc: {{ .Values.a }}{{ .Values.nope }}\n';
  const values = { root: { kind: 'map', entries: [
    { key: 'a', value: { kind: 'number', value: 5, source: '5' } },
    { key: 'c', value: { kind: 'string', value: 'w' } },
  ] } } as const;
  const lines = maskTemplate(text, values).masked.split('\n').map((l) => l.trimEnd());
  const bare = maskTemplate(text).masked.split('\n').map((l) => l.trimEnd());
  assert.deepEqual(lines, ['a: 5-w', bare[1], bare[2], '']);
});
