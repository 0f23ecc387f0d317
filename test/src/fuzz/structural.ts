/**
 * A structural diff of plain JS values (what `yaml`'s `toJS()` gives, aliases and merges
 * resolved): the paths where two values differ, as deep as they can be followed. Used to
 * check that an edit changed nothing but the paths it was meant to change.
 */

export type PathPart = string | number;
export type ValuePath = readonly PathPart[];

export interface Difference {
  readonly path: ValuePath;
  /** `undefined` when the key or item was added. */
  readonly before: unknown;
  /** `undefined` when the key or item was removed. */
  readonly after: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

/** True when the two values are equal as data (object key order ignored, array order kept). */
export function sameValue(a: unknown, b: unknown): boolean {
  return structuralDiff(a, b, [], 1).length === 0;
}

/**
 * Every place where `before` and `after` differ. Objects are compared key by key (order
 * ignored), arrays item by item; a difference in type or in a scalar is reported at its path.
 * Stops after `limit` differences.
 */
export function structuralDiff(before: unknown, after: unknown, path: ValuePath = [], limit = Number.POSITIVE_INFINITY): Difference[] {
  const out: Difference[] = [];
  const walk = (a: unknown, b: unknown, p: PathPart[]): void => {
    if (out.length >= limit) return;
    if (Object.is(a, b)) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n && out.length < limit; i++) walk(i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined, [...p, i]);
      return;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of [...keys].sort()) {
        if (out.length >= limit) return;
        walk(Object.prototype.hasOwnProperty.call(a, k) ? a[k] : undefined, Object.prototype.hasOwnProperty.call(b, k) ? b[k] : undefined, [...p, k]);
      }
      return;
    }
    if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return;
    out.push({ path: p, before: a, after: b });
  };
  walk(before, after, [...path]);
  return out;
}

/** `a.b[2].c` */
export function formatPath(path: ValuePath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(root)';
}

/** True when `prefix` is a prefix of `path`. */
export function startsWith(path: ValuePath, prefix: ValuePath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/** The value at `path`, or undefined. */
export function valueAt(v: unknown, path: ValuePath): unknown {
  let cur = v;
  for (const p of path) {
    if (typeof p === 'number' ? !Array.isArray(cur) : !isPlainObject(cur)) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
