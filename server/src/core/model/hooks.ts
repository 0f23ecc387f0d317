/**
 * How long a preStop hook keeps SIGTERM away, read from its form. Only what is certain is
 * counted: a fixed sleep, or the sleeps of a simple shell script that run unconditionally
 * before anything whose duration is unknown. Everything else is unknown.
 */
import { basename, commandWords, parseShell, shellScriptOf, sleepArgsSeconds, type Word } from './shell';

export interface HookDuration {
  /** Seconds the hook certainly takes (a lower bound when `exact` is false). */
  readonly seconds: number;
  /** True when the hook takes exactly `seconds` (plus commands that return at once). */
  readonly exact: boolean;
}

/** Commands that return at once for timing purposes (they signal or print, they do not wait). */
const INSTANT = new Set(['true', ':', 'echo', 'printf', 'touch', 'rm', 'date', 'logger']);

function isInstant(words: readonly Word[]): boolean {
  const name = basename(words[0]?.value ?? '');
  if (INSTANT.has(name)) return true;
  // `nginx -s quit` / `openresty -s quit`: sends a signal to the master and returns.
  if ((name === 'nginx' || name === 'openresty') && words.some((w) => w.value === '-s')) return true;
  return false;
}

export function isSleepCommand(name: string): boolean {
  return basename(name) === 'sleep';
}

/** Duration of an exec hook's argv; undefined when nothing certain can be said. */
export function execDuration(argv: readonly string[]): HookDuration | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  if (isSleepCommand(first)) {
    const s = sleepArgsSeconds(argv.slice(1).map((value) => ({ value, dynamic: false })));
    return s === undefined ? undefined : { seconds: s, exact: true };
  }
  const sh = shellScriptOf(argv);
  if (!sh) return undefined;
  return scriptDuration(sh.script);
}

/** Sleeps of a shell script that certainly run, in order, before the script ends. */
export function scriptDuration(script: string): HookDuration | undefined {
  const parsed = parseShell(script);
  if (parsed.complex) return undefined;
  let seconds = 0;
  let exact = true;
  let counted = 0;
  // Within an and-or list (a && b || c), a command runs for sure only while every earlier
  // command of the list is a sleep or an instant command joined by `&&`.
  let chainCertain = true;
  let prevSep: string = ';';
  for (const cmd of parsed.commands) {
    const words = commandWords(cmd);
    if (prevSep === ';' || prevSep === '&' || prevSep === 'end') chainCertain = true;
    if (prevSep === '||') chainCertain = false;
    const background = cmd.sep === '&';
    const inPipe = cmd.sep === '|' || prevSep === '|';
    prevSep = cmd.sep;
    if (words.length === 0) continue;
    let name = basename(words[0]?.value ?? '');
    let rest = words.slice(1);
    const isExec = name === 'exec';
    if (isExec) {
      name = basename(rest[0]?.value ?? '');
      rest = rest.slice(1);
    }
    if (name === 'exit') return counted > 0 || exact ? { seconds, exact } : undefined;
    if (background || inPipe) {
      exact = false;
      continue;
    }
    if (name === 'sleep') {
      const s = sleepArgsSeconds(rest);
      if (s === undefined || !chainCertain) {
        exact = false;
      } else {
        seconds += s;
        counted++;
      }
      if (isExec) break;
      continue;
    }
    if (name === 'kill' && rest.some((w) => w.value === '1')) {
      // Signalling PID 1 may end the container before anything after it runs.
      exact = false;
      break;
    }
    if (isExec) {
      exact = false;
      break;
    }
    if (words[0] && isInstant(words)) continue;
    exact = false;
    if (cmd.sep === '&&') chainCertain = false;
  }
  if (counted === 0 && !exact) return undefined;
  return { seconds, exact };
}
