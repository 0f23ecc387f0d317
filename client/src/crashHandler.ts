import type { LogOutputChannel } from 'vscode';
import { window } from 'vscode';
import {
  CloseAction,
  ErrorAction,
  Message,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
} from 'vscode-languageclient';

/** How many unexpected exits inside `windowMs` are restarted before the client gives up. */
export const MAX_RESTARTS = 4;
const WINDOW_MS = 3 * 60 * 1000;

export const RESTART_ACTION = 'Restart Server';
export const OUTPUT_ACTION = 'Show Output';

/** Callbacks the handler needs from the extension; kept narrow so the policy stays testable. */
export interface CrashHandlerHost {
  readonly output: LogOutputChannel;
  /** Called when the user picks "Restart Server" after the client gave up. */
  restart(): void;
  /** Clock, injectable for tests. */
  now?(): number;
}

/**
 * Restarts the language server when it exits unexpectedly, telling the user each time, and
 * stops after {@link MAX_RESTARTS} restarts in three minutes with a message that offers a
 * manual restart. Connection errors are tolerated three times in a row (the count is reset by
 * every successful message), then the connection is shut down.
 */
export class CrashHandler implements ErrorHandler {
  private readonly exits: number[] = [];

  constructor(private readonly host: CrashHandlerHost) {}

  error(error: Error, message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    const what = message === undefined ? '' : ` while handling ${describe(message)}`;
    this.host.output.error(`Connection error${what}: ${error.message}`);
    if (count !== undefined && count <= 3) {
      return { action: ErrorAction.Continue, handled: true };
    }
    return { action: ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = this.host.now?.() ?? Date.now();
    this.exits.push(now);
    while (this.exits.length > 0 && (this.exits[0] ?? now) < now - WINDOW_MS) {
      this.exits.shift();
    }
    const crashes = this.exits.length;
    if (crashes <= MAX_RESTARTS) {
      const text =
        `kube-graceful: the language server stopped unexpectedly and was restarted ` +
        `(${crashes} of ${MAX_RESTARTS} automatic restarts in 3 minutes).`;
      this.host.output.warn(text);
      void window.showWarningMessage(text, OUTPUT_ACTION).then((picked) => {
        if (picked === OUTPUT_ACTION) this.host.output.show(true);
      });
      return { action: CloseAction.Restart, handled: true };
    }
    const text =
      `kube-graceful: the language server crashed ${crashes} times in the last 3 minutes ` +
      `and will not be restarted automatically. See the output for details.`;
    this.host.output.error(text);
    void window.showErrorMessage(text, RESTART_ACTION, OUTPUT_ACTION).then((picked) => {
      if (picked === RESTART_ACTION) this.host.restart();
      else if (picked === OUTPUT_ACTION) this.host.output.show(true);
    });
    this.exits.length = 0;
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}

function describe(message: Message): string {
  return Message.isRequest(message) || Message.isNotification(message) ? `"${message.method}"` : 'a message';
}
