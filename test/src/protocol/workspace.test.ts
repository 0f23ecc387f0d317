import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ConfigurationItem, DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { EDITOR_CAPABILITIES, ids, of, rangeText, tempWorkspace, waitUntil, WEB, withServer } from './helpers';

const RULE = 'prestop-hook-missing';

/** A Deployment without ports: it serves only if a Service selects it. */
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:1.0.0
`;

const SERVICE = `# The Service in front of api.
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: 8080
`;

test('a Service in another workspace file makes the Deployment serve; the index follows file events', { timeout: 40_000 }, async () => {
  const ws = tempWorkspace({
    'deploy/api.yaml': DEPLOY,
    'services/api.yaml': SERVICE,
    'node_modules/chart/api-service.yaml': SERVICE,
    'generated/api-service.yaml': SERVICE,
  });
  fs.rmSync(path.join(ws.dir, 'services/api.yaml'));
  fs.rmSync(path.join(ws.dir, 'generated/api-service.yaml'));
  const configuration = (item: ConfigurationItem): unknown => (item.section === 'files' ? { exclude: { '**/generated': true, '**/.git': true } } : null);
  try {
    await withServer({ folders: [ws.dir], configuration }, async (client) => {
      const uri = ws.uri('deploy/api.yaml');
      await client.open(uri, DEPLOY);
      // Published at once with what is known: nothing serves (node_modules is not indexed).
      assert.deepEqual(of(await client.waitForCurrent(uri), RULE), []);
      await waitUntil(() => client.logs.some((l) => /indexed \d+ YAML file/.test(l)), 'the index run finishes');
      assert.ok(client.logs.some((l) => /indexed 1 YAML file .*; 0 Services known/.test(l)), `node_modules skipped: ${client.logs.join('\n')}`);
      assert.ok(client.configurationRequests.some((i) => i.section === 'files'), 'files.exclude is read');

      // A Service appears on disk.
      fs.writeFileSync(path.join(ws.dir, 'services/api.yaml'), SERVICE);
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('services/api.yaml'), type: 1 }] });
      const p = await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, RULE).length === 1, 'the finding once the Service is indexed');
      const related = of(p.diagnostics, RULE)[0]?.relatedInformation?.[0];
      assert.equal(related?.location.uri, ws.uri('services/api.yaml'));
      assert.equal(related && rangeText(SERVICE, related.location.range), 'Service', 'positions from that file');

      // In an excluded folder: ignored.
      fs.rmSync(path.join(ws.dir, 'services/api.yaml'));
      fs.writeFileSync(path.join(ws.dir, 'generated/api-service.yaml'), SERVICE);
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: ws.uri('services/api.yaml'), type: 3 },
          { uri: ws.uri('generated/api-service.yaml'), type: 1 },
        ],
      });
      await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, RULE).length === 0, 'finding gone with the Service deleted');

      // An open, unsaved document's Services count; closing it drops them (not on disk).
      const other = ws.uri('services/new.yaml');
      await client.open(other, SERVICE);
      await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, RULE).length === 1, 'Service from an open editor');
      await client.close(other);
      await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, RULE).length === 0, 'gone when the editor closes');
    });
  } finally {
    ws.cleanup();
  }
});

test('pull diagnostics: the client asks, and is told to ask again when settings change', { timeout: 20_000 }, async () => {
  const capabilities = {
    ...EDITOR_CAPABILITIES,
    workspace: { ...EDITOR_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
    textDocument: { ...EDITOR_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
  };
  let rules: Record<string, string> = {};
  const configuration = (item: ConfigurationItem): unknown => (item.section === 'kubeGraceful' ? { rules } : null);
  await withServer({ capabilities, configuration }, async (client, init) => {
    assert.ok(init.capabilities.diagnosticProvider, 'a diagnostic provider');
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    const pull = (): Promise<DocumentDiagnosticReport> => client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    const first = await pull();
    assert.equal(first.kind, 'full');
    assert.deepEqual(first.kind === 'full' ? ids(of(first.items, RULE)) : [], [RULE]);

    rules = { [RULE]: 'off' };
    const before = client.refreshes;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitUntil(() => client.refreshes > before, 'workspace/diagnostic/refresh');
    const second = await pull();
    assert.deepEqual(second.kind === 'full' ? of(second.items, RULE) : null, []);
    assert.equal(client.published.length, 0, 'nothing pushed in pull mode');
  });
});

test('the index reads every file up to workspaceIndexMaxFiles, says when it stops there, and reports progress', { timeout: 60_000 }, async () => {
  const files: Record<string, string> = { 'deploy/api.yaml': DEPLOY };
  for (let i = 0; i < 149; i++) files[`cm/cm-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: v}\n`;
  files['zz/api-service.yaml'] = SERVICE;
  const ws = tempWorkspace(files);
  const progress: unknown[] = [];
  try {
    // 151 files with a cap of 100: the run is reported as cut short, naming the setting.
    const capped = (item: ConfigurationItem): unknown => (item.section === 'kubeGraceful' ? { workspaceIndexMaxFiles: 100 } : null);
    await withServer({ folders: [ws.dir], configuration: capped, capabilities: { ...EDITOR_CAPABILITIES, window: { ...EDITOR_CAPABILITIES.window, workDoneProgress: true } } }, async (client) => {
      client.conn.onNotification('$/progress', (p: unknown) => {
        progress.push(p);
      });
      await waitUntil(() => client.logs.some((l) => /indexed \d+ YAML file/.test(l)), 'the index run finishes');
      assert.ok(client.logs.some((l) => /indexed 100 YAML files/.test(l)), client.logs.join('\n'));
      assert.ok(client.logs.some((l) => /has 151 YAML files; only the first 100 were indexed \(setting kubeGraceful\.workspaceIndexMaxFiles\)/.test(l)), client.logs.join('\n'));
      await waitUntil(() => progress.some((p) => JSON.stringify(p).includes('"kind":"end"')), 'progress ends');
      const text = JSON.stringify(progress);
      assert.match(text, /"kind":"begin","title":"Indexing manifests"/);
      assert.match(text, /"message":"100\/100"/);
    });
    // Without a cap below the file count, every file is read.
    await withServer({ folders: [ws.dir] }, async (client) => {
      await waitUntil(() => client.logs.some((l) => /indexed \d+ YAML file/.test(l)), 'the index run finishes');
      assert.ok(client.logs.some((l) => /indexed 151 YAML files .*; 1 Service known/.test(l)), client.logs.join('\n'));
      assert.ok(!client.logs.some((l) => /only the first/.test(l)));
    });
  } finally {
    ws.cleanup();
  }
});

test('an Ingress in another workspace file puts a load balancer in front of the pod; the index follows its changes', { timeout: 40_000 }, async () => {
  const deploy = DEPLOY.replace('image: ghcr.io/example/api:1.0.0', 'image: ghcr.io/example/api:1.0.0\n          lifecycle: {preStop: {sleep: {seconds: 5}}}');
  const ingress = (target: string): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    alb.ingress.kubernetes.io/target-type: ${target}
spec:
  ingressClassName: alb
  defaultBackend: {service: {name: api, port: {number: 80}}}
`;
  const ws = tempWorkspace({ 'deploy/api.yaml': deploy, 'services/api.yaml': SERVICE });
  const rule = 'prestop-sleep-too-short';
  try {
    await withServer({ folders: [ws.dir] }, async (client) => {
      const uri = ws.uri('deploy/api.yaml');
      await client.open(uri, deploy);
      await waitUntil(() => client.logs.some((l) => /indexed \d+ YAML file/.test(l)), 'the index run finishes');
      // The in-cluster path: 5 s is enough.
      await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, RULE).length === 0 && of(x.diagnostics, rule).length === 0, 'no finding behind kube-proxy only');

      fs.writeFileSync(path.join(ws.dir, 'ingress.yaml'), ingress('ip'));
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('ingress.yaml'), type: 1 }] });
      const p = await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, rule).length === 1, 'the sleep is short for the ALB');
      const d = of(p.diagnostics, rule)[0];
      assert.match(typeof d?.message === 'string' ? d.message : '', /Application Load Balancer/);
      const related = d?.relatedInformation?.[0];
      assert.equal(related?.location.uri, ws.uri('ingress.yaml'));
      assert.equal(related && rangeText(ingress('ip'), related.location.range), 'ip', 'positions from that file');

      fs.writeFileSync(path.join(ws.dir, 'ingress.yaml'), ingress('instance'));
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('ingress.yaml'), type: 2 }] });
      await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, rule).length === 0, 'instance targets go through kube-proxy');
    });
  } finally {
    ws.cleanup();
  }
});
