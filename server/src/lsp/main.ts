/**
 * Entry point of the kube-graceful language server. The transport comes from the command
 * line, as vscode-languageserver reads it: --stdio, --node-ipc, --socket=<port> or
 * --pipe=<name>. In --stdio mode stdout carries the protocol only, so console output is sent
 * to the client's log instead.
 */
import { format } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { nodeHost } from './node/host';
import { startServer } from './server';
import { errorText } from './util/guard';

const connection = createConnection(ProposedFeatures.all);

console.log = (...args: unknown[]) => connection.console.log(format(...args));
console.info = (...args: unknown[]) => connection.console.info(format(...args));
console.debug = (...args: unknown[]) => connection.console.log(format(...args));
console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
console.error = (...args: unknown[]) => connection.console.error(format(...args));

process.on('uncaughtException', (e) => connection.console.error(`kube-graceful: uncaught exception: ${errorText(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`kube-graceful: unhandled rejection: ${errorText(e)}`));

startServer(connection, nodeHost());
