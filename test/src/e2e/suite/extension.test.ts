// Editor end-to-end tests, run inside a real VS Code extension host against the fixture
// workspace (a fresh copy of test/e2e/fixtures/workspace; the tests edit and save files).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { assert, test, waitFor } from './harness';

const EXTENSION_ID = 'kube-graceful.kube-graceful';
const SOURCE = 'kube-graceful';
const RULE = 'prestop-hook-missing';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('kube-graceful');
/** A `preStop:` key on a line of its own (the fixtures mention no hook elsewhere). */
const PRESTOP_KEY = /^\s+preStop:/m;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) throw new Error('the tests need the fixture folder open as the workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Diagnostic codes are a string, or `{ value, target }` when the server sends a docs link. */
function ruleOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return String(code.value);
}

function ours(uri: vscode.Uri, rule: string = RULE): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && ruleOf(d) === rule);
}

function waitForDiagnostic(uri: vscode.Uri, rule: string = RULE): Promise<vscode.Diagnostic> {
  return waitFor(`a ${rule} diagnostic on ${uri.path}`, () => ours(uri, rule)[0]);
}

function waitForNoDiagnostic(uri: vscode.Uri, rule: string = RULE): Promise<true> {
  return waitFor(`the ${rule} diagnostic on ${uri.path} to go away`, () => (ours(uri, rule).length === 0 ? true : undefined));
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  assert(doc.languageId === 'yaml', `${name} opens as yaml (got ${doc.languageId})`);
  return doc;
}

async function applyAndSave(action: vscode.CodeAction, doc: vscode.TextDocument): Promise<void> {
  assert(action.edit !== undefined, `code action "${action.title}" carries a workspace edit`);
  const applied = await vscode.workspace.applyEdit(action.edit);
  assert(applied, `workspace.applyEdit accepted "${action.title}"`);
  const saved = await doc.save();
  assert(saved, `${doc.uri.path} saved`);
}

test('the extension is installed and activates on a YAML file', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert(extension !== undefined, `extension ${EXTENSION_ID} is loaded`);
  await open('web.yaml');
  await waitFor('the extension to activate', () => (extension.isActive ? true : undefined));
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['kube-graceful.restartServer', 'kube-graceful.showOutput', 'kube-graceful.showTimeline']) {
    assert(commands.includes(id), `command ${id} is registered`);
  }
});

/**
 * The code actions VS Code gets for a range. The workbench may cancel a request of its own
 * accord (for example when diagnostics arrive meanwhile); that is asked again, up to three times.
 */
async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof Error) || e.name !== 'Canceled') throw e;
    }
  }
}

test('a Deployment behind a Service without preStop gets a prestop-hook-missing diagnostic', async () => {
  const doc = await open('web.yaml');
  const diagnostic = await waitForDiagnostic(doc.uri);
  const line = doc.lineAt(diagnostic.range.start.line).text;
  assert(diagnostic.range.start.line >= 2, `the diagnostic points into the manifest, not at the header comment (line ${diagnostic.range.start.line}: ${line})`);
});

