/** Document sync: open, change and close drive diagnostics, the Service overlay and the config file cache. */
import type { ServerContext } from '../context';
import { isConfigFile } from '../services/configFiles';
import { guard, guardSync } from '../util/guard';
import { uriToPath } from '../util/uri';

export function registerDocumentHandlers(ctx: ServerContext): void {
  const { documents, log } = ctx;

  documents.onDidChangeContent((e) =>
    guardSync(log, 'didChange', () => {
      const uri = e.document.uri;
      if (isConfigFile(uriToPath(uri))) configChanged(ctx);
      ctx.diagnostics.documentChanged(uri);
    }),
  );

  documents.onDidClose((e) =>
    guardSync(log, 'didClose', () => {
      const uri = e.document.uri;
      ctx.diagnostics.closed(uri);
      ctx.analyzer.forget(uri);
      if (isConfigFile(uriToPath(uri))) configChanged(ctx);
      void guard(log, 'index update on close', undefined, () => ctx.index.closeOpen(uri));
    }),
  );
}

/** A `.kube-graceful.yaml` was edited, saved, created, deleted, opened or closed. */
export function configChanged(ctx: ServerContext): void {
  ctx.settings.configFilesChanged();
  ctx.diagnostics.allChanged();
}
