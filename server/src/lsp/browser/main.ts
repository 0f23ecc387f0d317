/**
 * Entry point of the kube-graceful language server in a web worker (VS Code for the Web, or
 * any extension host that runs web extensions). It speaks LSP over the worker's messages and
 * has no disk: it analyses the open documents with the settings the client sends, with the
 * Services, Ingresses and ConfigMaps of the other open documents. The workspace index of closed
 * files, `.kube-graceful.yaml`, Helm charts' helpers and values and kustomize overlays are off.
 * Nothing here or below imports Node (`tsconfig.web.json` compiles it without Node's types).
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import type { ServerHost } from '../host';
import { startServer } from '../server';
import { errorText } from '../util/guard';

/**
 * The worker's global scope carries the client's messages. Its type (DedicatedWorkerGlobalScope)
 * exists only in the WebWorker library, which the Node build of this file does not load.
 */
const scope = globalThis as unknown as never;
const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(scope), new BrowserMessageWriter(scope));

const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : errorText(a))).join(' ');
console.log = (...args: unknown[]) => connection.console.log(text(args));
console.info = (...args: unknown[]) => connection.console.info(text(args));
console.debug = (...args: unknown[]) => connection.console.log(text(args));
console.warn = (...args: unknown[]) => connection.console.warn(text(args));
console.error = (...args: unknown[]) => connection.console.error(text(args));

/** No disk: no document has a path, so every feature that reads files stays off. */
export const browserHost: ServerHost = {
  uris: { uriToPath: () => undefined, pathToUri: (p) => p, normalizeUri: (uri) => uri },
  disk: undefined,
  yieldTurn: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
};

startServer(connection, browserHost);
connection.console.info('kube-graceful: running in a web worker; open documents only (no disk)');
