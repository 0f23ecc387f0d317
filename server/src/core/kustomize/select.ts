/** Objects under construction, their ids (current and earlier), and kustomize's target selectors. */
import type { Src, Traced } from './index';
import { get, getPath, scalarText, str, strAt, type TMap } from './traced';

export interface Id {
  readonly name: string | undefined;
  readonly namespace: string | undefined;
}

export interface Obj {
  readonly value: TMap;
  readonly resource: Src;
  readonly patchedBy: readonly string[];
  /** Every name and namespace the object had in this build, the current one last. */
  readonly ids: readonly Id[];
}

export function currentId(value: TMap): Id {
  return { name: strAt(value, ['metadata', 'name']), namespace: strAt(value, ['metadata', 'namespace']) };
}

export function kindOf(o: Obj): string | undefined {
  return str(get(o.value, 'kind'));
}

/** `group/version` (or `version` for the core group). */
export function groupVersion(o: Obj): { group: string; version: string } {
  const av = str(get(o.value, 'apiVersion')) ?? '';
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

/** The object with a new value; a changed name or namespace is added to its ids. */
export function withValue(o: Obj, value: TMap, patchFile?: string): Obj {
  const id = currentId(value);
  const last = o.ids[o.ids.length - 1];
  const ids = last && last.name === id.name && last.namespace === id.namespace ? o.ids : [...o.ids, id];
  const changed = patchFile !== undefined && !samePlain(o.value, value);
  const patchedBy = changed && !o.patchedBy.includes(patchFile) ? [...o.patchedBy, patchFile] : o.patchedBy;
  return { ...o, value, ids, patchedBy };
}

/**
 * Whether two values read the same as JSON (what a patch changed): node by node, a node both
 * share (what a patch did not touch) at once; anything but two maps or two lists compared as JSON.
 */
function samePlain(a: Traced, b: Traced): boolean {
  if (a === b) return true;
  if (a.kind === 'map' && b.kind === 'map') {
    if (a.entries.length !== b.entries.length) return false;
    return a.entries.every((e, i) => {
      const f = b.entries[i];
      return f !== undefined && e.key === f.key && samePlain(e.value, f.value);
    });
  }
  if (a.kind === 'list' && b.kind === 'list') return a.items.length === b.items.length && a.items.every((x, i) => samePlain(x, b.items[i] as Traced));
  return JSON.stringify(plainOf(a)) === JSON.stringify(plainOf(b));
}

function plainOf(t: Traced): unknown {
  if (t.kind === 'null') return null;
  if (t.kind === 'list') return t.items.map(plainOf);
  if (t.kind === 'map') return t.entries.map((e) => [e.key, plainOf(e.value)]);
  return t.value;
}

export interface Target {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

export function readTarget(t: Traced | undefined): Target | undefined {
  if (t?.kind !== 'map') return undefined;
  const out: Record<string, string> = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']) {
    const v = scalarText(get(t, k));
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

/** kustomize's matching of a selector field: a regular expression over the whole value. */
function matches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return pattern === value;
  }
}

export function selects(t: Target, o: Obj): boolean {
  const gv = groupVersion(o);
  if (!matches(t.group, gv.group) || !matches(t.version, gv.version) || !matches(t.kind, kindOf(o))) return false;
  if (!o.ids.some((id) => matches(t.name, id.name) && matches(t.namespace, id.namespace))) return false;
  if (t.labelSelector !== undefined && !selectorMatches(t.labelSelector, stringMap(getPath(o.value, ['metadata', 'labels'])))) return false;
  if (t.annotationSelector !== undefined && !selectorMatches(t.annotationSelector, stringMap(getPath(o.value, ['metadata', 'annotations'])))) return false;
  return true;
}

function stringMap(t: Traced | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (t?.kind === 'map') for (const e of t.entries) m.set(e.key, scalarText(e.value) ?? '');
  return m;
}

/** A label selector (`a=b,c!=d,e in (f,g),!h,i`) against labels; an unreadable selector selects nothing. */
export function selectorMatches(selector: string, labels: ReadonlyMap<string, string>): boolean {
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    if (m) {
      const set = new Set((m[3] ?? '').split(',').map((s) => s.trim()));
      const v = labels.get(m[1] ?? '');
      if (m[2] === 'in' ? v === undefined || !set.has(v) : v !== undefined && set.has(v)) return false;
      continue;
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(p);
    if (m) {
      const v = labels.get(m[1] ?? '');
      if (m[2] === '!=' ? v === m[3] : v !== m[3]) return false;
      continue;
    }
    m = /^(!?)([^\s!=()]+)$/.exec(p);
    if (!m) return false;
    if (labels.has(m[2] ?? '') === (m[1] === '!')) return false;
  }
  return true;
}
