/** Traced values: building them from plain YAML values, reading and rewriting them (never in place). */
import type { Plain } from '../yaml/plain';
import type { Span } from '../types';
import type { Src, Traced, TracedEntry } from './index';

export type TMap = Extract<Traced, { kind: 'map' }>;
export type TList = Extract<Traced, { kind: 'list' }>;

/** Plain → Traced: every span goes through `place` (chunk offset, block-scalar mapping); without it, spans are in `file` already. */
export function fromPlain(p: Plain, file: string, place?: (s: Span) => Span | undefined): Traced {
  const src = (s: Span | undefined): Src => {
    const at = s && place ? place(s) : s;
    return at ? { file, span: at } : { file };
  };
  switch (p.kind) {
    case 'null':
    case 'other':
      return { kind: 'null', src: src(p.span) };
    case 'boolean':
    case 'number':
    case 'string':
      return { kind: p.kind, value: p.value, src: src(p.span) } as Traced;
    case 'list':
      return { kind: 'list', items: p.items.map((i) => fromPlain(i, file, place)), src: src(p.span) };
    case 'map':
      return {
        kind: 'map',
        entries: p.entries.map((e) => ({ key: e.key, keySrc: src(e.keySpan), value: fromPlain(e.value, file, place) })),
        src: src(p.span),
      };
  }
}

/** Plain JSON value of a Traced (for tests and for callers that need values). */
export function toJSON(t: Traced): unknown {
  switch (t.kind) {
    case 'null':
      return null;
    case 'list':
      return t.items.map(toJSON);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of t.entries) o[e.key] = toJSON(e.value);
      return o;
    }
    default:
      return t.value;
  }
}

/** A JSON value as Traced, every node with `src` (a transformer's value). */
export function fromJSON(v: unknown, src: Src | undefined): Traced {
  const s = src ? { src } : {};
  if (v === null || v === undefined) return { kind: 'null', ...s };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v, ...s };
  if (typeof v === 'number') return { kind: 'number', value: v, ...s };
  if (typeof v === 'string') return { kind: 'string', value: v, ...s };
  if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => fromJSON(x, src)), ...s };
  const entries: TracedEntry[] = Object.entries(v as Record<string, unknown>).map(([key, x]) => ({ key, ...(src ? { keySrc: src } : {}), value: fromJSON(x, src) }));
  return { kind: 'map', entries, ...s };
}

export function isMap(t: Traced | undefined): t is TMap {
  return t?.kind === 'map';
}

export function isList(t: Traced | undefined): t is TList {
  return t?.kind === 'list';
}

export function get(t: Traced | undefined, key: string): Traced | undefined {
  if (!isMap(t)) return undefined;
  for (const e of t.entries) if (e.key === key) return e.value;
  return undefined;
}

export function getPath(t: Traced | undefined, path: readonly string[]): Traced | undefined {
  let cur = t;
  for (const k of path) cur = get(cur, k);
  return cur;
}

export function str(t: Traced | undefined): string | undefined {
  return t?.kind === 'string' ? t.value : undefined;
}

/** A scalar as kustomize's string view of it (a number or boolean written unquoted). */
export function scalarText(t: Traced | undefined): string | undefined {
  if (t?.kind === 'string') return t.value;
  if (t?.kind === 'number' || t?.kind === 'boolean') return String(t.value);
  return undefined;
}

export function strAt(t: Traced | undefined, path: readonly string[]): string | undefined {
  return str(getPath(t, path));
}

/** The map with `key` set to `value` (replacing in place of the old entry, else appended). */
export function setKey(m: TMap, key: string, value: Traced, keySrc?: Src): TMap {
  let found = false;
  const entries = m.entries.map((e) => {
    if (e.key !== key) return e;
    found = true;
    return { ...e, value };
  });
  if (!found) entries.push(keySrc ? { key, keySrc, value } : { key, value });
  return { ...m, entries };
}

export function deleteKey(m: TMap, key: string): TMap {
  return { ...m, entries: m.entries.filter((e) => e.key !== key) };
}

/**
 * The value with the map at `path` rewritten by `f`; missing maps on the way are created (with
 * `src`) only when `create` is set, else the value comes back unchanged.
 */
export function updateAt(t: Traced, path: readonly string[], f: (m: TMap) => TMap, create: Src | undefined): Traced {
  if (!isMap(t)) return t;
  if (path.length === 0) return f(t);
  const [head, ...rest] = path as [string, ...string[]];
  const child = get(t, head);
  if (isMap(child)) return setKey(t, head, updateAt(child, rest, f, create));
  if (!create || (child !== undefined && child.kind !== 'null')) return t;
  const fresh: TMap = { kind: 'map', entries: [], src: create };
  return setKey(t, head, updateAt(fresh, rest, f, create), create);
}

export function emptyMap(src: Src | undefined): TMap {
  return src ? { kind: 'map', entries: [], src } : { kind: 'map', entries: [] };
}
