/**
 * Workspace wiring: settings changes, watched files (manifests and `.kube-graceful.yaml`),
 * workspace folders, and the background Service index over them.
 */
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver';
import type { Folder, ServerContext } from '../context';
import { isConfigFile } from '../services/configFiles';
import { SETTINGS_SECTION } from '../services/settings';
import type { IndexedFolder } from '../services/workspaceIndex';
import { excludeMatcher } from '../util/glob';
import { guard, guardSync } from '../util/guard';
import { uriToPath } from '../util/uri';
import { configChanged } from './documents';

/** The workspace folders with their `files.exclude` settings, and a key that changes when they do. */
async function readExcludes(ctx: ServerContext): Promise<{ folders: IndexedFolder[]; key: string }> {
  const { connection } = ctx;
  const folders: IndexedFolder[] = [];
  const raw: unknown[] = [];
  for (const f of ctx.folders) {
    const p = uriToPath(f.uri);
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

export function registerWorkspaceHandlers(ctx: ServerContext): void {
  const { connection, log } = ctx;
  let excludes = '';

  const reindex = async (force: boolean): Promise<void> => {
    if (ctx.options.indexWorkspace === false) return;
    const { folders, key } = await readExcludes(ctx);
    if (!force && key === excludes) return;
    excludes = key;
    await ctx.index.indexFolders(folders);
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
      for (const change of params.changes) {
        if (isConfigFile(uriToPath(change.uri))) {
          config = true;
          continue;
        }
        // Open documents are indexed from their editor text; the disk copy counts again on close.
        const deleted = change.type === FileChangeType.Deleted;
        void guard(log, `index ${change.uri}`, undefined, () => ctx.index.fileChanged(change.uri, deleted));
      }
      if (config) configChanged(ctx);
    }),
  );
}
