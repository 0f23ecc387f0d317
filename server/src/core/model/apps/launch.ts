/**
 * What a container starts, as far as its manifest shows it: the program named by `command`
 * and `args` (after Kubernetes' own `$(VAR)` expansion from the container's `env`), through
 * the usual launchers (`exec`, `env`, `tini`, `python -m`, `bundle exec`, `poetry run`, ...),
 * and each simple command of a `sh -c` script. Every word keeps the span it is written in:
 * its own list item, or the whole script for words inside a script.
 */
import type { Span } from '../../types';
import { basename, commandWords, parseShell, shellScriptOf } from '../shell';
import type { ContainerView } from '../workloads';

export interface ArgWord {
  readonly value: string;
  readonly span: Span;
  /** Holds a shell expansion or an unresolved `$(VAR)`: its value is not known. */
  readonly dynamic: boolean;
}

export interface Launch {
  /** Basename of the program (`gunicorn`, `uvicorn`, `java`, ...), or the module of `python -m`. */
  readonly program: string;
  /** Where the program is named. */
  readonly span: Span;
  /** The words after the program. */
  readonly args: readonly ArgWord[];
  /** The whole argv, the program and its launchers included. */
  readonly argv: readonly ArgWord[];
}

/** The container's command and args as one argv; undefined when neither is written or one is not a list of strings. */
/** Container views are read-only values: what is read from one is kept with it. */
const argvMemo = new WeakMap<ContainerView, readonly ArgWord[] | null>();
const launchesMemo = new WeakMap<ContainerView, readonly Launch[]>();

export function argvOf(c: ContainerView): readonly ArgWord[] | undefined {
  const known = argvMemo.get(c);
  if (known !== undefined) return known ?? undefined;
  const argv = readArgv(c);
  argvMemo.set(c, argv ?? null);
  return argv;
}

function readArgv(c: ContainerView): ArgWord[] | undefined {
  if ((c.command === undefined && c.commandSpan !== undefined) || (c.args === undefined && c.argsSpan !== undefined)) return undefined;
  const out: ArgWord[] = [];
  const add = (list: readonly string[] | undefined, spans: readonly Span[] | undefined): void => {
    (list ?? []).forEach((v, i) => {
      const span = spans?.[i] ?? { start: 0, end: 0 };
      out.push(expandVars(v, span, c));
    });
  };
  add(c.command, c.commandItemSpans);
  add(c.args, c.argsItemSpans);
  return out.length > 0 ? out : undefined;
}

/**
 * Kubernetes replaces `$(NAME)` in command and args with the value of the container's env
 * variable NAME (`$$` escapes a `$`). A reference to a variable without a literal value
 * makes the word dynamic.
 */
function expandVars(value: string, span: Span, c: ContainerView): ArgWord {
  let dynamic = false;
  const expanded = value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m: string, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = c.env.find((e) => e.name === name)?.value;
    if (v === undefined) {
      dynamic = true;
      return m;
    }
    return v;
  });
  return { value: expanded, span, dynamic };
}

/** The env variable with this name that has a literal value (the last one wins, as in Kubernetes). */
export function envValue(c: ContainerView, name: string): { readonly value: string; readonly span: Span } | undefined {
  for (let i = c.env.length - 1; i >= 0; i--) {
    const e = c.env[i];
    if (e && e.name === name) return e.value === undefined ? undefined : { value: e.value, span: e.span };
  }
  return undefined;
}

/** Launchers that run the next word as the program, and the flags they take before it. */
const PREFIXES = new Set(['exec', 'nice', 'nohup', 'ddtrace-run', 'opentelemetry-instrument', 'chpst', 'setpriv', 'gosu', 'su-exec']);
const INITS = new Set(['tini', 'dumb-init', 'catatonit', 'tini-static']);
const RUNNERS: ReadonlyMap<string, string> = new Map([
  ['bundle', 'exec'],
  ['poetry', 'run'],
  ['pipenv', 'run'],
  ['uv', 'run'],
  ['pdm', 'run'],
  ['hatch', 'run'],
  ['newrelic-admin', 'run-program'],
]);

/** `python`, `python3`, `python3.12`. */
function isPython(name: string): boolean {
  return /^python(\d+(\.\d+)?)?$/.test(name);
}

/** Strips launchers off the front of argv; undefined when nothing is left or the program is not a plain word. */
export function launchOf(argv: readonly ArgWord[]): Launch | undefined {
  let i = 0;
  for (let guard = 0; guard < 16 && i < argv.length; guard++) {
    const w = argv[i] as ArgWord;
    if (w.dynamic) return undefined;
    const name = basename(w.value);
    if (name === '--') {
      i++;
      continue;
    }
    if (PREFIXES.has(name)) {
      i++;
      // gosu/su-exec/setpriv take a user (or options) first; chpst takes options.
      if (name === 'gosu' || name === 'su-exec') i++;
      while (i < argv.length && (argv[i] as ArgWord).value.startsWith('-') && (argv[i] as ArgWord).value !== '--') i++;
      continue;
    }
    if (name === 'env') {
      i++;
      while (i < argv.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test((argv[i] as ArgWord).value) || (argv[i] as ArgWord).value.startsWith('-'))) i++;
      continue;
    }
    if (INITS.has(name)) {
      i++;
      while (i < argv.length && (argv[i] as ArgWord).value.startsWith('-') && (argv[i] as ArgWord).value !== '--') i++;
      continue;
    }
    const sub = RUNNERS.get(name);
    if (sub !== undefined) {
      if (argv[i + 1]?.value !== sub) return undefined;
      i += 2;
      continue;
    }
    if (isPython(name)) {
      // python [-u] [-O] [-X opt] -m MODULE ...
      let j = i + 1;
      while (j < argv.length) {
        const a = (argv[j] as ArgWord).value;
        if (a === '-m') break;
        if (a === '-X' || a === '-W') j += 2;
        else if (/^-[a-zA-Z]+$/.test(a)) j++;
        else return { program: name, span: w.span, args: argv.slice(i + 1), argv };
      }
      const mod = argv[j + 1];
      if (!mod || mod.dynamic) return { program: name, span: w.span, args: argv.slice(i + 1), argv };
      return { program: mod.value, span: mod.span, args: argv.slice(j + 2), argv };
    }
    return { program: name, span: w.span, args: argv.slice(i + 1), argv };
  }
  return undefined;
}

