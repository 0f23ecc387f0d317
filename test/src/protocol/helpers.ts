/**
 * A minimal LSP client for protocol tests: spawns `node server/out/lsp/main.js --stdio`,
 * answers the server's requests (workspace/configuration from a settable function), records
 * notifications, and offers waits with timeouts. Each test starts its own server and kills it
 * at the end; no state is shared between tests.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ConfigurationItem,
  type Diagnostic,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

export const SERVER_MAIN = path.resolve(__dirname, '../../../server/out/lsp/main.js');

/** Default per-wait timeout; each test also has its own. */
export const WAIT_MS = 10_000;

/** What a usual editor announces (push diagnostics, configuration, versioned edits, resolve). */
export const EDITOR_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
  window: { showDocument: { support: true } },
};

export interface StartOptions {
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
  /** Workspace folder paths. */
  readonly folders?: readonly string[];
  /** Answers one workspace/configuration item; default: nothing configured. */
  readonly configuration?: (item: ConfigurationItem) => unknown;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `predicate` every 20 ms until it holds. */
export async function waitUntil(predicate: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms: ${what}`);
    await delay(20);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Waiter {
  readonly uri: string;
  readonly predicate: (p: PublishDiagnosticsParams) => boolean;
  readonly resolve: (p: PublishDiagnosticsParams) => void;
}

export class TestClient {
  /** Every publishDiagnostics, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly shownDocuments: { uri: string; external?: boolean | undefined }[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  readonly configurationRequests: ConfigurationItem[] = [];
  /** workspace/diagnostic/refresh requests received. */
  refreshes = 0;
  configuration: (item: ConfigurationItem) => unknown;
  stderr = '';
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private exited = false;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly conn: ProtocolConnection,
    configuration: (item: ConfigurationItem) => unknown,
  ) {
    this.configuration = configuration;
  }

  static async start(opts: StartOptions = {}): Promise<{ client: TestClient; init: InitializeResult }> {
    const proc = spawn(process.execPath, [SERVER_MAIN, '--stdio'], { stdio: 'pipe' });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const client = new TestClient(proc, conn, opts.configuration ?? (() => null));
    proc.stderr.on('data', (d: Buffer) => {
      client.stderr += d.toString();
    });
    proc.on('exit', () => {
      client.exited = true;
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.published.push(p);
      for (const w of [...client.waiters]) {
        if (w.uri === p.uri && w.predicate(p)) {
          client.waiters.splice(client.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      client.messages.push(p);
    });
    conn.onRequest('workspace/configuration', (p: { items: ConfigurationItem[] }) =>
      p.items.map((item) => {
        client.configurationRequests.push(item);
        return client.configuration(item) ?? null;
      }),
    );
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('client/unregisterCapability', () => null);
    conn.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshes++;
      return null;
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('window/showDocument', (p: { uri: string; external?: boolean }) => {
      client.shownDocuments.push(p);
      return { success: true };
    });
    conn.onRequest('window/showMessageRequest', () => null);
    conn.listen();
    const folders = (opts.folders ?? []).map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) }));
    const init = await withTimeout(
      conn.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: folders[0]?.uri ?? null,
        workspaceFolders: folders.length > 0 ? folders : null,
        capabilities: opts.capabilities ?? EDITOR_CAPABILITIES,
        initializationOptions: opts.initializationOptions,
      }),
      WAIT_MS,
      'initialize',
    );
    await conn.sendNotification('initialized', {});
    return { client, init };
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a change without range), as a new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Applies a workspace edit to the open document's text and sends it as incremental changes. */
  async applyEdit(uri: string, edit: WorkspaceEdit): Promise<string> {
    const edits = editsFor(edit, uri);
    const text = applyTextEdits(this.text(uri), edits);
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    // Sent back to front, so the ranges stay valid as each applies.
    const sorted = [...edits].sort((a, b) => compare(b.range.start, a.range.start));
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
    });
    return text;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The first publication for `uri` (already received or coming) that satisfies `predicate`. */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, what = 'diagnostics', ms = WAIT_MS): Promise<PublishDiagnosticsParams> {
    const already = [...this.published].reverse().find((p) => p.uri === uri);
    if (already && predicate(already)) return Promise.resolve(already);
    return withTimeout(
      new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.push({ uri, predicate, resolve })),
      ms,
      `${what} for ${uri}; last published: ${JSON.stringify(already?.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`) ?? null)}`,
    );
  }

  /** Diagnostics published for the current version of the document. */
  waitForCurrent(uri: string, predicate: (d: Diagnostic[]) => boolean = () => true, what = 'current diagnostics'): Promise<Diagnostic[]> {
    const v = this.version(uri);
    return this.waitForDiagnostics(uri, (p) => p.version === v && predicate(p.diagnostics), what).then((p) => p.diagnostics);
  }

  request<R>(method: string, params: unknown, ms = WAIT_MS): Promise<R> {
    return withTimeout(this.conn.sendRequest<R>(method, params), ms, method);
  }

  async stop(): Promise<void> {
    try {
      if (!this.exited) {
        await withTimeout(this.conn.sendRequest('shutdown'), 2000, 'shutdown');
        await this.conn.sendNotification('exit');
      }
    } catch {
      // Killed below anyway.
    } finally {
      this.conn.dispose();
      if (!this.exited) this.proc.kill();
    }
  }

  get alive(): boolean {
    return !this.exited;
  }
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let at = 0;
  while (line < p.line) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return text.length;
    at = nl + 1;
    line++;
  }
  const nl = text.indexOf('\n', at);
  const end = nl === -1 ? text.length : nl;
  return Math.min(at + p.character, end);
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => compare(b.range.start, a.range.start));
  let out = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    const s = offsetAt(out, e.range.start);
    const en = offsetAt(out, e.range.end);
    if (en > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, s) + e.newText + out.slice(en);
    lastStart = s;
  }
  return out;
}

