import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { EDITOR_CAPABILITIES, editsFor, ids, of, onlyRemoved, positionAt, TWO_CONTAINERS, WEB, withServer, type TestClient } from './helpers';

const RULE = 'prestop-hook-missing';

async function actionsFor(client: TestClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const first = diagnostics[0];
  assert.ok(first, 'a diagnostic to ask about');
  const range = diagnostics.reduce((r, d) => ({ start: d.range.start.line < r.start.line ? d.range.start : r.start, end: d.range.end.line > r.end.line ? d.range.end : r.end }), first.range);
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  });
}

/** Source actions for the whole document, as the Source Action menu or codeActionsOnSave ask. */
function sourceActions(client: TestClient, uri: string, only: string[]): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only, triggerKind: 2 },
  });
}

function titled(actions: readonly CodeAction[], re: RegExp): CodeAction {
  const a = actions.find((x) => re.test(x.title));
  assert.ok(a, `an action matching ${String(re)} among: ${actions.map((x) => x.title).join(' | ')}`);
  return a;
}

test('the preferred quick fix clears the finding and adds none', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const ds = of(all, RULE);
    const actions = await actionsFor(client, uri, ds);
    const fix = actions.find((a) => a.isPreferred === true);
    assert.ok(fix?.edit, 'a preferred fix with an edit');
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), [RULE]);
    const after = await client.applyEdit(uri, fix.edit);
    assert.match(after, /preStop:/);
    assert.ok(after.includes('# A web Deployment behind a Service.'), 'comments survive');
    const now = await client.waitForCurrent(uri);
    assert.ok(onlyRemoved(all, now, RULE, 1), `the finding gone, none added: ${ids(all).join(',')} → ${ids(now).join(',')}`);
  });
});

test('fix all: per rule (resolved lazily) and source.fixAll.kube-graceful', { timeout: 30_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:shop.yaml';
    await client.open(uri, TWO_CONTAINERS);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 2);
    const ds = of(all, RULE);
    assert.deepEqual(ids(ds), [RULE, RULE]);

    // Per rule, from the light bulb of one diagnostic: offered because there are two; the edit comes on resolve.
    const actions = await actionsFor(client, uri, [ds[0] as Diagnostic]);
    const perRule = titled(actions, /^Fix all prestop-hook-missing problems in this file$/);
    assert.equal(perRule.edit, undefined, 'resolved lazily');
    const resolved = await client.request<CodeAction>('codeAction/resolve', perRule);
    assert.ok(resolved.edit, 'resolve fills in the edit');
    const edits = editsFor(resolved.edit, uri);
    assert.ok(edits.length >= 2, `a few small hunks, not the whole file (${edits.length} edits)`);
    for (const e of edits) assert.ok(e.newText.length < 200, 'each hunk is small');

    // source.fixAll as codeActionsOnSave asks for it: only=[source.fixAll], edit included at once.
    const source = await sourceActions(client, uri, ['source.fixAll']);
    assert.equal(source.length, 1, 'one fix-all action');
    const fixAll = source[0] as CodeAction;
    assert.equal(fixAll.kind, 'source.fixAll.kube-graceful');
    assert.ok(fixAll.edit);
    const after = await client.applyEdit(uri, fixAll.edit);
    assert.equal((after.match(/preStop:/g) ?? []).length, 2, 'both containers fixed');
    assert.deepEqual(of(await client.waitForCurrent(uri), RULE), []);

    // Fix-all is idempotent: nothing left to offer.
    assert.deepEqual(await sourceActions(client, uri, ['source.fixAll.kube-graceful']), []);
  });
});

test('without resolve support the per-rule fix-all carries its edit, as plain `changes`', { timeout: 20_000 }, async () => {
  const capabilities = {
    ...EDITOR_CAPABILITIES,
    workspace: { configuration: true },
    textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
  };
  await withServer({ capabilities }, async (client) => {
    const uri = 'untitled:shop.yaml';
    await client.open(uri, TWO_CONTAINERS);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 2);
    const ds = of(all, RULE);
    const actions = await actionsFor(client, uri, [ds[1] as Diagnostic]);
    const perRule = titled(actions, /^Fix all prestop-hook-missing/);
    assert.ok(perRule.edit?.changes?.[uri], 'edit as changes');
    assert.equal(perRule.edit.documentChanges, undefined);
  });
});

test('disable for this line appends to an existing disable-next-line directive', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    const text = WEB.replace('        - name: web\n', '        # kube-graceful-disable-next-line grace-period-too-short -- sized by hand\n        - name: web\n');
    await client.open(uri, text);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const ds = of(all, RULE);
    const action = titled(await actionsFor(client, uri, ds), /^Disable prestop-hook-missing for this line$/);
    assert.ok(action.edit);
    const after = await client.applyEdit(uri, action.edit);
    assert.ok(
      after.includes('        # kube-graceful-disable-next-line grace-period-too-short, prestop-hook-missing -- sized by hand\n        - name: web\n'),
      `appended, not stacked:\n${after}`,
    );
    assert.equal((after.match(/kube-graceful-disable/g) ?? []).length, 1);
    assert.ok(onlyRemoved(all, await client.waitForCurrent(uri), RULE, 1), 'silenced, nothing else changed');
  });
});

