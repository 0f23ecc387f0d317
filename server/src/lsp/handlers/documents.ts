/** Document sync: open, change and close drive diagnostics, the Service overlay and the config file cache. */
import type { ServerContext } from '../context';
import { isConfigFile } from '../host';
import { guard, guardSync } from '../util/guard';

export function registerDocumentHandlers(ctx: ServerContext): void {
  const { documents, log } = ctx;
  const { uriToPath } = ctx.host.uris;

  documents.onDidChangeContent((e) =>
    guardSync(log, 'didChange', () => {
      const uri = e.document.uri;
      if (isConfigFile(uriToPath(uri))) configChanged(ctx);
      chartValuesChanged(ctx, uriToPath(uri), e.document.getText());
      ctx.diagnostics.documentChanged(uri);
    }),
  );

  documents.onDidClose((e) =>
    guardSync(log, 'didClose', () => {
      const uri = e.document.uri;
      ctx.diagnostics.closed(uri);
      ctx.analyzer.forget(uri);
      if (isConfigFile(uriToPath(uri))) configChanged(ctx);
      chartValuesChanged(ctx, uriToPath(uri), undefined);
      void guard(log, 'index update on close', undefined, () => ctx.index.closeOpen(uri));
    }),
  );
}

/** A `.kube-graceful.yaml` was edited, saved, created, deleted, opened or closed. */
export function configChanged(ctx: ServerContext): void {
  ctx.settings.configFilesChanged();
  ctx.diagnostics.allChanged();
}

/** A chart's values.yaml was edited, opened or closed (undefined text: the disk counts again): its templates are judged again. */
export function chartValuesChanged(ctx: ServerContext, file: string | undefined, text: string | undefined): void {
  const charts = ctx.disk?.charts;
  if (file === undefined || !charts?.isValuesFile(file)) return;
  charts.setOpen(file, text);
  ctx.diagnostics.allChanged();
}
