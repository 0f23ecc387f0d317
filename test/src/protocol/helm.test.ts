/** The language server on Helm templates (languageId helm): findings on the template's lines, helpers quiet. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
