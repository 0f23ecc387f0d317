/** The extension in a Node extension host (desktop, remote): the language server runs as a Node process over IPC. */
import * as fs from 'node:fs';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateWith, CLIENT_ID, CLIENT_NAME, deactivateClient } from './common';

export { COMMAND_RESTART, COMMAND_SHOW_OUTPUT, SETTINGS_SECTION } from './common';

/** The bundled server (packaged extension) first, then the tsc output (development checkout). */
const SERVER_CANDIDATES = ['dist/server.js', 'server/out/lsp/main.js'] as const;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = SERVER_CANDIDATES.map((p) => context.asAbsolutePath(p)).find((p) => fs.existsSync(p));
  await activateWith(context, {
    location: serverModule,
    notFound:
      `kube-graceful: the language server was not found (looked for ${SERVER_CANDIDATES.join(' and ')}). ` +
      `Build it with "npm run build" or "npm run bundle".`,
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // Helm templates: the server recognises and skips them quietly.
      { scheme: 'file', language: 'helm' },
      { scheme: 'untitled', language: 'helm' },
    ],
    fileEvents: '**/{*.yaml,*.yml,.kube-graceful.yaml}',
    create: (module, options) => {
      const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
      };
      return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, options);
    },
  });
}

export function deactivate(): Promise<void> {
  return deactivateClient();
}
