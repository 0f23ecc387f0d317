/**
 * Fix builders: model-level intentions turned into minimal text edits through the YAML edit
 * layer. Each returns undefined when the edit cannot be shown to be safe.
 */
import { imageWithShell } from '../model/images';
import type { ContainerView, PodView } from '../model/workloads';
import { featureOnByDefault } from '../features';
import type { Settings } from '../settings';
import type { TextEdit } from '../types';
import type { SnippetValue } from '../yaml/edit';
import { graceBefore, sortedBefore } from '../yaml/placement';
import { childTarget, type EditTarget } from '../yaml/targets';
import { requiredGraceFor } from './grace';
import type { BuiltFix, FixEnv } from './types';

/** Whether the target version has the native sleep action on by default (see features.ts). */
export function nativeSleepSupported(settings: Settings): boolean {
  return featureOnByDefault('sleepAction', settings.kubernetesVersion);
}

/** The preStop hook value a fix inserts: native sleep where the version has it, else exec sleep. */
export function sleepHookValue(seconds: number, native: boolean): { readonly [key: string]: SnippetValue } {
  // The API's sleep.seconds is an integer, and a fix never inserts a sleep of zero.
  seconds = Math.max(1, Math.ceil(seconds));
  return native ? { sleep: { seconds } } : { exec: { command: ['sleep', String(seconds)] } };
}

/** Where adding a preStop hook writes: the container's `lifecycle.preStop`. */
export function preStopTarget(c: ContainerView): EditTarget {
  return childTarget(c.target, 'lifecycle', 'preStop');
}

/** Adds `preStop` to a container, creating `lifecycle` when needed. */
export function addPreStopEdit(pod: PodView, c: ContainerView, hook: { readonly [key: string]: SnippetValue }, env: FixEnv): TextEdit | undefined {
  if (c.viaAlias || pod.specViaAlias || c.preStop) return undefined;
  const lifecycle = childTarget(c.target, 'lifecycle');
  switch (c.lifecycle) {
    case 'absent': {
      const before = sortedBefore(env.chunk.keyShapes(c.target).map((k) => k.key), 'lifecycle') ?? [];
      return env.chunk.insertEntry(c.target, 'lifecycle', { preStop: hook }, { before });
    }
    case 'empty':
      return env.chunk.fillEmptyValue(lifecycle, { preStop: hook });
    case 'map':
      return env.chunk.insertEntry(lifecycle, 'preStop', hook);
    case 'other':
      return undefined;
  }
}

/** Sets (or inserts) the pod's terminationGracePeriodSeconds. */
export function setGraceEdit(pod: PodView, seconds: number, env: FixEnv): TextEdit | undefined {
  if (pod.specViaAlias) return undefined;
  if (pod.grace.explicit && !pod.grace.valid) return undefined;
  return env.chunk.setScalar(pod.grace.target, Math.ceil(seconds), { before: graceBefore(env.chunk.parentKeyShapes(pod.grace.target)) });
}

/**
 * Adds a preStop sleep and, when needed, raises the grace period so that it covers sleep + shutdown.
 * The sleep is `preStopSleepSeconds`, or `minSeconds` (what the path in front of the pod needs) when longer.
 */
export function addPreStopFix(pod: PodView, c: ContainerView, env: FixEnv, minSeconds = 0): BuiltFix | undefined {
  if (!pod.grace.valid) return undefined;
  const seconds = Math.max(env.settings.preStopSleepSeconds, Math.ceil(minSeconds));
  // `sleep.seconds` is an integer in the API; the settings validators ensure this, callers of the core may not.
  if (!Number.isInteger(seconds) || seconds < 1) return undefined;
  const native = nativeSleepSupported(env.settings);
  const hook = sleepHookValue(seconds, native);
  const edit = addPreStopEdit(pod, c, hook, env);
  if (!edit) return undefined;
  const edits: TextEdit[] = [edit];
  const touches: EditTarget[] = [preStopTarget(c)];
  const needed = requiredGraceFor(pod, env.settings, { container: c, seconds }, env.configMaps);
  // Hooks do not run at a grace period of 0 or less: the grace must be raised with the hook.
  if (pod.grace.seconds < needed || (pod.grace.raw !== undefined && pod.grace.raw <= 0)) {
    const g = setGraceEdit(pod, Math.max(needed, pod.grace.seconds), env);
    if (!g) return undefined;
    edits.push(g);
    touches.push(pod.grace.target);
  }
  // Below 1.30 the hook is an exec: sure to run only in images known to have `sleep`.
  const caveat = native || imageWithShell(c.image, env.settings) ? '' : ' (needs a `sleep` binary in the image)';
  const form = native ? `sleep action of ${seconds} s` : `exec "sleep ${seconds}"${caveat}`;
  const grace = edits.length > 1 ? ` and raise terminationGracePeriodSeconds to ${Math.max(needed, pod.grace.seconds)}` : '';
  return { title: `Add a preStop ${form}${grace}`, edits, touches };
}

/** Sets the grace period to what the hooks, the app's shutdown and any sidecars need (see grace.ts). */
export function graceFix(pod: PodView, env: FixEnv): BuiltFix | undefined {
  if (!pod.grace.valid) return undefined;
  const needed = requiredGraceFor(pod, env.settings, undefined, env.configMaps);
  if (pod.grace.raw !== undefined && pod.grace.raw > 0 && needed <= pod.grace.raw) return undefined;
  const edit = setGraceEdit(pod, needed, env);
  if (!edit) return undefined;
  return { title: `Set terminationGracePeriodSeconds to ${needed}`, edits: [edit], touches: [pod.grace.target] };
}
