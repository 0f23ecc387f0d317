/**
 * The language server as VS Code for the Web runs it: the web worker bundle (dist/web/server.js)
 * built for the browser, checked to need no Node module, then run in a bare script context that
 * has only what a web worker has, and driven over worker messages.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
import { WEB } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const URI = 'vscode-vfs://github/example/shop/web.yaml';

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
}

/** Builds the web bundles into a temporary folder and returns the folder holding them. */
function buildWebBundles(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-web-'));
  execFileSync(process.execPath, [path.join(ROOT, 'test/tools/bundle.js'), '--web', '--outdir', dir], { cwd: ROOT, stdio: 'pipe' });
  return path.join(dir, 'dist', 'web');
}

const bundles = buildWebBundles();
const serverText = fs.readFileSync(path.join(bundles, 'server.js'), 'utf8');
const clientText = fs.readFileSync(path.join(bundles, 'extension.js'), 'utf8');

/** Every module a bundle (one script: an IIFE or CommonJS) still loads at run time. */
function requiredModules(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b(?:require|import|importScripts)\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) found.add(m[1] ?? '');
  return [...found].sort();
}

test('the web worker server bundle loads no module: no fs, path or node: import', () => {
  assert.deepEqual(requiredModules(serverText), []);
  assert.doesNotMatch(serverText, /require\(\s*["'](node:)?(fs|path|url|util|os|child_process)["']\s*\)/);
  assert.doesNotMatch(serverText, /["']node:[a-z_/]+["']/);
});

test('the web client bundle loads only the vscode API', () => {
  assert.deepEqual(requiredModules(clientText), ['vscode']);
  assert.doesNotMatch(clientText, /["']node:[a-z_/]+["']/);
});

/** Runs the worker script with a worker's globals only; returns a way to post to it and its replies. */
function startWorker(): { post: (m: Message) => void; next: (test: (m: Message) => boolean, ms?: number) => Promise<Message> } {
  const inbox: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  const scope: Record<string, unknown> = {
    console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, TextEncoder, TextDecoder,
    addEventListener: () => undefined,
    postMessage: (m: Message) => {
      const w = waiters.findIndex((x) => x.test(m));
      if (w === -1) inbox.push(m);
      else waiters.splice(w, 1)[0]?.resolve(m);
    },
  };
  vm.runInNewContext(serverText, scope, { filename: 'dist/web/server.js' });
  const onmessage = scope['onmessage'];
  assert.equal(typeof onmessage, 'function', 'the server listens to worker messages');
  return {
    post: (m) => (onmessage as (e: { data: Message }) => void)({ data: { jsonrpc: '2.0', ...m } as Message }),
    next: (match, ms = 15_000) => {
      const i = inbox.findIndex(match);
      if (i !== -1) return Promise.resolve(inbox.splice(i, 1)[0] as Message);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such message from the worker')), ms);
        waiters.push({ test: match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

interface Diag {
  readonly code?: unknown;
  readonly range: { readonly start: { readonly line: number } };
}

test('in a web worker the server reports a missing preStop hook and fixes it', { timeout: 30_000 }, async () => {
  const worker = startWorker();
  worker.post({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } } } } });
  const init = await worker.next((m) => m.id === 1);
  assert.ok(init.result, 'initialize answered');
  worker.post({ method: 'initialized', params: {} });
  worker.post({ method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: WEB } } });
  const published = await worker.next((m) => m.method === 'textDocument/publishDiagnostics' && ((m.params as { diagnostics: unknown[] }).diagnostics.length > 0));
  const diags = (published.params as { diagnostics: Diag[] }).diagnostics;
  assert.deepEqual(Array.from(diags, (d) => d.code), ['prestop-hook-missing']);

  const range = (diags[0] as Diag).range;
  worker.post({ id: 2, method: 'textDocument/codeAction', params: { textDocument: { uri: URI }, range, context: { diagnostics: diags, only: ['quickfix'] } } });
  const actions = (await worker.next((m) => m.id === 2)).result as { title: string; isPreferred?: boolean; edit?: { changes?: Record<string, { newText: string }[]> } }[];
  const fix = actions.find((a) => a.isPreferred === true);
  assert.ok(fix, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
  const texts = Object.values(fix.edit?.changes ?? {}).flat().map((e) => e.newText).join('\n');
  assert.match(texts, /preStop:/, 'the fix writes a preStop hook');
});
