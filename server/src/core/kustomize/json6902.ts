/** JSON patch (RFC 6902) over traced values: add, remove, replace, move, copy, test. */
import type { Src, Traced } from './index';
import { get, isMap, setKey, str, toJSON } from './traced';

export type PatchResult = { readonly ok: true; readonly value: Traced } | { readonly ok: false; readonly message: string };

/** `/a/b~1c/0` → ['a', 'b/c', '0']; undefined for a string that is not a JSON pointer. */
export function parsePointer(p: string): string[] | undefined {
  if (p === '') return [];
  if (!p.startsWith('/')) return undefined;
  return p
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function index(token: string, length: number, forAdd: boolean): number | undefined {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const i = Number(token);
  return i < length + (forAdd ? 1 : 0) ? i : undefined;
}

function at(t: Traced, path: readonly string[]): Traced | undefined {
  let cur: Traced | undefined = t;
  for (const tok of path) {
    if (cur === undefined) return undefined;
    if (cur.kind === 'list') {
      const i = index(tok, cur.items.length, false);
      cur = i === undefined ? undefined : cur.items[i];
    } else cur = get(cur, tok);
  }
  return cur;
}

type Edit = (parent: Traced, last: string) => Traced | undefined;

/** Applies `edit` to the parent of the path's last token, rebuilding the way down; undefined on a missing path. */
function modify(t: Traced, path: readonly string[], edit: Edit): Traced | undefined {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return edit(t, head);
  if (t.kind === 'list') {
    const i = index(head, t.items.length, false);
    const child = i === undefined ? undefined : t.items[i];
    const next = child && modify(child, rest, edit);
    if (!next || i === undefined) return undefined;
    const items = [...t.items];
    items[i] = next;
    return { ...t, items };
  }
  if (!isMap(t)) return undefined;
  const child = get(t, head);
  const next = child && modify(child, rest, edit);
  return next ? setKey(t, head, next) : undefined;
}

function add(t: Traced, path: readonly string[], value: Traced, keySrc: Src | undefined): Traced | undefined {
  if (path.length === 0) return value;
  return modify(t, path, (parent, last) => {
    if (parent.kind === 'list') {
      const i = index(last, parent.items.length, true);
      if (i === undefined) return undefined;
      const items = [...parent.items];
      items.splice(i, 0, value);
      return { ...parent, items };
    }
    return isMap(parent) ? setKey(parent, last, value, keySrc) : undefined;
  });
}

function remove(t: Traced, path: readonly string[]): Traced | undefined {
  return modify(t, path, (parent, last) => {
    if (parent.kind === 'list') {
      const i = index(last, parent.items.length, false);
      return i === undefined ? undefined : { ...parent, items: parent.items.filter((_, j) => j !== i) };
    }
    if (!isMap(parent) || get(parent, last) === undefined) return undefined;
    return { ...parent, entries: parent.entries.filter((e) => e.key !== last) };
  });
}

function replace(t: Traced, path: readonly string[], value: Traced): Traced | undefined {
  if (path.length === 0) return value;
  return modify(t, path, (parent, last) => {
    if (parent.kind === 'list') {
      const i = index(last, parent.items.length, false);
      if (i === undefined) return undefined;
      const items = [...parent.items];
      items[i] = value;
      return { ...parent, items };
    }
    if (!isMap(parent) || get(parent, last) === undefined) return undefined;
    return setKey(parent, last, value);
  });
}

/** One operation (a map with op, path, value/from) applied to `t`. */
function applyOp(t: Traced, op: Traced): Traced | string {
  const name = str(get(op, 'op'));
  const pathNode = get(op, 'path');
  const path = parsePointer(str(pathNode) ?? '\u0000');
  if (!name || !path) return 'an operation without a valid op and path';
  const value = get(op, 'value');
  const from = parsePointer(str(get(op, 'from')) ?? '\u0000');
  let out: Traced | undefined;
  switch (name) {
    case 'add':
      out = value && add(t, path, value, pathNode?.src);
      break;
    case 'remove':
      out = remove(t, path);
      break;
    case 'replace':
      out = value && replace(t, path, value);
      break;
    case 'move':
    case 'copy': {
      const moved = from && at(t, from);
      const base = moved && from && name === 'move' ? remove(t, from) : t;
      out = moved && base && add(base, path, moved, pathNode?.src);
      break;
    }
    case 'test': {
      const cur = at(t, path);
      out = cur && value && JSON.stringify(toJSON(cur)) === JSON.stringify(toJSON(value)) ? t : undefined;
      break;
    }
    default:
      return `unknown operation "${name}"`;
  }
  return out ?? `"${name}" at ${str(pathNode) ?? ''} failed`;
}

/** All operations of `ops` applied in order; the first failure fails the whole patch. */
export function applyJson6902(t: Traced, ops: Traced): PatchResult {
  if (ops.kind !== 'list') return { ok: false, message: 'a JSON patch must be a list of operations' };
  let cur = t;
  for (const op of ops.items) {
    const r = applyOp(cur, op);
    if (typeof r === 'string') return { ok: false, message: r };
    cur = r;
  }
  return { ok: true, value: cur };
}
