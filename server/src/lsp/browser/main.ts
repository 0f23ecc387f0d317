/**
 * Entry point of the kube-graceful language server in a web worker (VS Code for the Web, or
 * any extension host that runs web extensions). It speaks LSP over the worker's messages and
 * has no disk: it reads the workspace's files through the client (`./host`) when the client
 * serves them, and otherwise analyses the open documents only.
 * Nothing here or below imports Node (`tsconfig.web.json` compiles it without Node's types).
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { startServer } from '../server';
import { errorText } from '../util/guard';
import { browserHost } from './host';

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

startServer(connection, browserHost(connection));