/** The edits of a workspace edit for one document (`changes` or `documentChanges`). */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const out: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc && dc.textDocument.uri === uri) {
      for (const e of dc.edits) if ('newText' in e) out.push({ range: e.range, newText: e.newText });
    }
  }
  return out;
}

export function rangeText(text: string, r: Range): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}

/** A fresh temporary folder for a test's workspace, removed by the returned function. */
export function tempWorkspace(files: Record<string, string>): { dir: string; uri: (rel: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-lsp-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return {
    dir,
    uri: (rel) => pathToFileURL(path.join(dir, rel)).href,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `body` with a started client and always stops the server. */
export async function withServer(opts: StartOptions, body: (client: TestClient, init: InitializeResult) => Promise<void>): Promise<void> {
  const { client, init } = await TestClient.start(opts);
  try {
    await body(client, init);
  } catch (e) {
    if (client.stderr.length > 0) process.stderr.write(`server stderr:\n${client.stderr}\n`);
    throw e;
  } finally {
    await client.stop();
  }
}

export const ids = (ds: readonly Diagnostic[]): string[] => ds.map((d) => String(d.code ?? ''));

/** The diagnostics of one rule: tests assert on the rule they are about, whatever rules the core adds. */
export const of = (ds: readonly Diagnostic[], rule: string): Diagnostic[] => ds.filter((d) => d.code === rule);

/** `after` has exactly the findings of `before` less `removed` of `rule`: nothing new appeared. */
export function onlyRemoved(before: readonly Diagnostic[], after: readonly Diagnostic[], rule: string, removed: number): boolean {
  const left = ids(before).sort();
  for (let i = 0; i < removed; i++) {
    const at = left.indexOf(rule);
    if (at === -1) return false;
    left.splice(at, 1);
  }
  return JSON.stringify(ids(after).sort()) === JSON.stringify(left);
}

/** A diagnostic's message as text (LSP 3.18 allows Markdown content). */
export const messageOf = (d: Diagnostic | undefined): string => (d === undefined ? '' : typeof d.message === 'string' ? d.message : d.message.value);

/** A Deployment behind a Service, no preStop: one prestop-hook-missing finding. */
export const WEB = `# A web Deployment behind a Service.
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
          image: ghcr.io/example/web:1.0.0
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`;

/** Two serving containers without preStop in one pod: two prestop-hook-missing findings. */
export const TWO_CONTAINERS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: api
          image: ghcr.io/example/api:1.0.0
          ports:
            - containerPort: 8080
        - name: admin
          image: ghcr.io/example/admin:1.0.0
          ports:
            - containerPort: 9000
`;

/** A kustomize base: a web Deployment without a preStop hook and the Service in front of it. */
export const KUSTOMIZE_BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`;
