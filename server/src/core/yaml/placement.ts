/**
 * Where a fix puts what it adds, so that the result looks like the rest of the file:
 * - in a map whose keys are sorted (generated manifests: kubectl, kustomize, Go encoders), a
 *   new key goes in its sorted place;
 * - a new `terminationGracePeriodSeconds` goes with the pod's other scalar fields, never
 *   between `initContainers` and `containers`;
 * - `lifecycle: {}` on its own line in a block map becomes a block mapping, not a flow one.
 * The decisions are small functions of the map's keys; edit.ts renders the text.
 */
import { isScalar, type Node } from 'yaml';
import type { TextEdit } from '../types';
import type { DocContext, YMap } from './nodes';
import { columnOf, lineEndOf, lineStartOf, onlyIndentBefore } from './text';

export interface KeyShape {
  readonly key: string;
  /** The value is a scalar (or empty), not a map or a list. */
  readonly scalar: boolean;
}

/** The keys of a map in order, with whether each value is a scalar; non-string keys are left out. */
export function keyShapes(map: YMap): KeyShape[] {
  const out: KeyShape[] = [];
  for (const pair of map.items as { key: unknown; value: unknown }[]) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
    const v = pair.value as Node | null | undefined;
    out.push({ key: pair.key.value, scalar: v === null || v === undefined || isScalar(v) });
  }
  return out;
}

/** Keys sorted in byte order (as Go's encoders write them), with at least three to tell. */
export function sortedKeys(keys: readonly string[]): boolean {
  if (keys.length < 3) return false;
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/** In a sorted map, the keys a new key goes before (the first that exists wins); undefined when the map is not sorted. */
export function sortedBefore(keys: readonly string[], key: string): string[] | undefined {
  if (!sortedKeys(keys)) return undefined;
  return keys.filter((k) => k > key);
}

/**
 * Where `terminationGracePeriodSeconds` goes in a pod spec: its sorted place in a sorted spec;
 * else right after the spec's last scalar field (restartPolicy, serviceAccountName, …); with
 * none, before the containers (and before initContainers when those come first).
 * Returns the keys to insert before; an empty list means at the end of the map.
 */
export function graceBefore(shapes: readonly KeyShape[]): string[] {
  const key = 'terminationGracePeriodSeconds';
  const keys = shapes.map((s) => s.key);
  const sorted = sortedBefore(keys, key);
  if (sorted) return sorted;
  let lastScalar = -1;
  shapes.forEach((s, i) => {
    if (s.scalar) lastScalar = i;
  });
  const pods = keys.filter((k) => k === 'initContainers' || k === 'containers');
  if (lastScalar === -1) return pods;
  const next = keys.slice(lastScalar + 1);
  // Never between initContainers and containers.
  if (next[0] === 'containers' && keys[lastScalar - 1] === 'initContainers') return pods;
  return next;
}

/** In a block map, `key: {}` alone on its line becomes `key:` followed by the block lines. */
export function emptyFlowToBlock(ctx: DocContext, text: string, pair: { key: unknown; value: unknown }, block: string): TextEdit | undefined {
  const k = pair.key;
  const v = pair.value as Node | null;
  if (!isScalar(k) || !k.range || !v?.range) return undefined;
  const keyStart = ctx.base + k.range[0];
  const before = text.slice(lineStartOf(text, keyStart), keyStart);
  if (!onlyIndentBefore(text, keyStart) && !/^\s*-\s+$/.test(before)) return undefined;
  const vStart = ctx.base + v.range[0];
  const vEnd = ctx.base + v.range[1];
  if (text.slice(vEnd, lineEndOf(text, vEnd)).trim() !== '') return undefined;
  const colon = text.lastIndexOf(':', vStart);
  if (colon < keyStart || columnOf(text, colon) < columnOf(text, keyStart)) return undefined;
  return { start: colon + 1, end: vEnd, newText: block };
}
