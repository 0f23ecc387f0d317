/**
 * Fix builders: model-level intentions turned into minimal text edits through the YAML edit
 * layer. Each returns undefined when the edit cannot be shown to be safe.
 */
import { imageWithShell } from '../model/images';
import type { ContainerView, PodView } from '../model/workloads';
import { versionAtLeast, type Settings } from '../settings';
import type { Fix, TextEdit } from '../types';
import { fillEmptyScalar, fillEmptyValue, insertEntry, replaceScalar, type SnippetValue } from '../yaml/edit';
import { asMap } from '../yaml/nodes';
import { graceBefore, keyShapes, sortedBefore } from '../yaml/placement';
import type { FixEnv } from '../rules/types';
import { requiredGraceFor } from './grace';

/** Native sleep is on by default from 1.30 (beta), GA in 1.34. */
export function nativeSleepSupported(settings: Settings): boolean {
  return versionAtLeast(settings.kubernetesVersion, 1, 30);
}

/** The preStop hook value a fix inserts: native sleep where the version has it, else exec sleep. */
export function sleepHookValue(seconds: number, native: boolean): { readonly [key: string]: SnippetValue } {
  return native ? { sleep: { seconds } } : { exec: { command: ['sleep', String(seconds)] } };
}

/** Adds `preStop` to a container, creating `lifecycle` when needed. */
export function addPreStopEdit(pod: PodView, c: ContainerView, hook: { readonly [key: string]: SnippetValue }, env: FixEnv): TextEdit | undefined {
  if (c.viaAlias || pod.specViaAlias || c.preStop) return undefined;
  const { ctx } = pod;
  switch (c.lifecycle) {
    case 'absent':
      return insertEntry(ctx, env.text, c.map, 'lifecycle', { preStop: hook }, env.style, { before: sortedBefore(keyShapes(c.map).map((k) => k.key), 'lifecycle') ?? [] });
    case 'empty': {
      const e = c.lifecycleEntry;
      if (!e || e.viaAlias) return undefined;
      return fillEmptyValue(ctx, env.text, e.pair, { preStop: hook }, env.style);
    }
    case 'map': {
      const e = c.lifecycleEntry;
      const m = asMap(e?.value ?? null);
      if (!e || e.viaAlias || !m) return undefined;
      return insertEntry(ctx, env.text, m, 'preStop', hook, env.style);
    }
    case 'other':
      return undefined;
  }
}

/** Sets (or inserts) the pod's terminationGracePeriodSeconds. */
export function setGraceEdit(pod: PodView, seconds: number, env: FixEnv): TextEdit | undefined {
  if (pod.specViaAlias) return undefined;
  const value = String(Math.ceil(seconds));
  const e = pod.grace.entry;
  if (e) {
    if (e.viaAlias) return undefined;
    if (e.value === null || pod.grace.raw === undefined) {
      if (!pod.grace.valid) return undefined;
      return fillEmptyScalar(pod.ctx, env.text, e.pair, value);
    }
    return replaceScalar(pod.ctx, e.value, value);
  }
  return insertEntry(pod.ctx, env.text, pod.spec, 'terminationGracePeriodSeconds', Number(value), env.style, { before: graceBefore(keyShapes(pod.spec)) });
}

/** Adds a preStop sleep and, when needed, raises the grace period so that it covers sleep + shutdown. */
export function addPreStopFix(pod: PodView, c: ContainerView, env: FixEnv): Fix | undefined {
  if (!pod.grace.valid) return undefined;
  const seconds = env.settings.preStopSleepSeconds;
  const native = nativeSleepSupported(env.settings);
  const hook = sleepHookValue(seconds, native);
  const edit = addPreStopEdit(pod, c, hook, env);
  if (!edit) return undefined;
  const edits: TextEdit[] = [edit];
  const needed = requiredGraceFor(pod, env.settings, { container: c, seconds });
  if (pod.grace.seconds < needed) {
    const g = setGraceEdit(pod, needed, env);
    if (!g) return undefined;
    edits.push(g);
  }
  // Below 1.30 the hook is an exec: sure to run only in images known to have `sleep`.
  const caveat = native || imageWithShell(c.image, env.settings) ? '' : ' (needs a `sleep` binary in the image)';
  const form = native ? `sleep action of ${seconds} s` : `exec "sleep ${seconds}"${caveat}`;
  const grace = edits.length > 1 ? ` and raise terminationGracePeriodSeconds to ${needed}` : '';
  return { title: `Add a preStop ${form}${grace}`, edits };
}

/** Sets the grace period to what the hooks, the app's shutdown and any sidecars need (see grace.ts). */
export function graceFix(pod: PodView, env: FixEnv): Fix | undefined {
  if (!pod.grace.valid) return undefined;
  const needed = requiredGraceFor(pod, env.settings);
  if (pod.grace.raw !== undefined && pod.grace.raw > 0 && needed <= pod.grace.raw) return undefined;
  const edit = setGraceEdit(pod, needed, env);
  if (!edit) return undefined;
  return { title: `Set terminationGracePeriodSeconds to ${needed}`, edits: [edit] };
}