test('the preferred quick fix inserts a preStop hook and clears the diagnostic', async () => {
  const doc = await open('web.yaml');
  const diagnostic = await waitForDiagnostic(doc.uri);
  const actions = await codeActionsAt(doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  // vscode.executeCodeActionProvider does not hand back `diagnostics` on the actions; when
  // present they must name our rule.
  const fix = actions.find(
    (a) =>
      a.isPreferred === true &&
      (a.diagnostics === undefined || a.diagnostics.some((d) => d.source === SOURCE && ruleOf(d) === RULE)),
  );
  assert(fix !== undefined, `a preferred quick fix for ${RULE} is offered (got: ${actions.map((a) => a.title).join(' | ')})`);
  assert(fix.kind !== undefined && vscode.CodeActionKind.QuickFix.contains(fix.kind), 'the fix has kind quickfix');
  await applyAndSave(fix, doc);
  const onDisk = fs.readFileSync(doc.uri.fsPath, 'utf8');
  assert(PRESTOP_KEY.test(onDisk), `the saved file has a preStop key:\n${onDisk}`);
  assert(onDisk.includes('# A web Deployment behind a Service'), 'the comments survive the fix');
  await waitForNoDiagnostic(doc.uri);
});

test('source.fixAll.kube-graceful fixes the file', async () => {
  const doc = await open('api.yaml');
  await waitForDiagnostic(doc.uri);
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  const actions = await codeActionsAt(doc.uri, whole, FIX_ALL_KIND.value);
  const fixAll = actions.find((a) => a.kind !== undefined && FIX_ALL_KIND.contains(a.kind));
  assert(fixAll !== undefined, `a ${FIX_ALL_KIND.value} action is offered (got: ${actions.map((a) => a.title).join(' | ')})`);
  await applyAndSave(fixAll, doc);
  const onDisk = fs.readFileSync(doc.uri.fsPath, 'utf8');
  assert(PRESTOP_KEY.test(onDisk), `the saved file has a preStop key:\n${onDisk}`);
  await waitForNoDiagnostic(doc.uri);
});

test('setting kubeGraceful.rules turns the rule off and back on', async () => {
  const doc = await open('shop.yaml');
  await waitForDiagnostic(doc.uri);
  const config = vscode.workspace.getConfiguration('kubeGraceful', doc.uri);
  await config.update('rules', { [RULE]: 'off' }, vscode.ConfigurationTarget.Workspace);
  try {
    await waitForNoDiagnostic(doc.uri);
  } finally {
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  }
  await waitForDiagnostic(doc.uri);
});

/** Pids of the language server processes started by this extension host (Linux /proc only). */
function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in /proc/<pid>/stat may contain spaces; the fields after ")" are fixed.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/(dist\/server\.js|server\/out\/lsp\/main\.js)/.test(cmdline)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

if (process.platform === 'linux') {
  test('a crashed server is restarted and diagnostics come back', async () => {
    const doc = await open('shop.yaml');
    await waitForDiagnostic(doc.uri);
    const before = await waitFor('the language server process', () => serverPids()[0]);
    process.kill(before, 'SIGKILL');
    const after = await waitFor('a new language server process', () => serverPids().find((pid) => pid !== before));
    assert(after !== before, 'a new server process runs');
    await waitForDiagnostic(doc.uri);
  });
}

test('kube-graceful.showTimeline opens the picture of the workload under the cursor beside the editor', async () => {
  const doc = await open('checkout.yaml');
  await waitForDiagnostic(doc.uri, 'app-shutdown-exceeds-grace');
  const editor = vscode.window.activeTextEditor;
  assert(editor !== undefined && editor.document === doc, 'checkout.yaml is the active editor');
  const line = doc.getText().split('\n').findIndex((l) => l.includes('--graceful-timeout'));
  editor.selection = new vscode.Selection(line, 12, line, 12);
  await vscode.commands.executeCommand('kube-graceful.showTimeline');
  const tab = await waitFor('a timeline webview tab', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('kubeGraceful.timeline')),
  );
  assert(tab.label === 'Deployment checkout: termination timeline, grace period 40 s', `the tab is titled by the workload (got "${tab.label}")`);
  await vscode.window.tabGroups.close(tab);
});

test('kube-graceful.restartServer restarts the server and diagnostics come back', async () => {
  const doc = await open('shop.yaml');
  await waitForDiagnostic(doc.uri);
  const before = process.platform === 'linux' ? serverPids() : [];
  await vscode.commands.executeCommand('kube-graceful.restartServer');
  if (process.platform === 'linux') {
    await waitFor('a new language server process', () => serverPids().find((pid) => !before.includes(pid)));
  }
  // A fresh server republishes diagnostics for the open documents.
  await waitForDiagnostic(doc.uri);
  await vscode.commands.executeCommand('kube-graceful.showOutput');
});
