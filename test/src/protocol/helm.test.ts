/** The language server on Helm templates (languageId helm): findings on the template's lines, helpers quiet. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editsFor, rangeText, tempWorkspace, withServer } from './helpers';

const TEMPLATE = [
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
  '        {{- include "mychart.selectorLabels" . | nindent 8 }}',
  '    spec:',
  '      containers:',
  '        - name: {{ .Chart.Name }}',
  '          image: "{{ .Values.image.repository }}"',
  '          ports:',
  '            - name: http',
  '              containerPort: 80',
  '',
].join('\n');

test('a Helm template is analysed in place: the finding sits on the template line; a helpers file says nothing', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    await client.open('untitled:deployment.yaml', TEMPLATE, 'helm');
    const ds = await client.waitForCurrent('untitled:deployment.yaml', (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['prestop-hook-missing', 14, 16]],
    );
    await client.open('untitled:_helpers.tpl', '{{- define "mychart.labels" -}}\napp: {{ .Chart.Name }}\n{{- end }}\n', 'helm');
    assert.deepEqual(await client.waitForCurrent('untitled:_helpers.tpl'), []);
  });
});

test('the hover timeline works on a template: hooks and grace period written in it', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const text = TEMPLATE.replace('    spec:\n', '    spec:\n      terminationGracePeriodSeconds: 40\n').replace(
      '              containerPort: 80\n',
      '              containerPort: 80\n          lifecycle:\n            preStop:\n              sleep:\n                seconds: 10\n',
    );
    const uri = 'untitled:hooked.yaml';
    await client.open(uri, text, 'helm');
    assert.deepEqual(await client.waitForCurrent(uri), []);
    const offset = text.indexOf('terminationGracePeriodSeconds') + 3;
    const before = text.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
    const md = h ? (h.contents as MarkupContent).value : '';
    assert.match(md, /Termination timeline/);
    assert.match(md, /40 s/);
    assert.match(md, /sleep action, 10 s/);
  });
});

const CHART_TEMPLATE = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  'spec:',
  '  ports:',
  '    - port: 80',
  '      targetPort: 8080',
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
  '      containers:',
  '        - name: web',
  '          image: ghcr.io/example/web:1.0',
  '          ports:',
  '            - containerPort: 8080',
  '          lifecycle:',
  '            {{- toYaml .Values.lifecycle | nindent 12 }}',
  '',
].join('\n');
const NO_HOOK = 'lifecycle: {}\n';
const HOOK = 'lifecycle:\n  preStop:\n    sleep:\n      seconds: 10\n';

test("a template is judged with its chart's values.yaml: from disk, from the editor while it is open, and again when it changes on disk", { timeout: 30_000 }, async () => {
  const ws = tempWorkspace({ 'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'values.yaml': NO_HOOK, 'templates/deployment.yaml': CHART_TEMPLATE });
  try {
    await withServer({ folders: [ws.dir] }, async (client) => {
      const uri = ws.uri('templates/deployment.yaml');
      await client.open(uri, CHART_TEMPLATE, 'helm');
      const ds = await client.waitForCurrent(uri, (d) => d.length > 0);
      assert.deepEqual(ds.map((d) => [d.code, d.range.start.line]), [['prestop-hook-missing', 25]]);
      const related = ds[0]?.relatedInformation?.find((r) => r.location.uri === ws.uri('values.yaml'));
      assert.equal(related?.message, 'default set in values.yaml: .Values.lifecycle');
      assert.equal(related && rangeText(NO_HOOK, related.location.range), '{}');

      // values.yaml edited in the editor: the open template is judged again with its text.
      const values = ws.uri('values.yaml');
      await client.open(values, NO_HOOK, 'yaml');
      await client.change(values, HOOK);
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'no finding once values.yaml has the hook');
      await client.close(values);
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 1, 'the disk copy counts again on close');

      // Changed on disk.
      fs.writeFileSync(path.join(ws.dir, 'values.yaml'), HOOK);
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: values, type: 2 }] });
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'no finding once values.yaml on disk has the hook');
    });
  } finally {
    ws.cleanup();
  }
});

test('a grace period the template takes from values.yaml gets a quick fix that edits values.yaml', { timeout: 30_000 }, async () => {
  const template = CHART_TEMPLATE.replace('    spec:\n      containers:', '    spec:\n      terminationGracePeriodSeconds: {{ .Values.grace }}\n      containers:');
  assert.notEqual(template, CHART_TEMPLATE);
  const values = 'grace: 5\nlifecycle:\n  preStop:\n    sleep:\n      seconds: 10\n';
  const ws = tempWorkspace({ 'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'values.yaml': values, 'templates/deployment.yaml': template });
  try {
    await withServer({ folders: [ws.dir] }, async (client) => {
      const uri = ws.uri('templates/deployment.yaml');
      await client.open(uri, template, 'helm');
      const ds = await client.waitForCurrent(uri, (d) => d.some((x) => x.code === 'grace-period-too-short'));
      const d = ds.find((x) => x.code === 'grace-period-too-short');
      assert.ok(d);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fix = actions.find((a) => a.isPreferred === true);
      assert.ok(fix, actions.map((a) => a.title).join(' | '));
      assert.match(fix.title, /in values\.yaml$/);
      const edit = fix.edit ?? (await client.request<CodeAction>('codeAction/resolve', fix)).edit;
      const valuesUri = ws.uri('values.yaml');
      assert.deepEqual(editsFor(edit ?? {}, uri), []);
      const edits = editsFor(edit ?? {}, valuesUri);
      assert.equal(edits.length, 1);
      assert.equal(rangeText(values, edits[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), '5');
      assert.ok(Number(edits[0]?.newText) >= 12, edits[0]?.newText);
    });
  } finally {
    ws.cleanup();
  }
});
