/**
 * The language server: capability negotiation and the wiring of handlers to features.
 * Handlers (./handlers) translate protocol messages; features (./services) compute
 * diagnostics, code actions, hovers, settings and the workspace index from the core.
 * Architecture invariant: only server/src/lsp knows LSP; the core knows no I/O.
 */
import {
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readCaps, readInitOptions, type DiagnosticsSink, type Folder, type ServerContext } from './context';
import { Diagnostics } from './handlers/diagnostics';
import { registerDocumentHandlers } from './handlers/documents';
import { COMMANDS, registerLanguageHandlers } from './handlers/language';
import { registerWorkspaceHandlers } from './handlers/workspace';
import { DocumentAnalyzer } from './services/analyzer';
import { FIX_ALL_KIND } from './services/codeActions';
import { SETTINGS_SECTION, SettingsService } from './services/settings';
import { WorkspaceIndex } from './services/workspaceIndex';
import { guardSync, type Logger } from './util/guard';
import type { ServerHost } from './host';

export function startServer(connection: Connection, host: ServerHost): void {
  const documents = new TextDocuments(TextDocument);
  const log: Logger = connection.console;
  let diagnostics: Diagnostics | undefined;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = readInitOptions(params.initializationOptions);
    const caps = readCaps(params.capabilities, options);
    const folders: Folder[] =
      params.workspaceFolders?.map((f) => ({ uri: f.uri, name: f.name })) ??
      (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri }] : []);

    const { uriToPath, normalizeUri } = host.uris;
    const openText = (filePath: string): string | undefined => documents.all().find((d) => uriToPath(d.uri) === filePath)?.getText();
    const disk = host.disk({ clientFiles: options.clientFiles === true });
    const configFiles = disk?.configFiles(openText);
    const fetch = caps.configuration
      ? (scopeUri: string): Promise<unknown> => connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION })
      : undefined;
    const settings = new SettingsService(fetch, host.uris, configFiles, log, options.settings);
    // The index reports changes to the diagnostics, which exist only once the context does.
    const sink: DiagnosticsSink = {
      documentChanged: (uri) => diagnostics?.documentChanged(uri),
      allChanged: (except) => diagnostics?.allChanged(except),
      closed: (uri) => diagnostics?.closed(uri),
    };
    const index = new WorkspaceIndex(log, host.uris, disk?.files, (uri) => sink.allChanged(uri));
    const overlays = disk?.overlays(openText, () => (folders[0] ? uriToPath(folders[0].uri) : undefined));
    const analyzer = new DocumentAnalyzer(host, disk, settings, index, overlays, (uri) => sink.allChanged(uri));
    // Files fetched for a synchronous answer (the browser's): what they change is judged anew.
    disk?.access.onFetched(() => sink.allChanged());
    const ctx: ServerContext = { connection, documents, log, caps, options, settings, host, disk, index, analyzer, diagnostics: sink, folders };
    diagnostics = new Diagnostics(ctx);
    diagnostics.register();
    registerDocumentHandlers(ctx);
    registerLanguageHandlers(ctx);
    registerWorkspaceHandlers(ctx);
    log.info(
      `kube-graceful: server started (${caps.pullDiagnostics ? 'pull' : 'push'} diagnostics, ${folders.length} workspace folder${folders.length === 1 ? '' : 's'}: ${folders.map((f) => normalizeUri(f.uri)).join(', ') || 'none'})`,
    );

    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        executeCommandProvider: { commands: [...COMMANDS] },
        ...(caps.pullDiagnostics ? { diagnosticProvider: { identifier: 'kube-graceful', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kube-graceful' },
    };
  });

  connection.onShutdown(() => guardSync(log, 'shutdown', () => diagnostics?.dispose()));

  documents.listen(connection);
  connection.listen();
}
