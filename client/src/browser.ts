/**
 * The extension in a web extension host (vscode.dev, github.dev, or any workbench that runs it
 * in a web worker): the language server is the web worker bundle dist/web/server.js. It has no
 * disk: it analyses the open YAML documents, whatever file system they come from, and reads the
 * workspace's other files through this client (`./files`), which reads the editor's file system
 * and sends the file events of what it read.
 */
import { Uri, type ExtensionContext } from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { activateWith, CLIENT_ID, CLIENT_NAME, deactivateClient } from './common';
import { serveFiles } from './files';

const SERVER_BUNDLE = 'dist/web/server.js';

/** The worker constructor of the web extension host (its types are in the WebWorker library, not in Node's, which the client compiles with). */
type WorkerConstructor = new (url: string, options?: { name?: string }) => object;

const WORKER_NAME = 'kube-graceful language server';

/**
 * The server's worker, connected. The transports are made here: the host's Worker constructor is
 * a wrapper, so the client's own `instanceof Worker` check would not recognise what it returns.
 */
async function connectWorker(Worker: WorkerConstructor, url: string): Promise<MessageTransports> {
  const port = (await startWorker(Worker, url)) as never;
  return { reader: new BrowserMessageReader(port), writer: new BrowserMessageWriter(port) };
}

/**
 * Starts the server's worker from its URL. The web extension host refuses worker URLs of an
 * extension installed on a remote server (`vscode-remote:`); the script is then fetched (the
 * host's fetch resolves such URLs) and started from a blob URL.
 */
async function startWorker(Worker: WorkerConstructor, url: string): Promise<object> {
  try {
    return new Worker(url, { name: WORKER_NAME });
  } catch {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
    const script = new Blob([await response.text()], { type: 'text/javascript' });
    return new Worker(URL.createObjectURL(script), { name: WORKER_NAME });
  }
}

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
    // Manifests and the configuration file, chart helpers, and kustomization files without an extension.
    fileEvents: '**/{*.yaml,*.yml,.kube-graceful.yaml,_*.tpl,Kustomization}',
    initializationOptions: { clientFiles: true },
    create: (url, options) => {
      const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, () => connectWorker(Worker as WorkerConstructor, url), options);
      serveFiles(client);
      return client;
    },
  });
}

export function deactivate(): Promise<void> {
  return deactivateClient();
}
