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
import { KUSTOMIZE_BASE, WEB } from './helpers';

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

/** Answers a request the server sends to the client (undefined: not served, answered with an error). */
type Serve = (method: string, params: unknown) => unknown;

/** Runs the worker script with a worker's globals only; returns a way to post to it and its replies. */
function startWorker(serve?: Serve): { post: (m: Message) => void; next: (test: (m: Message) => boolean, ms?: number, older?: (m: Message) => boolean) => Promise<Message> } {
  const inbox: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  const answer = (m: Message): void => {
    const result = serve?.(m.method ?? '', m.params);
    // Answered on a later turn, as a client across a worker boundary does.
    setTimeout(() => post(result === undefined ? { id: m.id, error: { code: -32601, message: `not served: ${m.method}` } } : { id: m.id, result }), 0);
  };
  const scope: Record<string, unknown> = {
    console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, TextEncoder, TextDecoder,
    addEventListener: () => undefined,
    postMessage: (m: Message) => {
      if (serve && m.method !== undefined && m.id !== undefined) return answer(m);
      const w = waiters.findIndex((x) => x.test(m));
      if (w === -1) inbox.push(m);
      else waiters.splice(w, 1)[0]?.resolve(m);
    },
  };
  vm.runInNewContext(serverText, scope, { filename: 'dist/web/server.js' });
  const onmessage = scope['onmessage'];
  assert.equal(typeof onmessage, 'function', 'the server listens to worker messages');
  const post = (m: object): void => (onmessage as (e: { data: Message }) => void)({ data: { jsonrpc: '2.0', ...m } as Message });
  return {
    post,
    /** The first message `match` accepts; `older` ones received before it are dropped (superseded). */
    next: (match, ms = 15_000, older = () => false) => {
      const i = inbox.findIndex(match);
      if (i !== -1) {
        const found = inbox[i] as Message;
        const kept = inbox.filter((m, j) => j > i || (j < i && !older(m)));
        inbox.splice(0, inbox.length, ...kept);
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          test: match,
          resolve: (m: Message) => {
            clearTimeout(timer);
            inbox.splice(0, inbox.length, ...inbox.filter((x) => !older(x)));
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('no such message from the worker'));
        }, ms);
        waiters.push(waiter);
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

const FOLDER = 'vscode-vfs://github/example/shop';
const RULE = 'prestop-hook-missing';

/** A one-folder glob (`**` + `/`, `*`, `{a,b}`) as the client's findFiles reads it. */
function globRegExp(glob: string): RegExp {
  const esc = (t: string): string => t.replace(/[.+^$()|[\]\\?]/g, '\\$&');
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += `(?:${glob.slice(i + 1, end).split(',').map(esc).join('|')})`;
      i = end;
    } else re += esc(c);
  }
  return new RegExp(`^${re}$`);
}

/** The editor's file system under FOLDER as the web client serves it (client/src/files.ts), by path relative to FOLDER. */
class FakeFiles {
  private readonly files = new Map<string, { text: string; mtime: number }>();
  private clock = 1;
  readonly requests: string[] = [];

  constructor(files: Record<string, string>) {
    for (const [rel, text] of Object.entries(files)) this.write(rel, text);
  }

  write(rel: string, text: string): void {
    this.files.set(rel, { text, mtime: this.clock++ });
  }

  delete(rel: string): void {
    this.files.delete(rel);
  }

  readonly serve: Serve = (method, params) => {
    const p = (params ?? {}) as Record<string, unknown>;
    this.requests.push(method);
    const rel = typeof p['uri'] === 'string' ? this.relOf(p['uri']) : undefined;
    if (method === 'kubeGraceful/listFiles') {
      const base = String(p['base']).replace(/\/$/, '');
      const re = globRegExp(String(p['pattern']));
      return [...this.files.keys()].map(uri).filter((u) => u.startsWith(`${base}/`) && re.test(u.slice(base.length + 1)));
    }
    if (method === 'kubeGraceful/readFile') {
      const file = rel === undefined ? undefined : this.files.get(rel);
      return file && file.text.length <= Number(p['maxBytes']) ? file.text : null;
    }
    if (method === 'kubeGraceful/stat') {
      const file = rel === undefined ? undefined : this.files.get(rel);
      if (file) return { type: 'file', size: file.text.length, mtime: file.mtime };
      const dir = rel !== undefined && (rel === '' || [...this.files.keys()].some((k) => k.startsWith(`${rel}/`)));
      return dir ? { type: 'directory', size: 0, mtime: 0 } : null;
    }
    return undefined;
  };

  private relOf(u: string): string | undefined {
    if (u === FOLDER) return '';
    return u.startsWith(`${FOLDER}/`) ? u.slice(FOLDER.length + 1) : undefined;
  }
}

const uri = (rel: string): string => `${FOLDER}/${rel}`;

interface Published {
  readonly uri: string;
  readonly diagnostics: (Diag & { severity?: number; message?: string; relatedInformation?: { location: { uri: string } }[] })[];
}

/** A worker serving `files`, initialized as the web client does (`clientFiles`), with one workspace folder. */
async function startWithFiles(files: FakeFiles): Promise<{ worker: ReturnType<typeof startWorker>; published: (target: string, test: (p: Published) => boolean) => Promise<Published> }> {
  const worker = startWorker(files.serve);
  worker.post({ id: 1, method: 'initialize', params: { processId: null, rootUri: FOLDER, workspaceFolders: [{ uri: FOLDER, name: 'shop' }], capabilities: {}, initializationOptions: { clientFiles: true } } });
  assert.ok((await worker.next((m) => m.id === 1)).result, 'initialize answered');
  worker.post({ method: 'initialized', params: {} });
  // Publications of `target` before the one awaited are superseded: the next wait starts after it.
  const published = async (target: string, test: (p: Published) => boolean): Promise<Published> => {
    const isFor = (x: Message): boolean => x.method === 'textDocument/publishDiagnostics' && (x.params as Published).uri === target;
    const m = await worker.next((x) => isFor(x) && test(x.params as Published), undefined, isFor);
    return m.params as Published;
  };
  return { worker, published };
}

