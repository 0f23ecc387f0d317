/** Pod-level timing facts shared by rules, hovers and fixes. */
import type { HookDuration } from './hooks';
import type { ContainerView, PodView } from './workloads';

export interface TimedHook {
  readonly container: ContainerView;
  readonly duration: HookDuration;
}

/** Hooks with a known duration, main containers and native sidecars alike (they all start together). */
export function timedHooks(pod: PodView): TimedHook[] {
  const out: TimedHook[] = [];
  for (const c of [...pod.containers, ...pod.sidecars]) {
    const d = c.preStop?.duration;
    if (d) out.push({ container: c, duration: d });
  }
  return out;
}

/** The longest known hook; undefined when no hook has a known duration. */
export function longestHook(pod: PodView): TimedHook | undefined {
  let best: TimedHook | undefined;
  for (const h of timedHooks(pod)) if (!best || h.duration.seconds > best.duration.seconds) best = h;
  return best;
}

/** "10 s", "at least 10 s", "1.5 s". */
export function formatSeconds(d: HookDuration | number): string {
  const s = typeof d === 'number' ? d : d.seconds;
  const text = `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  return typeof d === 'number' || d.exact ? text : `at least ${text}`;
}

export function containerLabel(c: ContainerView): string {
  const kind = c.role === 'sidecar' ? 'sidecar' : 'container';
  return c.name !== undefined ? `${kind} "${c.name}"` : `${kind} #${c.index + 1}`;
}

/** The same label starting with a capital, for the start of a message. */
export function containerLabelCapitalized(c: ContainerView): string {
  const l = containerLabel(c);
  return l.charAt(0).toUpperCase() + l.slice(1);
}
