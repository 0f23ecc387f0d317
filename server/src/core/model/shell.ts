/**
 * A deliberately small reader of POSIX shell scripts as found in `sh -c` hooks and commands:
 * simple commands joined by `;`, newlines, `&&`, `||`, `&` and `|`. Anything richer
 * (compound commands, substitutions, subshells, here-documents) makes the script "complex",
 * and callers then know nothing about it.
 */

export type Separator = ';' | '&&' | '||' | '&' | '|' | 'end';

export interface Word {
  /** The word with quotes removed. */
  readonly value: string;
  /** Contains a parameter expansion or glob whose value is not known statically. */
  readonly dynamic: boolean;
}

export interface SimpleCommand {
  readonly words: readonly Word[];
  /** The operator that follows this command. */
  readonly sep: Separator;
  /** Offset in the script where the command starts. */
  readonly start: number;
}

export type ShellParse = { readonly complex: false; readonly commands: readonly SimpleCommand[] } | { readonly complex: true };

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'while', 'until', 'for', 'do', 'done', 'case', 'esac', 'function', 'select', '{', '}', '!', '[[', ']]']);

interface ReadWord {
  readonly value: string;
  readonly dynamic: boolean;
  readonly quotedAny: boolean;
  /** Offset after the word. */
  readonly end: number;
}

/** A double-quoted string starting at `i` (the quote): its value and whether it expands anything; undefined when it is not simple. */
function readDoubleQuoted(script: string, i: number): { value: string; dynamic: boolean; end: number } | undefined {
  const n = script.length;
  let value = '';
  let dynamic = false;
  let j = i + 1;
  while (j < n && script[j] !== '"') {
    const e = script[j] as string;
    if (e === '\\' && j + 1 < n) {
      value += script[j + 1];
      j += 2;
      continue;
    }
    if (e === '`') return undefined;
    if (e === '$') {
      if (script[j + 1] === '(') return undefined;
      dynamic = true;
    }
    value += e;
    j++;
  }
  if (j >= n) return undefined;
  return { value, dynamic, end: j + 1 };
}

/** One shell word starting at `i`, quotes removed; undefined for what this reader does not understand. */
function readWord(script: string, i: number): ReadWord | undefined {
  const n = script.length;
  let value = '';
  let dynamic = false;
  let quotedAny = false;
  while (i < n) {
    const d = script[i] as string;
    if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === ';' || d === '&' || d === '|' || d === '(' || d === ')') break;
    if (d === '`') return undefined;
    if (d === '\\') {
      if (i + 1 < n) value += script[i + 1];
      i += 2;
      continue;
    }
    if (d === "'") {
      const close = script.indexOf("'", i + 1);
      if (close === -1) return undefined;
      value += script.slice(i + 1, close);
      quotedAny = true;
      i = close + 1;
      continue;
    }
    if (d === '"') {
      const q = readDoubleQuoted(script, i);
      if (!q) return undefined;
      value += q.value;
      dynamic ||= q.dynamic;
      quotedAny = true;
      i = q.end;
      continue;
    }
    if (d === '$') {
      if (script[i + 1] === '(') return undefined;
      dynamic = true;
    }
    if (d === '*' || d === '?' || d === '[') dynamic = true;
    if ((d === '<' && script[i + 1] === '<') || (d === '<' && script[i + 1] === '(') || (d === '>' && script[i + 1] === '(')) return undefined;
    value += d;
    i++;
  }
  return { value, dynamic, quotedAny, end: i };
}

export function parseShell(script: string): ShellParse {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let cmdStart = -1;
  let i = 0;
  const n = script.length;
  const finish = (sep: Separator): boolean => {
    if (words.length === 0) {
      // `a && && b` or a leading operator: not a script we understand. Empty statements between ';' are fine.
      return sep === ';' || sep === 'end';
    }
    commands.push({ words, sep, start: cmdStart });
    words = [];
    cmdStart = -1;
    return true;
  };
  while (i < n) {
    const c = script[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#' ) {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' || c === ';') {
      if (script[i + 1] === ';') return { complex: true };
      if (!finish(';')) return { complex: true };
      i++;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = script.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        if (!finish(two)) return { complex: true };
        i += 2;
        continue;
      }
      if (c === '&' && script[i + 1] === '>') return { complex: true };
      if (!finish(c)) return { complex: true };
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '`') return { complex: true };
    // A word.
    if (cmdStart === -1) cmdStart = i;
    const w = readWord(script, i);
    if (!w) return { complex: true };
    const { value, dynamic, quotedAny } = w;
    i = w.end;
    if (words.length === 0 && !quotedAny && KEYWORDS.has(value)) return { complex: true };
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value) && !quotedAny) {
      // A variable assignment prefix; assignments alone are fine, they take no time.
      words.push({ value, dynamic: true });
      continue;
    }
    words.push({ value, dynamic });
  }
  if (!finish('end')) return { complex: true };
  return { complex: false, commands };
}

/** The words of a command without leading assignments and redirections. */
export function commandWords(cmd: SimpleCommand): Word[] {
  const out: Word[] = [];
  let skipNext = false;
  for (const w of cmd.words) {
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (out.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value)) continue;
    if (/^\d*(>>?|<|>&|<&)$/.test(w.value)) {
      skipNext = true;
      continue;
    }
    if (/^\d*(>>?|<|>&|<&)\S/.test(w.value)) continue;
    out.push(w);
  }
  return out;
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

/**
 * If argv runs a shell with `-c SCRIPT`, the script and its shell; undefined otherwise.
 * Understands `sh -c`, `/bin/bash -ec`, `busybox sh -c`, `sh -x -c`.
 */
export function shellScriptOf(argv: readonly string[]): { shell: string; script: string; scriptIndex: number } | undefined {
  let i = 0;
  let shell = basename(argv[0] ?? '');
  if (shell === 'busybox' && SHELLS.has(argv[1] ?? '')) {
    shell = argv[1] as string;
    i = 1;
  }
  if (!SHELLS.has(shell)) return undefined;
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j] as string;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
      const script = argv[j + 1];
      return script === undefined ? undefined : { shell, script, scriptIndex: j + 1 };
    }
    if (a === '-o' || a === '+o') {
      j++;
      continue;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) return undefined;
  }
  return undefined;
}

/** Seconds of one `sleep` operand: `15`, `1.5`, `15s`, `2m`, `1h`, `1d`; undefined otherwise. */
export function sleepOperandSeconds(arg: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const v = Number(m[1]);
  const mult = m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : m[2] === 'd' ? 86400 : 1;
  return v * mult;
}

/** Seconds of a `sleep` command's operands (GNU sleep adds them up); undefined when any is unknown. */
export function sleepArgsSeconds(args: readonly Word[]): number | undefined {
  if (args.length === 0) return undefined;
  let total = 0;
  for (const a of args) {
    if (a.dynamic) return undefined;
    const s = sleepOperandSeconds(a.value);
    if (s === undefined) return undefined;
    total += s;
  }
  return total;
}
