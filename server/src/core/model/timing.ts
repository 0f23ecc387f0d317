/** Wording shared by rules, hovers and fixes: container labels and lengths. The timeline itself is timeline.ts. */
import type { HookDuration } from './hooks';
import type { ContainerView } from './workloads';

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
