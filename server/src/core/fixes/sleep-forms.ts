/**
 * Rewrites of a preStop hook between its two sleep forms — `exec: {command: ["sleep", "N"]}`
 * and the native `sleep: {seconds: N}` — and of a sleep's length. The hook's handler entry
 * is replaced in place, in the style it was written in (block or flow), at the indentation
 * its children already use. Undefined whenever that cannot be done exactly.
 */
import type { PlainSleep, SleepOperand } from '../model/sleeps';
import type { ContainerView, PodView } from '../model/workloads';
import type { TextEdit } from '../types';
import { childTarget } from '../yaml/targets';
import type { FixEnv } from './types';

/** `sleep: {seconds: N}` → `exec: {command: ["sleep", "N"]}`. */
export function nativeToExecEdit(pod: PodView, c: ContainerView, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'sleep' || p.sleepSeconds === undefined || p.sleepSeconds < 0 || c.viaAlias || pod.specViaAlias || p.viaAlias) return undefined;
  return env.chunk.replaceSoleEntry(p.target, 'sleep', 'exec', 'command', ['sleep', String(p.sleepSeconds)]);
}

/** `exec: {command: ["sleep", "N"]}` (or `sh -c "sleep N"`) → `sleep: {seconds: N}`. */
export function execToNativeEdit(pod: PodView, c: ContainerView, plain: PlainSleep, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'exec' || c.viaAlias || pod.specViaAlias || p.viaAlias) return undefined;
  return env.chunk.replaceSoleEntry(p.target, 'exec', 'sleep', 'seconds', plain.seconds);
}

/** Sets an exec hook's sleep operand to `seconds`, keeping a `s` suffix; undefined for other units. */
export function setExecSleepEdit(pod: PodView, c: ContainerView, op: SleepOperand, seconds: number, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'exec' || c.viaAlias || pod.specViaAlias || p.viaAlias) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s?)$/.exec(op.text);
  if (!m || m[1] === undefined) return undefined;
  const from = op.kind === 'argv' ? 0 : op.scriptOffset;
  return env.chunk.replaceInScalar(childTarget(p.target, 'exec', 'command', op.argvIndex), from, from + m[1].length, String(Math.ceil(seconds)));
}

/** Sets a native sleep action's seconds. */
export function setNativeSleepEdit(pod: PodView, c: ContainerView, seconds: number, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'sleep' || c.viaAlias || pod.specViaAlias || p.viaAlias || p.sleepSecondsSpan === undefined) return undefined;
  return env.chunk.setScalar(childTarget(p.target, 'sleep', 'seconds'), Math.ceil(seconds));
}