test('disable for this line inserts a directive with the line indentation and the file EOL', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:crlf.yaml';
    const text = WEB.replace(/\n/g, '\r\n');
    await client.open(uri, text);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const ds = of(all, RULE);
    const action = titled(await actionsFor(client, uri, ds), /^Disable prestop-hook-missing for this line$/);
    assert.ok(action.edit);
    const after = await client.applyEdit(uri, action.edit);
    assert.ok(after.includes('\r\n        # kube-graceful-disable-next-line prestop-hook-missing\r\n        - name: web\r\n'));
    assert.ok(onlyRemoved(all, await client.waitForCurrent(uri), RULE, 1), 'silenced, nothing else changed');
  });
});

test('disable for this object adds the ignore annotation; for the file, a directive after the header', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const ds = of(all, RULE);
    const actions = await actionsFor(client, uri, ds);

    const object = titled(actions, /^Disable prestop-hook-missing for this object$/);
    assert.ok(object.edit);
    const annotated = await client.applyEdit(uri, object.edit);
    assert.match(annotated, /metadata:\n {2}name: web\n {2}annotations:\n {4}ignore-check\.kube-graceful\.io\/prestop-hook-missing: "[^"]+"\n/);
    assert.ok(onlyRemoved(all, await client.waitForCurrent(uri), RULE, 1), 'silenced, nothing else changed');

    const uri2 = 'untitled:web2.yaml';
    await client.open(uri2, WEB);
    const all2 = await client.waitForCurrent(uri2, (d) => of(d, RULE).length === 1);
    const ds2 = of(all2, RULE);
    const file = titled(await actionsFor(client, uri2, ds2), /^Disable prestop-hook-missing for the entire file$/);
    assert.ok(file.edit);
    const disabled = await client.applyEdit(uri2, file.edit);
    assert.ok(disabled.startsWith('# A web Deployment behind a Service.\n# kube-graceful-disable prestop-hook-missing\napiVersion'), disabled.slice(0, 120));
    assert.ok(onlyRemoved(all2, await client.waitForCurrent(uri2), RULE, 1), 'silenced, nothing else changed');
  });
});

test('the disable-for-file action appends to an existing file directive', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, `# kube-graceful-disable grace-period-zero\n${WEB}`);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const ds = of(all, RULE);
    const file = titled(await actionsFor(client, uri, ds), /for the entire file$/);
    assert.ok(file.edit);
    const after = await client.applyEdit(uri, file.edit);
    assert.ok(after.startsWith('# kube-graceful-disable grace-period-zero, prestop-hook-missing\n'));
    assert.ok(onlyRemoved(all, await client.waitForCurrent(uri), RULE, 1), 'silenced, nothing else changed');
  });
});

test('show documentation runs a command that opens the rule docs externally', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const ds = of(all, RULE);
    const docs = titled(await actionsFor(client, uri, ds), /^Show documentation for prestop-hook-missing$/);
    assert.equal(docs.command?.command, 'kube-graceful.showRuleDocumentation');
    await client.request('workspace/executeCommand', { command: docs.command.command, arguments: docs.command.arguments });
    assert.equal(client.shownDocuments.length, 1);
    assert.match(client.shownDocuments[0]?.uri ?? '', /^https:\/\/.*prestop-hook-missing/);
    assert.equal(client.shownDocuments[0]?.external, true);
  });
});

test('actions come in order: fix, fix all, disables, docs; only=quickfix leaves out source actions', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:shop.yaml';
    await client.open(uri, TWO_CONTAINERS);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 2);
    const ds = of(all, RULE);
    const actions = await actionsFor(client, uri, [ds[0] as Diagnostic], ['quickfix']);
    const kinds = actions.map((a) =>
      a.isPreferred === true ? 'fix' : a.title.startsWith('Fix all') ? 'fixAll' : a.title.startsWith('Disable') ? 'disable' : a.title.startsWith('Show') ? 'docs' : a.title,
    );
    assert.deepEqual(kinds, ['fix', 'fixAll', 'disable', 'disable', 'disable', 'docs']);
    assert.ok(actions.every((a) => a.kind === 'quickfix'));
  });
});

