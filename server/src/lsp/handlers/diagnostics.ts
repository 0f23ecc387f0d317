/**
 * Diagnostics wiring. Push (textDocument/publishDiagnostics): runs are debounced per document,
 * and a run publishes only if no newer run was scheduled meanwhile and the document still has
 * the version it analysed, so stale results never overwrite newer ones. Pull
 * (textDocument/diagnostic), when the client offers it: the client asks, and is told to ask
 * again (workspace/diagnostic/refresh) when settings, config files or Services change.
 */
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { CONFIG_FILE_NAME, parseConfig } from '../../core';
import type { DiagnosticsSink, ServerContext } from '../context';
import { isConfigFile, type ConfigFile } from '../host';
import { analysisDiagnostics, configDiagnostics } from '../services/diagnostics';
import { guard, guardSync } from '../util/guard';

/** Delay after an edit before analysing. */
export const EDIT_DEBOUNCE_MS = 100;
/** Delay after a lone change before analysing. */
export const KEYSTROKE_DELAY_MS = 15;
/** Changes closer together than this count as one burst of typing. */
export const BURST_GAP_MS = 50;
/** Delay before re-analysing every open document after a shared input changed. */
export const SHARED_DEBOUNCE_MS = 200;

interface Computed {
  readonly version: number;
  readonly diagnostics: Diagnostic[];
}

export class Diagnostics implements DiagnosticsSink {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly runs = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly lastChange = new Map<string, number>();
  private readonly lastSent = new Map<string, string>();
  private seq = 0;
  private allTimer: ReturnType<typeof setTimeout> | undefined;
  private allExcept: Set<string> | undefined;
  private readonly warned = new Set<string>();
  private disposed = false;

  constructor(private readonly ctx: ServerContext) {}

  get pull(): boolean {
    return this.ctx.caps.pullDiagnostics;
  }

  register(): void {
    if (!this.pull) return;
    this.ctx.connection.languages.diagnostics.on(async (params, token) => {
      const report = await guard<DocumentDiagnosticReport>(this.ctx.log, 'textDocument/diagnostic', { kind: DocumentDiagnosticReportKind.Full, items: [] }, async () => {
        const r = await this.compute(params.textDocument.uri);
        return { kind: DocumentDiagnosticReportKind.Full, items: r?.diagnostics ?? [] };
      });
      // The client moved on (usually: the text changed); it asks again for the new version.
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      return report;
    });
  }

  documentChanged(uri: string): void {
    if (this.pull || this.disposed) return;
    const first = !this.seen.has(uri);
    this.seen.add(uri);
    // A lone keystroke is analysed almost at once (a short grace lets a burst that is already
    // arriving show itself); bursts (changes less than BURST_GAP_MS apart) wait for the typing
    // to pause, so that intermediate versions are not published.
    const now = Date.now();
    const last = this.lastChange.get(uri);
    this.lastChange.set(uri, now);
    const burst = last !== undefined && now - last < BURST_GAP_MS;
    this.schedule(uri, first ? 0 : burst ? EDIT_DEBOUNCE_MS : KEYSTROKE_DELAY_MS);
  }

  allChanged(except?: string): void {
    if (this.disposed) return;
    // A document is skipped only when every pending cause excluded it.
    this.allExcept =
      this.allExcept === undefined
        ? new Set(except !== undefined ? [this.ctx.host.uris.normalizeUri(except)] : [])
        : new Set([...this.allExcept].filter((u) => except !== undefined && u === this.ctx.host.uris.normalizeUri(except)));
    if (this.allTimer) clearTimeout(this.allTimer);
    this.allTimer = setTimeout(() => {
      this.allTimer = undefined;
      const skip = this.allExcept ?? new Set<string>();
      this.allExcept = undefined;
      guardSync(this.ctx.log, 'revalidation', () => {
        if (this.pull) {
          if (this.ctx.caps.diagnosticRefresh) void this.ctx.connection.languages.diagnostics.refresh().catch(() => undefined);
          return;
        }
        for (const doc of this.ctx.documents.all()) if (!skip.has(this.ctx.host.uris.normalizeUri(doc.uri))) this.schedule(doc.uri, 0);
      });
    }, SHARED_DEBOUNCE_MS);
  }

  closed(uri: string): void {
    this.seen.delete(uri);
    this.lastChange.delete(uri);
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.runs.delete(uri);
    this.lastSent.delete(uri);
    if (!this.pull) void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.allTimer) clearTimeout(this.allTimer);
  }

  private schedule(uri: string, delay: number): void {
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    const run = ++this.seq;
    this.runs.set(uri, run);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.publish(uri, run);
      }, delay),
    );
  }

  private async publish(uri: string, run: number): Promise<void> {
    await guard(this.ctx.log, `diagnostics for ${uri}`, undefined, async () => {
      const r = await this.compute(uri);
      if (!r || this.disposed) return;
      // Superseded by a newer run, or the text changed while the settings were fetched.
      if (this.runs.get(uri) !== run) return;
      const doc = this.ctx.documents.get(uri);
      if (!doc || doc.version !== r.version) return;
      // The client already shows exactly these for this version (e.g. a re-run after the index changed).
      const key = `${r.version}\u0000${JSON.stringify(r.diagnostics)}`;
      if (this.lastSent.get(uri) === key) return;
      this.lastSent.set(uri, key);
      await this.ctx.connection.sendDiagnostics({ uri, version: r.version, diagnostics: r.diagnostics });
    });
  }

  /** Diagnostics of the document's current text; undefined when it is not open. */
  async compute(uri: string): Promise<Computed | undefined> {
    const doc = this.ctx.documents.get(uri);
    if (!doc) return undefined;
    if (isConfigFile(this.ctx.host.uris.uriToPath(uri))) {
      const parsed = parseConfig(doc.getText(), CONFIG_FILE_NAME);
      return { version: doc.version, diagnostics: configDiagnostics(doc, parsed.problems) };
    }
    const da = await this.ctx.analyzer.analyze(doc);
    if (!da) return { version: doc.version, diagnostics: [] };
    this.warnAboutConfig(da.effective.configFile);
    const other = (fileUri: string, offset: number) => this.ctx.index.positionIn(fileUri, offset);
    return { version: da.version, diagnostics: analysisDiagnostics(da, other, this.ctx.log) };
  }

  /** Problems of a config file that is not open: one warning message per distinct content. */
  private warnAboutConfig(file: ConfigFile | undefined): void {
    if (!file || file.parsed.problems.length === 0) return;
    const { pathToUri, uriToPath } = this.ctx.host.uris;
    const uri = pathToUri(file.path);
    if (this.ctx.documents.all().some((d) => uriToPath(d.uri) === file.path)) return;
    const key = `${uri}\u0000${file.parsed.problems.map((p) => p.message).join('\u0000')}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const first = file.parsed.problems[0]?.message ?? '';
    const more = file.parsed.problems.length > 1 ? ` (and ${file.parsed.problems.length - 1} more)` : '';
    this.ctx.log.warn(`kube-graceful: ${file.path}: ${file.parsed.problems.map((p) => p.message).join('; ')}`);
    // A notification: nothing waits for the user to dismiss it.
    void this.ctx.connection
      .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `kube-graceful: ${first}${more} The setting is ignored; open ${file.path} to see where.` })
      .catch(() => undefined);
  }
}
