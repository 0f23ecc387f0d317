/**
 * Containers whose PID 1 is a shell running a script (`command: ["sh", "-c", SCRIPT]`, or
 * the script in `args`), and whether that script leaves the shell in place of the app.
 *
 * What the shells do, measured with `sh -c SCRIPT` (bash 5.2, Debian dash 0.5.12, BusyBox
 * ash 1.35): bash 5.1+ and BusyBox ash replace themselves with the last command of the
 * script when nothing follows it (bash not when it has a redirection); Debian's dash never
 * does, not even for a lone command; bash before 5.1 does it only for a lone command. A
 * shell that stays PID 1 has no SIGTERM handler, so the kernel drops the signal, and it
 * does not pass it on: the app is SIGKILLed when the grace period ends.
 */
import { basename, commandWords, parseShell, shellScriptOf, type SimpleCommand } from './shell';
import type { ContainerView } from './workloads';

export interface ShellWrapper {
  readonly shell: string;
  readonly script: string;
  /** Where the script is written. */
  readonly in: 'command' | 'args';
  /** Index of the script in that list. */
  readonly index: number;
}

/** The `-c` script a container's PID 1 shell runs; undefined when PID 1 is not a shell with -c. */
export function shellWrapperOf(c: ContainerView): ShellWrapper | undefined {
  const command = c.command;
  if (!command || command.length === 0) return undefined;
  const argv = [...command, ...(c.args ?? [])];
  if (c.args === undefined && c.argsSpan !== undefined) return undefined; // args present but not a list of strings
  const sh = shellScriptOf(argv);
  if (!sh) return undefined;
  const inCommand = sh.scriptIndex < command.length;
  return { shell: sh.shell, script: sh.script, in: inCommand ? 'command' : 'args', index: inCommand ? sh.scriptIndex : sh.scriptIndex - command.length };
}

/**
 * `$(VAR)` in command and args is Kubernetes' own expansion, done before the shell starts,
 * not a command substitution: read it as an unknown parameter (`${VAR}`, the same length, so
 * offsets into the script stay valid). Only upper-case names, as environment variables are
 * written: `$(hostname)` is the shell's. `$$(` is the escaped form and stays as it is.
 */
export function kubernetesExpanded(script: string): string {
  return script.replace(/(\$?)\$\(([A-Z_][A-Z0-9_]*)\)/g, (m, escaped: string, name: string) => (escaped ? m : `\${${name}}`));
}

/** Commands that, as the script's last one, mean the shell itself is meant to stay (or that end the script at once). */
const NOT_THE_APP = new Set([
  'wait', 'sleep', 'tail', 'cat', 'read', 'true', 'false', ':', 'echo', 'printf', 'exit', 'return', 'cd', 'export', 'set',
  'unset', 'source', '.', 'eval', 'shift', 'kill', 'test', '[', 'trap', 'ulimit', 'umask', 'exec',
]);

export type WrapperVerdict =
  | { readonly blocks: false }
  | {
      readonly blocks: true;
      /** The command the shell starts last without exec. */
      readonly last: SimpleCommand;
      readonly name: string;
      readonly commandCount: number;
      /** True when `exec ` can be put right before the command (no assignments or redirections first). */
      readonly prefixable: boolean;
    };

/**
 * Whether a `-c` script starts its long-running process without `exec`, in a way no shell
 * is sure to fix by itself: several commands (`;`, `&&`, newlines), the last a plain
 * command that is not exec. Not flagged: a lone command, a last `exec`, `wait`,
 * `sleep`/`tail` keep-alives, a `trap` anywhere, background jobs, a last command in a
 * pipeline or after `||`,
 * loops and anything else the small parser does not understand.
 */
export function wrapperVerdict(script: string): WrapperVerdict {
  const parsed = parseShell(kubernetesExpanded(script));
  if (parsed.complex) return { blocks: false };
  const cmds = parsed.commands;
  if (cmds.length < 2) return { blocks: false };
  for (const c of cmds) {
    if (c.sep === '&') return { blocks: false };
    const w = commandWords(c);
    if (basename(w[0]?.value ?? '') === 'trap') return { blocks: false };
  }
  const last = cmds[cmds.length - 1] as SimpleCommand;
  const prev = cmds[cmds.length - 2] as SimpleCommand;
  if (prev.sep !== ';' && prev.sep !== '&&') return { blocks: false };
  const words = commandWords(last);
  const first = words[0];
  if (!first || first.dynamic) return { blocks: false };
  const name = basename(first.value);
  if (NOT_THE_APP.has(name)) return { blocks: false };
  return { blocks: true, last, name, commandCount: cmds.length, prefixable: last.words[0] === first };
}
