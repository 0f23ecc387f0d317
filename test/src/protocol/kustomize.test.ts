/**
 * The editor on a kustomize layout: an open base is judged through the overlays in the
 * workspace that build it, and editing a patch judges the base again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { editsFor, KUSTOMIZE_BASE as DEPLOY, of, tempWorkspace, waitUntil, withServer } from './helpers';

const RULE = 'prestop-hook-missing';

const HOOK = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        lifecycle:
          preStop:
            sleep: {seconds: 10}
`;

test('an open base is judged through the overlays that build it; editing their patch judges it again', { timeout: 40_000 }, async () => {
  const ws = tempWorkspace({
    'base/web.yaml': DEPLOY,
    'base/kustomization.yaml': 'resources:\n- web.yaml\n',
    'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n- ../../base\npatches:\n- path: hook.yaml\n',
    'overlays/prod/hook.yaml': HOOK,
  });
  try {
    await withServer({ folders: [ws.dir] }, async (client) => {
      const base = ws.uri('base/web.yaml');
      await client.open(base, DEPLOY);
      await waitUntil(() => client.logs.some((l) => /indexed \d+ YAML file/.test(l)), 'the index run finishes');
      await client.waitForDiagnostics(base, (p) => of(p.diagnostics, RULE).length === 0, 'no finding: the overlay adds the hook');

      // The patch loses its hook in the editor (not saved): the base is reported, naming the overlay.
      const patch = ws.uri('overlays/prod/hook.yaml');
      await client.open(patch, HOOK);
      await client.change(patch, HOOK.replace(/\n {8}lifecycle:[\s\S]*$/, '\n        image: example/web:2\n'));
      const p = await client.waitForDiagnostics(base, (x) => of(x.diagnostics, RULE).length === 1, 'the finding on the base once the patch drops the hook');
      const d = of(p.diagnostics, RULE)[0];
      assert.equal(d?.range.start.line, 12);
      assert.match(typeof d?.message === 'string' ? d.message : '', /\(as built by overlays\/prod\)$/);
    });
  } finally {
    ws.cleanup();
  }
});

test('a grace period a JSON patch lowers is reported in the patch, with a quick fix that edits the patch', { timeout: 40_000 }, async () => {
  const withHook = DEPLOY.replace('        - containerPort: 8080\n', '        - containerPort: 8080\n        lifecycle:\n          preStop:\n            sleep: {seconds: 20}\n');
  assert.notEqual(withHook, DEPLOY);
  const GRACE = '- op: add\n  path: /spec/template/spec/terminationGracePeriodSeconds\n  value: 5\n';
  const ws = tempWorkspace({
    'base/web.yaml': withHook,
    'base/kustomization.yaml': 'resources:\n- web.yaml\n',
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- target: {kind: Deployment}\n  path: grace.yaml\n',
    'overlays/prod/grace.yaml': GRACE,
  });
  try {
    await withServer({ folders: [ws.dir] }, async (client) => {
      const uri = ws.uri('overlays/prod/grace.yaml');
      await client.open(uri, GRACE);
      await waitUntil(() => client.logs.some((l) => /indexed \d+ YAML file/.test(l)), 'the index run finishes');
      const p = await client.waitForDiagnostics(uri, (x) => of(x.diagnostics, 'grace-period-too-short').length === 1, 'the finding on the patch line');
      const d = of(p.diagnostics, 'grace-period-too-short')[0];
      assert.ok(d);
      assert.equal(d.range.start.line, 2);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fix = actions.find((a) => a.isPreferred === true && /\(in grace\.yaml\)$/.test(a.title));
      assert.ok(fix, actions.map((a) => a.title).join(' | '));
      const resolved = fix.edit ? fix : await client.request<CodeAction>('codeAction/resolve', fix);
      const edits = editsFor(resolved.edit ?? {}, uri);
      assert.equal(edits.length, 1);
      assert.equal(edits[0]?.range.start.line, 2);
      assert.match(edits[0]?.newText ?? '', /^\d+$/);
      assert.ok(Number(edits[0]?.newText) > 20);
    });
  } finally {
    ws.cleanup();
  }
});
