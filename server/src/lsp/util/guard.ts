/** Error isolation for handlers: a failing handler logs and answers its fallback; the server lives on. */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

export async function guard<T>(logger: Logger, what: string, fallback: T, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    logger.error(`kube-graceful: ${what} failed: ${errorText(e)}`);
    return fallback;
  }
}

/** Same for notifications: nothing to answer. */
export function guardSync(logger: Logger, what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    logger.error(`kube-graceful: ${what} failed: ${errorText(e)}`);
  }
}
