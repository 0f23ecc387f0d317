/** What counts as a template: the notices a file gets, and whether its documents are analysed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from './helpers';

const notices = (text: string): string[] => lint(text).notices.map((n) => `${n.kind}:${n.severity}`);

test('a document invalid until rendered (`"{{ template "x" . }}"`) is a template, not a syntax error', () => {
  assert.deepEqual(notices('apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ template "x" . }}"\nspec:\n  containers: []\n'), ['template:info']);
});

test('Go templates of an Alertmanager config in a ConfigMap block scalar: plain, no notice', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: am\ndata:\n  slack.tmpl: |\n    {{ define "slack.title" }}\n    [{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}\n    {{ end }}\n';
  assert.deepEqual(notices(text), []);
});

test('a Helm reference in a block scalar makes the document a template', () => {
  assert.deepEqual(notices('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  config.yaml: |\n    {{- toYaml .Values.config | nindent 4 }}\n'), ['template:info']);
});

test('a control line makes every document of the file a template, the plain ones too', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector: {app: a}\n  ports: [{port: 80}]\n---\n{{- if .Values.b }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n{{- end }}\n';
  const a = lint(text);
  assert.deepEqual(a.prepared.chunks.map((c) => c.template), [true, true]);
  assert.deepEqual(a.prepared.services, []);
});

test('template syntax in comments only: plain', () => {
  assert.deepEqual(notices('# rendered from {{ .Values.name }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n'), []);
});
