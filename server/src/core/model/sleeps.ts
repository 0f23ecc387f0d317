/**
 * The shapes of "just a sleep" preStop hooks, for the rules and refactorings that convert
 * between the exec and the native form, and for those that rewrite a sleep's length.
 */
import { isSleepCommand } from './hooks';
import { basename, commandWords, parseShell, shellScriptOf, SHELLS, sleepArgsSeconds, sleepOperandSeconds } from './shell';
import type { PreStopView } from './workloads';

/** Where the sleep's length is written in an exec hook. */
export type SleepOperand =
  /** `["sleep", "15"]`: the argv item. */
  | { readonly kind: 'argv'; readonly argvIndex: number; readonly text: string }
  /** `["sh", "-c", "sleep 15 && …"]`: an offset in the script item. */
  | { readonly kind: 'script'; readonly argvIndex: number; readonly scriptOffset: number; readonly text: string };

export interface PlainSleep {
  /** Whole seconds, when the length is a whole number of seconds. */
  readonly seconds: number;
  readonly operand: SleepOperand;
}

/**
 * `["sleep","N"]` (any path to sleep) or a shell running exactly `sleep N`: the seconds when
 * N is a whole number of seconds (15, 15s, 1m). Anything else: undefined.
 */
export function plainExecSleep(argv: readonly string[]): PlainSleep | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  if (isSleepCommand(first)) {
    if (argv.length !== 2) return undefined;
    const text = argv[1] as string;
    const s = sleepOperandSeconds(text);
    if (s === undefined || !Number.isInteger(s)) return undefined;
    return { seconds: s, operand: { kind: 'argv', argvIndex: 1, text } };
  }
  const sh = shellScriptOf(argv);
  if (!sh || sh.scriptIndex !== argv.length - 1) return undefined;
  const parsed = parseShell(sh.script);
  if (parsed.complex || parsed.commands.length !== 1) return undefined;
  const cmd = parsed.commands[0];
  if (!cmd || cmd.sep !== 'end' || cmd.words.length !== 2) return undefined;
  const words = commandWords(cmd);
  if (words.length !== 2 || !isSleepCommand(words[0]?.value ?? '')) return undefined;
  const s = sleepArgsSeconds(words.slice(1));
  if (s === undefined || !Number.isInteger(s)) return undefined;
  const op = operandInScript(sh.script, cmd.start);
  if (!op) return undefined;
  return { seconds: s, operand: { kind: 'script', argvIndex: sh.scriptIndex, scriptOffset: op.offset, text: op.text } };
}

/**
 * The single `sleep` of an exec hook whose length decides the hook's duration: the argv form,
 * or the one sleep of a shell script (`sleep 2 && nginx -s quit`). Undefined when there are
 * several sleeps or the operand is not a plain number.
 */
export function soleExecSleep(argv: readonly string[]): SleepOperand | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  if (isSleepCommand(first)) {
    if (argv.length !== 2) return undefined;
    return { kind: 'argv', argvIndex: 1, text: argv[1] as string };
  }
  const sh = shellScriptOf(argv);
  if (!sh) return undefined;
  const parsed = parseShell(sh.script);
  if (parsed.complex) return undefined;
  const sleeps = parsed.commands.filter((c) => isSleepCommand(commandWords(c)[0]?.value ?? ''));
  if (sleeps.length !== 1) return undefined;
  const op = operandInScript(sh.script, (sleeps[0] as { start: number }).start);
  if (!op) return undefined;
  return { kind: 'script', argvIndex: sh.scriptIndex, scriptOffset: op.offset, text: op.text };
}

/** A plain numeric operand right after `sleep` at `start` in a script. */
function operandInScript(script: string, start: number): { offset: number; text: string } | undefined {
  const m = /^(?:[\w./-]*\/)?sleep[ \t]+(\d+(?:\.\d+)?[smhd]?)(?=[ \t\r\n;&|]|$)/.exec(script.slice(start));
  if (!m || m[1] === undefined) return undefined;
  return { offset: start + m[0].length - m[1].length, text: m[1] };
}

/** The argv[0] of an exec hook names a shell (or busybox running one). */
export function execNeedsShell(argv: readonly string[]): boolean {
  const name = basename(argv[0] ?? '');
  return SHELLS.has(name) || name === 'busybox';
}

/** The argv[0] of an exec hook is `sleep`. */
export function execNeedsSleep(argv: readonly string[]): boolean {
  return isSleepCommand(argv[0] ?? '');
}

/** Native sleep seconds of a hook, when it is the native form with an integer value. */
export function nativeSleepSeconds(p: PreStopView | undefined): number | undefined {
  return p?.form === 'sleep' ? p.sleepSeconds : undefined;
}
