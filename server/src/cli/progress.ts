/**
 * Progress of a long run, for people: one line on stderr, redrawn in place and erased before the
 * report is written. Only on a terminal, and only when the run covers many files, so it never
 * reaches a pipe, a log file, or the JSON / SARIF / github report on stdout.
 */

/** Fewer files than this finish before progress would be worth reading. */
export const PROGRESS_MIN_FILES = 200;

/** Redraws at most this often (milliseconds). */
const REDRAW_INTERVAL_MS = 100;

export interface ProgressDecision {
  /** Whether stderr is a terminal. */
  readonly stderrIsTty: boolean;
  /** Number of inputs of the run. */
  readonly files: number;
}

/** Whether a run shows progress: stderr is a terminal and there are many files. */
export function shouldShowProgress(d: ProgressDecision): boolean {
  return d.stderrIsTty && d.files >= PROGRESS_MIN_FILES;
}

export interface Progress {
  /** `done` of the total files went through `phase` ("reading", "analysing"…). */
  update(phase: string, done: number): void;
  /** Erases the line (before anything else is written to stderr or the report to stdout). */
  clear(): void;
}

const SILENT: Progress = { update: () => undefined, clear: () => undefined };

const count = (n: number): string => n.toLocaleString('en-US');

/** A progress line written with `write` (stderr), or one that writes nothing when disabled. */
export function createProgress(enabled: boolean, total: number, write: (s: string) => void, now: () => number = () => performance.now()): Progress {
  if (!enabled) return SILENT;
  let shown = false;
  let last = 0;
  return {
    update(phase, done) {
      const t = now();
      if (shown && done < total && t - last < REDRAW_INTERVAL_MS) return;
      shown = true;
      last = t;
      write(`\r\u001b[Kkube-graceful: ${phase} ${count(done)}/${count(total)} files`);
    },
    clear() {
      if (!shown) return;
      shown = false;
      write('\r\u001b[K');
    },
  };
}
