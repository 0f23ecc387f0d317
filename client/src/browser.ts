/**
 * The extension in a web extension host (vscode.dev, github.dev, or any workbench that runs it
 * in a web worker): the language server is the web worker bundle dist/web/server.js. It has no
 * disk, so it analyses the open YAML documents, whatever file system they come from.
 */
import { Uri, type ExtensionContext } from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateWith, CLIENT_ID, CLIENT_NAME, deactivateClient } from './common';

const SERVER_BUNDLE = 'dist/web/server.js';

/** The worker constructor of the web extension host (not in Node's types, which the client compiles with). */
type WorkerConstructor = new (url: string, options?: { name?: string }) => ConstructorParameters<typeof LanguageClient>[2];

export async function activate(context: ExtensionContext): Promise<void> {
  const Worker = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
  await activateWith(context, {
    location: Worker ? Uri.joinPath(context.extensionUri, SERVER_BUNDLE).toString(true) : undefined,
    notFound: 'kube-graceful: this extension host cannot start web workers, so the language server cannot run.',
    documentSelector: [
      { language: 'yaml' },
      // Helm templates: the server recognises and skips them quietly.
      { language: 'helm' },
    ],
    watchFiles: false,
    create: (url, options) => new LanguageClient(CLIENT_ID, CLIENT_NAME, new (Worker as WorkerConstructor)(url, { name: 'kube-graceful language server' }), options),
  });
}

export function deactivate(): Promise<void> {
  return deactivateClient();
}
