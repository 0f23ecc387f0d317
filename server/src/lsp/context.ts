/** What the handlers share: the connection, the open documents, the client's capabilities and the feature services. */
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalyzer } from './services/analyzer';
import type { DiskHost, ServerHost } from './host';
import type { SettingsService } from './services/settings';
import type { WorkspaceIndex } from './services/workspaceIndex';
import type { Logger } from './util/guard';

export interface ClientCaps {
  /** workspace/configuration. */
  readonly configuration: boolean;
  readonly configurationDynamic: boolean;
  readonly workspaceFolders: boolean;
  readonly watchedFilesDynamic: boolean;
  /** textDocument/diagnostic (pull). */
  readonly pullDiagnostics: boolean;
  readonly diagnosticRefresh: boolean;
  readonly showDocument: boolean;
  /** window/workDoneProgress: server-initiated progress. */
  readonly workDoneProgress: boolean;
  /** codeAction/resolve may fill in `edit`. */
  readonly codeActionResolveEdit: boolean;
  /** Disabled code actions with a reason (`CodeAction.disabled`). */
  readonly codeActionDisabled: boolean;
  readonly documentChanges: boolean;
}

export function readCaps(c: ClientCapabilities, options: InitOptions): ClientCaps {
  const pull = c.textDocument?.diagnostic !== undefined && options.diagnosticMode !== 'push';
  return {
    configuration: c.workspace?.configuration === true,
    configurationDynamic: c.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    watchedFilesDynamic: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    pullDiagnostics: pull,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    showDocument: c.window?.showDocument?.support === true,
    workDoneProgress: c.window?.workDoneProgress === true,
    codeActionResolveEdit: c.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    codeActionDisabled: c.textDocument?.codeAction?.disabledSupport === true,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
  };
}

/** initializationOptions the server understands. */
export interface InitOptions {
  /** The "kubeGraceful" settings, for clients that cannot answer workspace/configuration. */
  readonly settings?: unknown;
  /** Force push diagnostics even when the client could pull. */
  readonly diagnosticMode?: 'push' | 'pull';
  /** Do not read the workspace folders from disk (Services of other files stay unknown). */
  readonly indexWorkspace?: boolean;
  /**
   * Put the timeline picture in hovers as a data-URI image. Off unless asked for: a client that
   * does not render images would show the data itself.
   */
  readonly hoverImages?: boolean;
  /**
   * The client serves the workspace's files (`kubeGraceful/listFiles`, `kubeGraceful/readFile`,
   * `kubeGraceful/stat`): the web client, for the server in a web worker.
   */
  readonly clientFiles?: boolean;
}

export function readInitOptions(raw: unknown): InitOptions {
  if (raw === null || typeof raw !== 'object') return {};
  const o = raw as Record<string, unknown>;
  const mode = o['diagnosticMode'];
  return {
    ...(o['settings'] !== undefined ? { settings: o['settings'] } : {}),
    ...(mode === 'push' || mode === 'pull' ? { diagnosticMode: mode } : {}),
    ...(typeof o['indexWorkspace'] === 'boolean' ? { indexWorkspace: o['indexWorkspace'] } : {}),
    ...(typeof o['hoverImages'] === 'boolean' ? { hoverImages: o['hoverImages'] } : {}),
    ...(typeof o['clientFiles'] === 'boolean' ? { clientFiles: o['clientFiles'] } : {}),
  };
}

export interface Folder {
  readonly uri: string;
  readonly name: string;
}

export interface DiagnosticsSink {
  /** A document's text changed (or it was opened). */
  documentChanged(uri: string): void;
  /** Something all documents depend on changed (settings, config file, Services); `except` is already current. */
  allChanged(except?: string): void;
  closed(uri: string): void;
}

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly log: Logger;
  readonly caps: ClientCaps;
  readonly options: InitOptions;
  readonly settings: SettingsService;
  /** The platform: URIs and paths, and the disk where there is one. */
  readonly host: ServerHost;
  /** The file features (the disk, or the client's files); undefined where the server reads none. */
  readonly disk: DiskHost | undefined;
  readonly index: WorkspaceIndex;
  readonly analyzer: DocumentAnalyzer;
  readonly diagnostics: DiagnosticsSink;
  folders: Folder[];
}
