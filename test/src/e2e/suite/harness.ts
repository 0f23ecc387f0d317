// A very small test harness for the extension host: tests run one after another, each under
// a timeout, and run() rejects when any failed, which the host reports as a non-zero exit.

export type TestFn = () => Promise<void> | void;

interface TestCase {
  readonly name: string;
  readonly fn: TestFn;
  readonly timeoutMs: number;
}

const tests: TestCase[] = [];

export const DEFAULT_TIMEOUT_MS = 30_000;

export function test(name: string, fn: TestFn, timeoutMs: number = DEFAULT_TIMEOUT_MS): void {
  tests.push({ name, fn, timeoutMs });
}

export async function runAll(log: (line: string) => void = (line) => console.log(line)): Promise<void> {
  const failures: string[] = [];
  const started = Date.now();
  for (const t of tests) {
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeoutMs, `timed out after ${t.timeoutMs} ms`);
      log(`  ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`  FAIL ${t.name} (${Date.now() - t0} ms)\n${indent(text)}`);
      failures.push(t.name);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = `e2e host suite: ${tests.length - failures.length} passed, ${failures.length} failed (${seconds} s)`;
  log(summary);
  if (failures.length > 0) {
    throw new Error(`${summary}: ${failures.join('; ')}`);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `       ${line}`)
    .join('\n');
}
