import * as fs from 'node:fs';
import { commands, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CrashHandler } from './crashHandler';
import { COMMAND_SHOW_TIMELINE, TimelinePanel } from './timelinePanel';

/** Client id: vscode-languageclient reads `<id>.trace.server`, so it matches the settings section. */
const CLIENT_ID = 'kubeGraceful';
const CLIENT_NAME = 'kube-graceful';
export const SETTINGS_SECTION = 'kubeGraceful';

export const COMMAND_RESTART = 'kube-graceful.restartServer';
export const COMMAND_SHOW_OUTPUT = 'kube-graceful.showOutput';

/** The bundled server (packaged extension) first, then the tsc output (development checkout). */
const SERVER_CANDIDATES = ['dist/server.js', 'server/out/lsp/main.js'] as const;

let client: LanguageClient | undefined;
let restarting: Promise<void> | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  const serverModule = SERVER_CANDIDATES.map((p) => context.asAbsolutePath(p)).find((p) => fs.existsSync(p));

  const restart = (): Promise<void> => {
    restarting ??= restartClient(output, serverModule).finally(() => {
      restarting = undefined;
    });
    return restarting;
  };

  const timeline = new TimelinePanel(() => client);
  context.subscriptions.push(
    commands.registerCommand(COMMAND_RESTART, restart),
    commands.registerCommand(COMMAND_SHOW_OUTPUT, () => output.show(true)),
    timeline,
    commands.registerCommand(COMMAND_SHOW_TIMELINE, async () => {
      try {
        await timeline.show();
      } catch (error) {
        output.error(`Show termination timeline: ${errorText(error)}`);
        void window.showErrorMessage(`kube-graceful: the termination timeline could not be shown: ${errorText(error)}`);
      }
    }),
  );

  if (serverModule === undefined) {
    const text =
      `kube-graceful: the language server was not found (looked for ${SERVER_CANDIDATES.join(' and ')}). ` +
      `Build it with "npm run build" or "npm run bundle".`;
    output.error(text);
    void window.showErrorMessage(text);
    return;
  }
  output.info(`Starting the language server from ${serverModule}`);
  await restart();
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  await stopQuietly(current);
}

/** Stops the current client (whatever state it is in) and starts a fresh one. */
async function restartClient(output: LogOutputChannel, serverModule: string | undefined): Promise<void> {
  if (serverModule === undefined) {
    void window.showErrorMessage('kube-graceful: the language server was not found; see the output.');
    return;
  }
  const previous = client;
  client = undefined;
  if (previous !== undefined) {
    output.info('Restarting the language server');
    await stopQuietly(previous, output);
  }
  const next = createClient(output, serverModule, () => {
    void commands.executeCommand(COMMAND_RESTART);
  });
  client = next;
  try {
    await next.start();
  } catch (error) {
    // The initializationFailedHandler has already told the user; keep the log complete.
    output.error(`The language server did not start: ${errorText(error)}`);
  }
}

function createClient(output: LogOutputChannel, serverModule: string, restart: () => void): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // Helm templates: the server recognises and skips them quietly.
      { scheme: 'file', language: 'helm' },
      { scheme: 'untitled', language: 'helm' },
    ],
    outputChannel: output,
    // VS Code renders data-URI images in hovers: ask for the timeline picture.
    initializationOptions: { hoverImages: true },
    synchronize: {
      // The server pulls its settings with workspace/configuration; this only tells it when
      // they changed.
      configurationSection: SETTINGS_SECTION,
      // Manifests (Services are read from disk) and the project configuration file.
      fileEvents: workspace.createFileSystemWatcher('**/{*.yaml,*.yml,.kube-graceful.yaml}'),
    },
    errorHandler: new CrashHandler({ output, restart }),
    initializationFailedHandler: (error: unknown) => {
      const text = `kube-graceful: the language server failed to initialize: ${errorText(error)}`;
      output.error(text);
      void window.showErrorMessage(text, 'Show Output').then((picked) => {
        if (picked !== undefined) output.show(true);
      });
      return false;
    },
  };

  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

async function stopQuietly(target: LanguageClient | undefined, output?: LogOutputChannel): Promise<void> {
  if (target === undefined) return;
  try {
    // dispose() stops a running server and also releases the client's registrations; a
    // client that never got running throws here, which is fine.
    await target.dispose(2000);
  } catch (error) {
    output?.debug(`Stopping the previous client: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