/** Object-level suppression across metadata shapes: expected text after the edit, or no action. */
const OBJECT_CASES: readonly { name: string; from: string; to: string; expect: string | undefined }[] = [
  { name: 'flow metadata', from: 'metadata:\n  name: web\nspec:', to: 'metadata: {name: web}\nspec:', expect: 'metadata: {name: web, annotations: {ignore-check.kube-graceful.io/prestop-hook-missing: ' },
  // In a block file an empty `{}` becomes a block map.
  { name: 'empty flow annotations', from: 'metadata:\n  name: web\nspec:', to: 'metadata:\n  name: web\n  annotations: {}\nspec:', expect: '  annotations:\n    ignore-check.kube-graceful.io/prestop-hook-missing: ' },
  { name: 'null annotations', from: 'metadata:\n  name: web\nspec:', to: 'metadata:\n  name: web\n  annotations:\nspec:', expect: '  annotations:\n    ignore-check.kube-graceful.io/prestop-hook-missing: ' },
  {
    name: 'existing annotations with a comment',
    from: 'metadata:\n  name: web\nspec:',
    to: 'metadata:\n  name: web\n  annotations:\n    a.b/c: "x" # keep\nspec:',
    expect: '    a.b/c: "x" # keep\n    ignore-check.kube-graceful.io/prestop-hook-missing: ',
  },
  { name: 'no metadata', from: 'metadata:\n  name: web\nspec:', to: 'spec:', expect: 'kind: Deployment\nmetadata:\n  annotations:\n    ignore-check.kube-graceful.io/prestop-hook-missing: ' },
  { name: 'metadata through an alias', from: '# A web Deployment behind a Service.\n', to: 'x: &m\n  name: web\n', expect: undefined },
];

test('disable for this object across metadata shapes (never through an alias)', { timeout: 30_000 }, async () => {
  await withServer({}, async (client) => {
    let n = 0;
    for (const c of OBJECT_CASES) {
      let text = WEB.replace(c.from, c.to);
      if (c.expect === undefined) text = text.replace('metadata:\n  name: web\nspec:', 'metadata: *m\nspec:');
      const uri = `untitled:object-${n++}.yaml`;
      await client.open(uri, text);
      const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1, c.name);
      const actions = await actionsFor(client, uri, of(all, RULE));
      const object = actions.find((a) => /for this object$/.test(a.title));
      if (c.expect === undefined) {
        assert.equal(object, undefined, `${c.name}: no action`);
        continue;
      }
      assert.ok(object?.edit, `${c.name}: an action`);
      const after = await client.applyEdit(uri, object.edit);
      assert.ok(after.includes(c.expect), `${c.name}:\n${after}`);
      assert.ok(onlyRemoved(all, await client.waitForCurrent(uri), RULE, 1), `${c.name}: silenced`);
    }
  });
});

test('refactor.rewrite: set up graceful shutdown on the kind; convert an exec sleep to the native action', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    const all = await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1);
    const kindAt = positionAt(WEB, WEB.indexOf('kind: Deployment') + 8);
    const refactors = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: kindAt, end: kindAt },
      context: { diagnostics: [], only: ['refactor'] },
    });
    assert.ok(refactors.every((a) => a.kind === 'refactor.rewrite'));
    const setup = titled(refactors, /graceful shutdown/i);
    assert.ok(setup.edit);
    await client.applyEdit(uri, setup.edit);
    assert.ok(onlyRemoved(all, await client.waitForCurrent(uri), RULE, 1), 'the workload is set up: the finding is gone');

    const exec = WEB.replace('          ports:', '          lifecycle:\n            preStop:\n              exec:\n                command: ["sleep", "10"]\n          ports:');
    const uri2 = 'untitled:exec.yaml';
    await client.open(uri2, exec);
    await client.waitForCurrent(uri2);
    const hookAt = positionAt(exec, exec.indexOf('preStop') + 2);
    const conversions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri2 },
      range: { start: hookAt, end: hookAt },
      context: { diagnostics: [] },
    });
    const convert = titled(conversions, /native sleep/i);
    assert.ok(convert.edit);
    const after = await client.applyEdit(uri2, convert.edit);
    assert.match(after, /sleep:\n\s+seconds: 10/);
  });
});

const SHARED = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: &c
            - name: app
              image: example/app:1
              ports: [{containerPort: 8080}]
  - apiVersion: batch/v1
    kind: Job
    metadata: {name: once}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: *c
`;

test('a fix that would edit through a shared anchor is shown disabled, with the reason, to clients that support it', { timeout: 20_000 }, async () => {
  const capabilities = { ...EDITOR_CAPABILITIES, textDocument: { ...EDITOR_CAPABILITIES.textDocument, codeAction: { ...EDITOR_CAPABILITIES.textDocument?.codeAction, disabledSupport: true } } };
  await withServer({ capabilities }, async (client) => {
    const uri = 'untitled:shared.yaml';
    await client.open(uri, SHARED);
    const ds = of(await client.waitForCurrent(uri, (d) => of(d, RULE).length === 1), RULE);
    const actions = await actionsFor(client, uri, ds);
    const disabled = actions.find((a) => a.title === `Fix ${RULE}`);
    assert.ok(disabled?.disabled, actions.map((a) => a.title).join(' | '));
    assert.match(disabled.disabled.reason, /Not offered: .*(alias|shared|more than)/);
    assert.equal(disabled.edit, undefined);
    assert.ok(!actions.some((a) => a.isPreferred === true), 'no preferred fix');
  });
});