const API_DEPLOY = `apiVersion: apps/v1
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

const API_SERVICE = `apiVersion: v1
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

test('in a web worker, a Service and a .kube-graceful.yaml in closed files are read through the client; file events judge again', { timeout: 30_000 }, async () => {
  const files = new FakeFiles({ 'deploy/api.yaml': API_DEPLOY, 'services/api.yaml': API_SERVICE, '.kube-graceful.yaml': `rules:\n  ${RULE}: error\n` });
  const { worker, published } = await startWithFiles(files);
  const target = uri('deploy/api.yaml');
  worker.post({ method: 'textDocument/didOpen', params: { textDocument: { uri: target, languageId: 'yaml', version: 1, text: API_DEPLOY } } });

  // The Service of the closed file makes the Deployment serve; the configuration file makes it an error.
  const first = await published(target, (p) => p.diagnostics.some((d) => d.code === RULE && d.severity === 1));
  const finding = first.diagnostics.find((d) => d.code === RULE);
  assert.deepEqual(Array.from(finding?.relatedInformation ?? [], (r) => r.location.uri), [uri('services/api.yaml')]);
  assert.ok(files.requests.includes('kubeGraceful/listFiles') && files.requests.includes('kubeGraceful/readFile'), files.requests.join(' '));

  // The configuration file changes: the setting follows.
  files.write('.kube-graceful.yaml', `rules:\n  ${RULE}: info\n`);
  worker.post({ method: 'workspace/didChangeWatchedFiles', params: { changes: [{ uri: uri('.kube-graceful.yaml'), type: 2 }] } });
  await published(target, (p) => p.diagnostics.some((d) => d.code === RULE && d.severity === 3));

  // The Service is deleted: nothing serves any more.
  files.delete('services/api.yaml');
  worker.post({ method: 'workspace/didChangeWatchedFiles', params: { changes: [{ uri: uri('services/api.yaml'), type: 3 }] } });
  await published(target, (p) => !p.diagnostics.some((d) => d.code === RULE));
});

const CHART_TEMPLATE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      targetPort: 8080
  selector:
    app: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:1.0
          ports:
            - containerPort: 8080
          lifecycle:
            {{- toYaml .Values.lifecycle | nindent 12 }}
`;

test("in a web worker, a Helm template is judged with its chart's values.yaml read through the client, and again when it changes", { timeout: 30_000 }, async () => {
  const files = new FakeFiles({ 'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'chart/values.yaml': 'lifecycle: {}\n', 'chart/templates/deployment.yaml': CHART_TEMPLATE });
  const { worker, published } = await startWithFiles(files);
  const target = uri('chart/templates/deployment.yaml');
  worker.post({ method: 'textDocument/didOpen', params: { textDocument: { uri: target, languageId: 'helm', version: 1, text: CHART_TEMPLATE } } });

  // Without its values the hook is unknown; with them it is known to be missing.
  const p = await published(target, (x) => x.diagnostics.some((d) => d.code === RULE));
  const related = Array.from(p.diagnostics.find((d) => d.code === RULE)?.relatedInformation ?? [], (r) => r.location.uri);
  assert.ok(related.includes(uri('chart/values.yaml')), `related: ${related.join(' ')}`);

  files.write('chart/values.yaml', 'lifecycle:\n  preStop:\n    sleep:\n      seconds: 10\n');
  worker.post({ method: 'workspace/didChangeWatchedFiles', params: { changes: [{ uri: uri('chart/values.yaml'), type: 2 }] } });
  await published(target, (x) => !x.diagnostics.some((d) => d.code === RULE));
});

const KUSTOMIZE_HOOK = `apiVersion: apps/v1
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

test('in a web worker, an open base is judged through the overlays read through the client, and again when their patch changes', { timeout: 30_000 }, async () => {
  const files = new FakeFiles({
    'base/web.yaml': KUSTOMIZE_BASE,
    'base/kustomization.yaml': 'resources:\n- web.yaml\n',
    'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n- ../../base\npatches:\n- path: hook.yaml\n',
    'overlays/prod/hook.yaml': KUSTOMIZE_HOOK,
  });
  const { worker, published } = await startWithFiles(files);
  const target = uri('base/web.yaml');
  worker.post({ method: 'textDocument/didOpen', params: { textDocument: { uri: target, languageId: 'yaml', version: 1, text: KUSTOMIZE_BASE } } });
  // Read alone the base has no hook; the overlay that builds it adds one (only the complete build does).
  await published(target, (x) => !x.diagnostics.some((d) => d.code === RULE));

  files.write('overlays/prod/hook.yaml', KUSTOMIZE_HOOK.replace(/\n {8}lifecycle:[\s\S]*$/, '\n        image: example/web:2\n'));
  worker.post({ method: 'workspace/didChangeWatchedFiles', params: { changes: [{ uri: uri('overlays/prod/hook.yaml'), type: 2 }] } });
  const p = await published(target, (x) => x.diagnostics.some((d) => d.code === RULE));
  assert.match(String(p.diagnostics.find((d) => d.code === RULE)?.message), /\(as built by overlays\/prod\)$/);
});
