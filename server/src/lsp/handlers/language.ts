/** Requests on a document: code actions (and their lazy resolution), hover, and the server's commands. */
import { LSPErrorCodes, MessageType, ResponseError, ShowMessageNotification, type CancellationToken, type CodeAction, type Hover } from 'vscode-languageserver';
import { docsUrl, RULES_BY_ID } from '../../core';
import type { ServerContext } from '../context';
import type { DocumentAnalysis } from '../services/analyzer';
import { codeActions, fixAllEdit, isActionData, SHOW_DOCS_COMMAND } from '../services/codeActions';
import { hoverAt } from '../services/hover';
import { isTimelineParams, TIMELINE_REQUEST, timelineAt, TimelineRequest, type TimelineResult } from '../services/timeline';
import { guard } from '../util/guard';

export const COMMANDS = [SHOW_DOCS_COMMAND] as const;

/** A request the client cancelled gets the RequestCancelled error, whatever was computed. */
async function honourCancel<T>(token: CancellationToken, run: Promise<T>): Promise<T> {
  const result = await run;
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  return result;
}

export function registerLanguageHandlers(ctx: ServerContext): void {
  const { connection, documents, log } = ctx;

  /** The current analysis; undefined when the document is not open, disabled, or changed meanwhile. */
  const current = async (uri: string): Promise<DocumentAnalysis | undefined> => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const da = await ctx.analyzer.analyze(doc);
    if (!da || documents.get(uri)?.version !== da.version) return undefined;
    return da;
  };

  connection.onCodeAction(async (params, token) =>
    honourCancel(token, guard<CodeAction[]>(log, 'textDocument/codeAction', [], async () => {
      const da = await current(params.textDocument.uri);
      if (!da || token.isCancellationRequested) return [];
      return codeActions(da, {
        start: da.doc.offsetAt(params.range.start),
        end: da.doc.offsetAt(params.range.end),
        diagnostics: params.context.diagnostics,
        only: params.context.only,
        lazy: ctx.caps.codeActionResolveEdit,
        documentChanges: ctx.caps.documentChanges,
        other: (uri, offset) => ctx.index.positionIn(uri, offset),
        cancelled: () => token.isCancellationRequested,
        disabledSupport: ctx.caps.codeActionDisabled,
        logError: (m) => log.error(m),
      });
    })),
  );

  connection.onCodeActionResolve(async (action, token) =>
    honourCancel(token, guard<CodeAction>(log, 'codeAction/resolve', action, async () => {
      const data: unknown = action.data;
      if (!isActionData(data) || action.edit !== undefined) return action;
      const da = await current(data.uri);
      if (!da || token.isCancellationRequested) return action;
      const edit = fixAllEdit(da, data.ruleId, ctx.caps.documentChanges);
      return edit ? { ...action, edit } : action;
    })),
  );

  connection.onHover(async (params, token) =>
    honourCancel(token, guard<Hover | null>(log, 'textDocument/hover', null, async () => {
      const da = await current(params.textDocument.uri);
      if (!da || token.isCancellationRequested) return null;
      return hoverAt(da, da.doc.offsetAt(params.position), ctx.options.hoverImages === true);
    })),
  );

  connection.onRequest(TimelineRequest, async (params, token) =>
    honourCancel(token, guard<TimelineResult | null>(log, TIMELINE_REQUEST, null, async () => {
      // The client's parameters are checked, whatever the type says.
      if (!isTimelineParams(params)) return null;
      const da = await current(params.textDocument.uri);
      if (!da || token.isCancellationRequested) return null;
      return timelineAt(da, da.doc.offsetAt(params.position));
    })),
  );

  connection.onExecuteCommand(async (params) =>
    guard<null>(log, 'workspace/executeCommand', null, async () => {
      if (params.command !== SHOW_DOCS_COMMAND) return null;
      const id: unknown = params.arguments?.[0];
      if (typeof id !== 'string' || !RULES_BY_ID.has(id)) return null;
      const url = docsUrl(id);
      if (ctx.caps.showDocument) {
        const r = await connection.window.showDocument({ uri: url, external: true });
        if (r.success) return null;
      }
      await connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `kube-graceful: documentation for ${id}: ${url}` });
      return null;
    }),
  );
}
