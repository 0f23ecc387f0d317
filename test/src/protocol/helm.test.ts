/** The language server on Helm templates (languageId helm): findings on the template's lines, helpers quiet. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { withServer } from './helpers';

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