/**
 * Every program the container's manifest shows it starting: the argv itself, or, for a
 * `sh -c` script, each simple command of the script (words carry the script's span).
 * Empty when nothing is written or the script is beyond the small shell reader.
 */
export function launchesOf(c: ContainerView): readonly Launch[] {
  let known = launchesMemo.get(c);
  if (known === undefined) {
    known = readLaunches(c);
    launchesMemo.set(c, known);
  }
  return known;
}

function readLaunches(c: ContainerView): Launch[] {
  const argv = argvOf(c);
  if (!argv) return [];
  const sh = shellScriptOf(argv.map((w) => w.value));
  if (!sh) {
    const l = launchOf(argv);
    return l ? [l] : [];
  }
  const scriptWord = argv[sh.scriptIndex] as ArgWord;
  if (scriptWord.dynamic) return [];
  const parsed = parseShell(sh.script);
  if (parsed.complex) return [];
  const out: Launch[] = [];
  for (const cmd of parsed.commands) {
    const words = commandWords(cmd).map((w) => ({ value: w.value, span: scriptWord.span, dynamic: w.dynamic }));
    const l = launchOf(words);
    if (l) out.push(l);
  }
  return out;
}

/** The first launch of this program (by basename). */
export function launchOfProgram(c: ContainerView, programs: ReadonlySet<string>): Launch | undefined {
  return launchesOf(c).find((l) => programs.has(l.program));
}

export interface FlagValue {
  /** The flag as written (`--graceful-timeout`, `-t`). */
  readonly flag: string;
  readonly value: string;
  readonly span: Span;
  readonly dynamic: boolean;
}

/**
 * The last value of an option in a command's words: `--name value`, `--name=value`, and for
 * one-letter options `-t value` and `-t25`. Options after a lone `--` are not options.
 */
export function flagValue(args: readonly ArgWord[], names: readonly string[], opts: { readonly caseInsensitive?: boolean } = {}): FlagValue | undefined {
  const norm = (s: string): string => (opts.caseInsensitive ? s.toLowerCase() : s);
  const wanted = new Set(names.map(norm));
  let found: FlagValue | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as ArgWord;
    if (w.value === '--') break;
    const eq = w.value.indexOf('=');
    if (w.value.startsWith('--') && eq > 0 && wanted.has(norm(w.value.slice(0, eq)))) {
      found = { flag: w.value.slice(0, eq), value: w.value.slice(eq + 1), span: w.span, dynamic: w.dynamic };
      continue;
    }
    if (wanted.has(norm(w.value))) {
      const next = args[i + 1];
      if (next && !next.value.startsWith('-')) {
        found = { flag: w.value, value: next.value, span: next.span, dynamic: next.dynamic };
        i++;
      }
      continue;
    }
    for (const n of wanted) {
      // -t25: a one-letter short option with its value attached.
      if (/^-[a-zA-Z]$/.test(n) && w.value.length > 2 && w.value.startsWith(n) && /^\d/.test(w.value.slice(2))) {
        found = { flag: n, value: w.value.slice(2), span: w.span, dynamic: w.dynamic };
      }
    }
  }
  return found;
}

/** True when any of these options appears (with or without a value). */
export function hasFlag(args: readonly ArgWord[], names: readonly string[]): boolean {
  for (const w of args) {
    if (w.value === '--') return false;
    for (const n of names) if (w.value === n || w.value.startsWith(`${n}=`) || (/^-[a-zA-Z]$/.test(n) && w.value.startsWith(n) && w.value.length > 2)) return true;
  }
  return false;
}

/** Splits an options string the way Python's shlex does for simple cases (quotes, backslashes); undefined on unbalanced quotes. */
export function splitWords(text: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i];
      continue;
    }
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close === -1) return undefined;
      cur += text.slice(i + 1, close);
      i = close;
      continue;
    }
    cur += ch;
  }
  if (inWord) out.push(cur);
  return out;
}

/** Words of an options string held in an env value, each with the env value's span. */
export function envWords(v: { readonly value: string; readonly span: Span }): ArgWord[] | undefined {
  return splitWords(v.value)?.map((value) => ({ value, span: v.span, dynamic: false }));
}

/** A whole number of seconds ("60"); undefined otherwise. */
export function parseIntSeconds(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** A word whose whole value comes from a variable (`$OPTS`, an unresolved `$(VAR)`): it may hold any options. */
export function mayHoldOptions(w: ArgWord): boolean {
  return w.dynamic && w.value.startsWith('$');
}
