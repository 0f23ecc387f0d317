/**
 * Files the cluster accepts get no error: spots where the `yaml` library is stricter than the
 * Go YAML parser of kubectl become info notices, and the document is still analysed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, yaml } from './helpers';

// The shape of an old-style init-containers annotation: a single-quoted JSON value whose
// closing line sits at the key's indentation.
const annotated = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
        annotations:
          pod.beta.kubernetes.io/init-containers: '[
            {
              "name": "wait",
              "command": ["sh", "-c", "echo it''s waiting"]
            }
          ]'
      spec:
        containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 8080}]
`;

test('an under-indented quoted continuation is an info notice, and the document is analysed', () => {
  const a = lint(annotated);
  const notices = a.notices.filter((n) => n.kind === 'syntax-error');
  assert.deepEqual(notices.map((n) => n.severity), ['info']);
  assert.match(notices[0]?.message ?? '', /kubectl accepts/);
  assert.equal(annotated.slice(notices[0]?.span.start, (notices[0]?.span.start ?? 0) + 2), "'[");
  assert.deepEqual(a.findings.map((f) => f.ruleId), ['prestop-hook-missing']);
  const pod = a.pods[0];
  assert.ok(pod);
  assert.equal(pod.annotations.get('pod.beta.kubernetes.io/init-containers'), '[ { "name": "wait", "command": ["sh", "-c", "echo it\'s waiting"] } ]');
});

test('its fix is still offered and verified', () => {
  const a = lint(annotated);
  const f = a.findings[0];
  assert.ok(f);
  assert.ok(a.fixFor(f));
});

test('a double-quoted value under-indented the same way', () => {
  const text = annotated.replace(/'\[[^']*'[^']*'[^']*\]'/, '"[\n            {\n              \'name\': \'wait\'\n            }\n        ]"');
  const a = lint(text);
  assert.deepEqual(a.notices.filter((n) => n.kind === 'syntax-error').map((n) => n.severity), ['info']);
  assert.equal(a.findings.length, 1);
});

test('a quote that never closes is still an error', () => {
  const text = annotated.replace(`]'`, ']');
  const a = lint(text);
  assert.deepEqual(a.notices.filter((n) => n.kind === 'syntax-error').map((n) => n.severity), ['error']);
  assert.equal(a.findings.length, 0);
});

test('a document marker inside the quoted value ends it: still an error', () => {
  const text = annotated.replace(/^( *)\{$/m, '---\n$1{');
  assert.ok(lint(text).notices.some((n) => n.kind === 'syntax-error' && n.severity === 'error'));
});

test('a flow list continued at its key\'s indentation is an info notice, and the command is read whole', () => {
  const text = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: web
            image: example/web:1
            command: ["sh", "-c",
            "mkdir -p /data && /app"]
            ports: [{containerPort: 8080}]
  `;
  const a = lint(text);
  assert.deepEqual(a.notices.filter((n) => n.kind === 'syntax-error').map((n) => [n.severity, n.message.slice(0, 19)]), [['info', 'A flow collection (']]);
  assert.deepEqual(a.pods[0]?.containers[0]?.command, ['sh', '-c', 'mkdir -p /data && /app']);
  assert.deepEqual(a.findings.map((f) => f.ruleId).sort(), ['prestop-hook-missing', 'shell-wrapper-blocks-sigterm']);
});

test('a plain value continued at its key\'s indentation is an error for kubectl too: still an error', () => {
  const text = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: x
      description: one
      two
  `;
  assert.deepEqual(lint(text).notices.filter((n) => n.kind === 'syntax-error').map((n) => n.severity), ['error']);
});
