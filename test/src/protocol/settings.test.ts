import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CodeAction, ConfigurationItem } from 'vscode-languageserver-protocol/node';
import { delay, EDITOR_CAPABILITIES, ids, messageOf, of, tempWorkspace, WEB, withServer } from './helpers';

const RULE = 'prestop-hook-missing';

test('didChangeConfiguration with the rule off removes the diagnostic; back on restores it', { timeout: 20_000 }, async () => {
  let rules: Record<string, string> = {};
  const configuration = (item: ConfigurationItem): unknown => (item.section === 'kubeGraceful' ? { rules } : null);
  await withServer({ configuration }, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    assert.ok(client.configurationRequests.some((i) => i.section === 'kubeGraceful' && i.scopeUri === uri), 'settings asked per resource');

    rules = { [RULE]: 'off' };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => of(p.diagnostics, RULE).length === 0, 'no diagnostics with the rule off');

    rules = { [RULE]: 'error' };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const p = await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, RULE).length === 1, 'the diagnostic back, as an error');
    assert.equal(of(p.diagnostics, RULE)[0]?.severity, 1);
  });
});

test('enable: false turns the server off for the resource', { timeout: 20_000 }, async () => {
  let enable = true;
  await withServer({ configuration: (item) => (item.section === 'kubeGraceful' ? { enable } : null) }, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    enable = false;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'disabled: no diagnostics at all');
  });
});

test('a client without workspace/configuration: initializationOptions.settings, then pushed settings', { timeout: 20_000 }, async () => {
  const capabilities = { ...EDITOR_CAPABILITIES, workspace: {} };
  await withServer({ capabilities, initializationOptions: { settings: { rules: { [RULE]: 'info' } } } }, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    const ds = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    assert.equal(of(ds, RULE)[0]?.severity, 3, 'info from initializationOptions → Information');
    assert.equal(client.configurationRequests.length, 0, 'never asked');
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { kubeGraceful: { rules: { [RULE]: 'off' } } } });
    await client.waitForDiagnostics(uri, (p) => of(p.diagnostics, RULE).length === 0, 'rule off by pushed settings');
  });
});

test('.kube-graceful.yaml wins over editor settings and is re-read when it changes', { timeout: 30_000 }, async () => {
  const ws = tempWorkspace({ 'apps/web.yaml': WEB, '.kube-graceful.yaml': `rules:\n  ${RULE}: error\n` });
  try {
    const configuration = (item: ConfigurationItem): unknown => (item.section === 'kubeGraceful' ? { rules: { [RULE]: 'info' } } : null);
    await withServer({ configuration, folders: [ws.dir] }, async (client) => {
      const uri = ws.uri('apps/web.yaml');
      await client.open(uri, WEB);
      const ds = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
      assert.equal(of(ds, RULE)[0]?.severity, 1, 'the file (error) beats the editor (info)');

      fs.writeFileSync(path.join(ws.dir, '.kube-graceful.yaml'), `rules:\n  ${RULE}: "off"\n`);
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('.kube-graceful.yaml'), type: 2 }] });
      await client.waitForDiagnostics(uri, (p) => of(p.diagnostics, RULE).length === 0, 'rule off by the changed file');

      fs.rmSync(path.join(ws.dir, '.kube-graceful.yaml'));
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('.kube-graceful.yaml'), type: 3 }] });
      const back = await client.waitForDiagnostics(uri, (p) => of(p.diagnostics, RULE).length === 1, 'editor settings again after the file is deleted');
      assert.equal(of(back.diagnostics, RULE)[0]?.severity, 3);
    });
  } finally {
    ws.cleanup();
  }
});

test('problems in an open .kube-graceful.yaml are diagnostics on it; a closed one draws one warning message', { timeout: 30_000 }, async () => {
  const bad = 'rules:\n  no-such-rule: error\nshutdownSeconds: soon\n';
  const ws = tempWorkspace({ 'web.yaml': WEB, '.kube-graceful.yaml': bad });
  try {
    await withServer({ folders: [ws.dir] }, async (client) => {
      const uri = ws.uri('web.yaml');
      await client.open(uri, WEB);
      await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
      // The config file is not open: a warning message, once.
      await client.change(uri, WEB.replace('1.0.0', '1.0.1'));
      await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
      const warnings = client.messages.filter((m) => m.type === 2 && /kube-graceful/.test(m.message));
      assert.equal(warnings.length, 1, JSON.stringify([client.messages, client.logs]));
      assert.match(warnings[0]?.message ?? '', /no-such-rule/);

      const configUri = ws.uri('.kube-graceful.yaml');
      await client.open(configUri, bad);
      const ds = await client.waitForCurrent(configUri, (d) => d.length === 2, 'config problems on the file');
      assert.ok(ds.every((d) => d.source === 'kube-graceful' && d.severity === 1));
      assert.ok(ds.some((d) => /no-such-rule/.test(messageOf(d))));
      assert.deepEqual(ids(ds), ['', '']);

      await client.change(configUri, `rules:\n  ${RULE}: "off"\n`);
      await client.waitForCurrent(configUri, (d) => d.length === 0, 'fixed config');
      await client.waitForDiagnostics(uri, (p) => of(p.diagnostics, RULE).length === 0, 'the unsaved config text already applies');
      await delay(50);
      assert.equal(client.messages.filter((m) => m.type === 2).length, 1, 'no further warning messages');
    });
  } finally {
    ws.cleanup();
  }
});

test('a bad editor value is logged once, not on every read, and ignored; the per-rule form applies', { timeout: 30_000 }, async () => {
  let section: Record<string, unknown> = { preStopSleepSeconds: 7.5, rules: { [RULE]: { severity: 'error' } } };
  await withServer({ configuration: (item) => (item.section === 'kubeGraceful' ? section : null) }, async (client) => {
    const uris = ['untitled:a.yaml', 'untitled:b.yaml'];
    for (const uri of uris) await client.open(uri, WEB);
    const ds = await client.waitForCurrent(uris[1] ?? '', (d) => of(d, RULE).length === 1);
    await client.waitForCurrent(uris[0] ?? '', (d) => of(d, RULE).length === 1);
    await client.change(uris[0] ?? '', WEB.replace('1.0.0', '1.0.1'));
    await client.waitForCurrent(uris[0] ?? '', (d) => of(d, RULE).length === 1);
    const reports = (): string[] => client.logs.filter((l) => l.includes('kubeGraceful.preStopSleepSeconds'));
    assert.equal(reports().length, 1, JSON.stringify(client.logs));
    assert.match(reports()[0] ?? '', /whole number/);
    assert.equal(of(ds, RULE)[0]?.severity, 1, 'severity from the per-rule form');

    // The bad value is ignored: the fix sleeps the default 10 s.
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uris[1] },
      range: of(ds, RULE)[0]?.range,
      context: { diagnostics: of(ds, RULE) },
    });
    assert.ok(actions.some((a) => /sleep action of 10 s/.test(a.title)), actions.map((a) => a.title).join(' | '));

    // Changed settings are read again; a value still bad is named again, once.
    section = { preStopSleepSeconds: 0 };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uris[1] ?? '', (p) => of(p.diagnostics, RULE)[0]?.severity === 2, 'default severity again');
    await client.waitForDiagnostics(uris[0] ?? '', (p) => of(p.diagnostics, RULE)[0]?.severity === 2, 'default severity again');
    assert.equal(reports().length, 2, JSON.stringify(client.logs));
    assert.match(reports()[1] ?? '', /\(not 0\)/);
  });
});
