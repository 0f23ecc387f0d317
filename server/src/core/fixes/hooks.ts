/**
 * Fixes on an existing preStop hook or container command: convert between the sleep forms,
 * lengthen a sleep, start a shell script's last command with `exec`, and raise the grace
 * period for a mesh drain. Each returns undefined when the edit cannot be located exactly.
 */
import type { MeshDrain } from '../model/mesh';
import { soleExecSleep, type PlainSleep } from '../model/sleeps';
import type { ContainerView, PodView } from '../model/workloads';
import { shellWrapperOf } from '../model/wrappers';
import type { TextEdit } from '../types';
import { childTarget, type EditTarget } from '../yaml/targets';
import { nativeSleepSupported, setGraceEdit } from './builders';
import { requiredGraceFor } from './grace';
import { execToNativeEdit, nativeToExecEdit, setExecSleepEdit, setNativeSleepEdit } from './sleep-forms';
import type { BuiltFix, FixEnv } from './types';

/** An exec sleep → the native sleep action, raising the grace period when the API server would reject the sleep. */
export function toNativeSleepFix(pod: PodView, c: ContainerView, plain: PlainSleep, env: FixEnv): BuiltFix | undefined {
  const p = c.preStop;
  if (!p || !nativeSleepSupported(env.settings) || !pod.grace.valid) return undefined;
  const edit = execToNativeEdit(pod, c, plain, env);
  if (!edit) return undefined;
  const edits: TextEdit[] = [edit];
  const touches: EditTarget[] = [p.target];
  // The API server rejects a sleep action longer than the grace period.
  if (plain.seconds > pod.grace.seconds || (pod.grace.raw !== undefined && pod.grace.raw <= 0)) {
    const g = setGraceEdit(pod, Math.max(requiredGraceFor(pod, env.settings, { container: c, seconds: plain.seconds }, env.configMaps), pod.grace.seconds), env);
    if (!g) return undefined;
    edits.push(g);
    touches.push(pod.grace.target);
  }
  return { title: `Convert to the native sleep action of ${plain.seconds} s`, edits, touches };
}

/** The native sleep action → an exec sleep of the same length. */
export function toExecSleepFix(pod: PodView, c: ContainerView, env: FixEnv): BuiltFix | undefined {
  const p = c.preStop;
  if (!p) return undefined;
  const edit = nativeToExecEdit(pod, c, env);
  if (!edit) return undefined;
  return { title: `Convert to an exec sleep of ${p.sleepSeconds ?? 0} s`, edits: [edit], touches: [p.target] };
}

/** Sets the hook's sleep to `seconds` and, when the rest of the grace period would get too short, raises it. */
export function lengthenSleepFix(pod: PodView, c: ContainerView, seconds: number, env: FixEnv): BuiltFix | undefined {
  const p = c.preStop;
  if (!p || !pod.grace.valid || c.viaAlias || pod.specViaAlias) return undefined;
  let edit: TextEdit | undefined;
  if (p.form === 'sleep') edit = setNativeSleepEdit(pod, c, seconds, env);
  else if (p.form === 'exec' && p.execCommand) {
    const op = soleExecSleep(p.execCommand);
    if (op) edit = setExecSleepEdit(pod, c, op, seconds, env);
  }
  if (!edit) return undefined;
  const edits: TextEdit[] = [edit];
  const touches: EditTarget[] = [p.target];
  // Hooks do not run at a grace period of 0 or less: lengthening one there means nothing.
  if (pod.grace.raw !== undefined && pod.grace.raw <= 0) return undefined;
  // The duration is exact and comes from this one sleep, so the hook now takes `seconds`.
  if (pod.grace.seconds - seconds < env.settings.minShutdownSeconds) {
    const needed = Math.max(requiredGraceFor(pod, env.settings, { container: c, seconds }, env.configMaps), pod.grace.seconds);
    const g = setGraceEdit(pod, needed, env);
    if (!g) return undefined;
    edits.push(g);
    touches.push(pod.grace.target);
    return { title: `Sleep ${seconds} s before SIGTERM and raise terminationGracePeriodSeconds to ${needed}`, edits, touches };
  }
  return { title: `Sleep ${seconds} s before SIGTERM`, edits, touches };
}

/** Puts `exec ` before the last command of the container's shell script. */
export function execPrefixFix(pod: PodView, c: ContainerView, scriptOffset: number, env: FixEnv): BuiltFix | undefined {
  const w = shellWrapperOf(c);
  if (!w || c.viaAlias || pod.specViaAlias) return undefined;
  const target = childTarget(c.target, w.in, w.index);
  const edit = env.chunk.insertInScalar(target, scriptOffset, 'exec ');
  if (!edit) return undefined;
  return { title: 'Start the last command with exec', edits: [edit], touches: [target] };
}

/** Seconds the grace period needs so that the drain ends on its own: drain + minShutdownSeconds, and what the hooks need. */
export function meshGraceNeeded(pod: PodView, drain: MeshDrain, env: Pick<FixEnv, 'settings' | 'configMaps'>): number {
  return Math.max(Math.ceil(drain.seconds) + env.settings.minShutdownSeconds, requiredGraceFor(pod, env.settings, undefined, env.configMaps));
}

export function meshGraceFix(pod: PodView, drain: MeshDrain, env: FixEnv): BuiltFix | undefined {
  if (!pod.grace.valid) return undefined;
  const needed = meshGraceNeeded(pod, drain, env);
  if (needed <= pod.grace.seconds && !(pod.grace.raw !== undefined && pod.grace.raw <= 0)) return undefined;
  const edit = setGraceEdit(pod, needed, env);
  if (!edit) return undefined;
  return { title: `Set terminationGracePeriodSeconds to ${needed}`, edits: [edit], touches: [pod.grace.target] };
}
