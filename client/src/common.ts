/**
 * What the extension does on every platform: the output channel, the commands, the client's
 * options and its restarts. The entry points give it the server: `extension.ts` a Node process
 * (desktop and remote extension hosts), `browser.ts` a web worker (VS Code for the Web).
 * Nothing here imports Node.
 */
import { commands, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { BaseLanguageClient, type DocumentSelector, type LanguageClientOptions } from 'vscode-languageclient';
import { CrashHandler } from './crashHandler';
import { COMMAND_SHOW_TIMELINE, TimelinePanel } from './timelinePanel';

/** Client id: vscode-languageclient reads `<id>.trace.server`, so it matches the settings section. */
export const CLIENT_ID = 'kubeGraceful';
export const CLIENT_NAME = 'kube-graceful';
export const SETTINGS_SECTION = 'kubeGraceful';

export const COMMAND_RESTART = 'kube-graceful.restartServer';
export const COMMAND_SHOW_OUTPUT = 'kube-graceful.showOutput';

/** How an entry point runs the language server. */
export interface ServerLauncher {
  /** Where the server is, for the log; undefined when it was not found. */
  readonly location: string | undefined;
  /** What to tell the user when it was not found. */
  readonly notFound: string;
  /** The documents the server analyses. */
  readonly documentSelector: DocumentSelector;
  /** The files whose events the server needs (a glob), or undefined when it reads no files. */
  readonly fileEvents: string | undefined;
  /** More `initializationOptions` for this server. */
  readonly initializationOptions?: Readonly<Record<string, unknown>>;
  create(location: string, options: LanguageClientOptions): BaseLanguageClient;
}

let client: BaseLanguageClient | undefined;
let restarting: Promise<void> | undefined;

export async function activateWith(context: ExtensionContext, launcher: ServerLauncher): Promise<void> {
  const output = window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  const restart = (): Promise<void> => {
    restarting ??= restartClient(output, launcher).finally(() => {
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

  if (launcher.location === undefined) {
    output.error(launcher.notFound);
    void window.showErrorMessage(launcher.notFound);
    return;
  }
  output.info(`Starting the language server from ${launcher.location}`);
  await restart();
}

export async function deactivateClient(): Promise<void> {
  const current = client;
  client = undefined;
  await stopQuietly(current);
}

/** Stops the current client (whatever state it is in) and starts a fresh one. */
async function restartClient(output: LogOutputChannel, launcher: ServerLauncher): Promise<void> {
  const location = launcher.location;
  if (location === undefined) {
    void window.showErrorMessage('kube-graceful: the language server was not found; see the output.');
    return;
  }
  const previous = client;
  client = undefined;
  if (previous !== undefined) {
    output.info('Restarting the language server');
    await stopQuietly(previous, output);
  }
  const options = clientOptions(output, launcher, () => {
    void commands.executeCommand(COMMAND_RESTART);
  });
  const next = launcher.create(location, options);
  client = next;
  try {
    await next.start();
  } catch (error) {
    // The initializationFailedHandler has already told the user; keep the log complete.
    output.error(`The language server did not start: ${errorText(error)}`);
  }
}

function clientOptions(output: LogOutputChannel, launcher: ServerLauncher, restart: () => void): LanguageClientOptions {
  return {
    documentSelector: launcher.documentSelector,
    outputChannel: output,
    // VS Code renders data-URI images in hovers: ask for the timeline picture.
    initializationOptions: { hoverImages: true, ...launcher.initializationOptions },
    synchronize: {
      // The server pulls its settings with workspace/configuration; this only tells it when
      // they changed.
      configurationSection: SETTINGS_SECTION,
      // Manifests (Services are read from other files), the project configuration file, and
      // whatever else the server reads.
      ...(launcher.fileEvents !== undefined ? { fileEvents: workspace.createFileSystemWatcher(launcher.fileEvents) } : {}),
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
}

async function stopQuietly(target: BaseLanguageClient | undefined, output?: LogOutputChannel): Promise<void> {
  if (target === undefined) return;
  try {
    // dispose() stops a running server and also releases the client's registrations; a
    // client that never got running throws here, which is fine.
    await target.dispose(2000);
  } catch (error) {
    output?.debug(`Stopping the previous client: ${errorText(error)}`);
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
