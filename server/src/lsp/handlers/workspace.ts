/**
 * Workspace wiring: settings changes, watched files (manifests and `.kube-graceful.yaml`),
 * workspace folders, and the background Service index over them.
 */
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver';
import type { Folder, ServerContext } from '../context';
import { isConfigFile, type IndexedFolder } from '../host';
import { SETTINGS_SCHEMA } from '../../core';
import { SETTINGS_SECTION } from '../services/settings';
import { excludeMatcher } from '../util/glob';
import { guard, guardSync } from '../util/guard';
import { configChanged } from './documents';

/** The workspace folders with their `files.exclude` settings, and a key that changes when they do. */
async function readExcludes(ctx: ServerContext): Promise<{ folders: IndexedFolder[]; key: string }> {
  const { connection } = ctx;
  const folders: IndexedFolder[] = [];
  const raw: unknown[] = [];
  for (const f of ctx.folders) {
    const p = ctx.host.uris.uriToPath(f.uri);
    if (p === undefined) continue;
    let exclude: unknown = undefined;
    if (ctx.caps.configuration) {
      try {
        const files: unknown = await connection.workspace.getConfiguration({ scopeUri: f.uri, section: 'files' });
        exclude = files !== null && typeof files === 'object' ? (files as Record<string, unknown>)['exclude'] : undefined;
      } catch {
        exclude = undefined;
      }
    }
    raw.push(exclude);
    folders.push({ uri: f.uri, path: p, exclude: excludeMatcher(exclude) });
  }
  return { folders, key: JSON.stringify([ctx.folders.map((f) => f.uri), raw]) };
}

/** The `workspaceIndexMaxFiles` editor setting, checked against its schema; the default when absent or invalid (logged). */
async function readMaxFiles(ctx: ServerContext): Promise<number> {
  const spec = SETTINGS_SCHEMA.find((s) => s.key === 'workspaceIndexMaxFiles');
  const fallback = typeof spec?.default === 'number' ? spec.default : 100_000;
  if (!ctx.caps.configuration || spec?.type.kind !== 'integer') return fallback;
  let value: unknown;
  try {
    const section: unknown = await ctx.connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
    value = section !== null && typeof section === 'object' ? (section as Record<string, unknown>)[spec.key] : undefined;
  } catch {
    return fallback;
  }
  if (value === undefined || value === null) return fallback;
  const { minimum, maximum } = spec.type;
  if (typeof value === 'number' && Number.isInteger(value) && (minimum === undefined || value >= minimum) && (maximum === undefined || value <= maximum)) return value;
  ctx.log.warn(`kube-graceful: ${SETTINGS_SECTION}.${spec.key}: expected an integer from ${minimum ?? 0} to ${maximum ?? 'any'}; using ${fallback}.`);
  return fallback;
}

/** Runs `work` with window/workDoneProgress when the client shows it ("Indexing manifests 4,000/20,000"). */
async function withProgress(ctx: ServerContext, title: string, work: (report: (done: number, total: number) => void) => Promise<void>): Promise<void> {
  if (!ctx.caps.workDoneProgress) return work(() => undefined);
  let progress: Awaited<ReturnType<typeof ctx.connection.window.createWorkDoneProgress>> | undefined;
  try {
    progress = await ctx.connection.window.createWorkDoneProgress();
    progress.begin(title, 0, undefined, false);
  } catch {
    progress = undefined;
  }
  const fmt = (n: number): string => n.toLocaleString('en-US');
  try {
    await work((done, total) => progress?.report(total > 0 ? Math.floor((done * 100) / total) : 100, `${fmt(done)}/${fmt(total)}`));
  } finally {
    progress?.done();
  }
}

export function registerWorkspaceHandlers(ctx: ServerContext): void {
  const { connection, log } = ctx;
  const { uriToPath } = ctx.host.uris;
  let excludes = '';

  const reindex = async (force: boolean): Promise<void> => {
    if (ctx.options.indexWorkspace === false) return;
    const { folders, key } = await readExcludes(ctx);
    const maxFiles = await readMaxFiles(ctx);
    if (!force && `${key}\u0000${maxFiles}` === excludes) return;
    excludes = `${key}\u0000${maxFiles}`;
    await withProgress(ctx, 'Indexing manifests', (report) => ctx.index.indexFolders(folders, maxFiles, report));
  };

  connection.onInitialized(() =>
    guardSync(log, 'initialized', () => {
      if (ctx.caps.configurationDynamic) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'files'] }).catch(() => undefined);
      }
      if (ctx.caps.watchedFilesDynamic) {
        void connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] })
          .catch((e: unknown) => log.warn(`kube-graceful: could not watch files: ${String(e)}`));
      }
      if (ctx.caps.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((e) =>
          guardSync(log, 'didChangeWorkspaceFolders', () => {
            const removed = new Set(e.removed.map((f) => f.uri));
            const next: Folder[] = ctx.folders.filter((f) => !removed.has(f.uri));
            for (const f of e.added) if (!next.some((x) => x.uri === f.uri)) next.push({ uri: f.uri, name: f.name });
            ctx.folders = next;
            void guard(log, 'workspace index', undefined, () => reindex(true));
          }),
        );
      }
      void guard(log, 'workspace index', undefined, () => reindex(true));
    }),
  );

  connection.onDidChangeConfiguration((params) =>
    guardSync(log, 'didChangeConfiguration', () => {
      const settings: unknown = params.settings;
      const pushed = settings !== null && typeof settings === 'object' ? (settings as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
      ctx.settings.editorSettingsChanged(ctx.caps.configuration ? undefined : pushed);
      ctx.diagnostics.allChanged();
      void guard(log, 'workspace index', undefined, () => reindex(false));
    }),
  );

  connection.onDidChangeWatchedFiles((params) =>
    guardSync(log, 'didChangeWatchedFiles', () => {
      let config = false;
      let overlays = false;
      let values = false;
      for (const change of params.changes) {
        const changed = uriToPath(change.uri);
        // What the host keeps of the file for synchronous answers is fetched again (the browser's).
        if (changed !== undefined) ctx.disk?.access.changed(changed);
        if (isConfigFile(changed)) {
          config = true;
          continue;
        }
        // A chart's values.yaml on disk: the open templates re-read it (its modification time changed).
        if (ctx.disk?.charts.isValuesFile(changed)) values = true;
        // Open documents are indexed from their editor text; the disk copy counts again on close.
        const deleted = change.type === FileChangeType.Deleted;
        void guard(log, `index ${change.uri}`, undefined, () => ctx.index.fileChanged(change.uri, deleted));
        if (changed !== undefined && ctx.analyzer.fileChanged(changed)) overlays = true;
      }
      if (config) configChanged(ctx);
      else if (overlays || values) ctx.diagnostics.allChanged();
    }),
  );
}
