import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ids, messageOf, of, rangeText, WEB, withServer } from './helpers';

const URI = 'untitled:web.yaml';
const RULE = 'prestop-hook-missing';

test('initialize announces sync, code actions, hover and commands', { timeout: 20_000 }, async () => {
  await withServer({}, (_client, init) => {
    const caps = init.capabilities;
    assert.equal(caps.textDocumentSync, 2, 'incremental sync');
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.codeActionProvider !== undefined && typeof caps.codeActionProvider === 'object');
    assert.ok(caps.codeActionProvider.codeActionKinds?.includes('quickfix'));
    assert.ok(caps.codeActionProvider.codeActionKinds?.includes('source.fixAll.kube-graceful'));
    assert.equal(caps.codeActionProvider.resolveProvider, true);
    assert.deepEqual(caps.executeCommandProvider?.commands, ['kube-graceful.showRuleDocumentation']);
    assert.equal(caps.diagnosticProvider, undefined, 'push diagnostics for a client without pull support');
    return Promise.resolve();
  });
});

test('didOpen publishes a diagnostic with source, code, docs link, range and related Service', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    await client.open(URI, WEB);
    const ds = of(await client.waitForCurrent(URI, (d) => d.length > 0), RULE);
    assert.deepEqual(ids(ds), [RULE]);
    const d = ds[0] as Diagnostic;
    assert.equal(d.source, 'kube-graceful');
    assert.equal(d.severity, 2, 'warning');
    assert.match(d.codeDescription?.href ?? '', /prestop-hook-missing/);
    assert.equal(rangeText(WEB, d.range), 'web', 'anchored on the container name');
    assert.equal(d.range.start.line, 15);
    const related = d.relatedInformation?.[0];
    assert.ok(related, 'the Service is related');
    assert.equal(related.location.uri, URI);
    assert.equal(rangeText(WEB, related.location.range), 'Service');
  });
});

test('a YAML syntax error is an Error without code; a Helm template is skipped quietly', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    await client.open('untitled:broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
    const ds = await client.waitForCurrent('untitled:broken.yaml', (d) => d.length > 0);
    assert.equal(ds.length, 1);
    assert.equal(ds[0]?.severity, 1);
    assert.equal(ds[0]?.code, undefined);
    assert.match(messageOf(ds[0]), /syntax/i);

    const helm = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n';
    await client.open('untitled:chart.yaml', helm, 'helm');
    const hs = await client.waitForCurrent('untitled:chart.yaml');
    assert.deepEqual(hs, [], 'templates produce no diagnostics');
  });
});

test('a burst of 30 changes publishes diagnostics for the last version, never older ones after newer', { timeout: 30_000 }, async () => {
  await withServer({}, async (client) => {
    await client.open(URI, WEB);
    await client.waitForCurrent(URI, (d) => of(d, RULE).length === 1);
    // Alternate between a text with the finding and one without; the last one has it.
    const fixed = WEB.replace('          ports:', '          lifecycle:\n            preStop:\n              sleep:\n                seconds: 10\n          ports:');
    for (let i = 0; i < 30; i++) await client.change(URI, i % 2 === 0 ? fixed : WEB.replace('web:1.0.0', `web:1.0.${i}`));
    const last = client.version(URI);
    assert.equal(last, 31);
    const ds = await client.waitForCurrent(URI, () => true, 'diagnostics of version 31');
    assert.deepEqual(ids(of(ds, RULE)), [RULE], 'version 31 has the finding');
    const versions = client.published.filter((p) => p.uri === URI).map((p) => p.version ?? -1);
    for (let i = 1; i < versions.length; i++) assert.ok((versions[i] ?? 0) >= (versions[i - 1] ?? 0), `published versions never go back: ${versions.join(',')}`);
    assert.ok(versions.length <= 4, `debounced: ${versions.length} publications for 31 versions`);
  });
});

test('closing a document clears its diagnostics', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    await client.open(URI, WEB);
    await client.waitForCurrent(URI, (d) => of(d, RULE).length === 1);
    await client.close(URI);
    await client.waitForDiagnostics(URI, (p) => p.diagnostics.length === 0, 'empty diagnostics after close');
  });
});
