/**
 * Strategic merge as kustomize applies it to the fields a pod's termination depends on: maps
 * merge recursively, `null` deletes, the lists Kubernetes declares with a merge key merge by it,
 * other lists are replaced; `$patch: delete|replace|merge`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys`. Keys and values written by the patch
 * keep the patch's src; a map in both keeps the base's.
 */
import type { Traced, TracedEntry } from './index';
import { get, isMap, scalarText, type TList, type TMap } from './traced';

/** Returned when the patch deletes the node. */
export const DELETED = Symbol('deleted');
export type Merged = Traced | typeof DELETED;

const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  // Container ports merge by containerPort, Service ports by port.
  ports: ['containerPort', 'port'],
};

/** The merge key of a list under `field`, from what its items carry; undefined: the list is replaced. */
function mergeKey(field: string | undefined, items: readonly Traced[]): string | undefined {
  const keys = field ? MERGE_KEYS[field] : undefined;
  if (!keys) return undefined;
  for (const k of keys) if (items.some((i) => get(i, k) !== undefined)) return k;
  return keys[0];
}

function directive(t: Traced | undefined): string | undefined {
  return scalarText(get(t, '$patch'));
}

/** The patch value with its directives removed (what a value new to the base becomes). */
export function strip(t: Traced): Merged {
  if (isMap(t)) {
    const d = directive(t);
    if (d === 'delete') return DELETED;
    const entries: TracedEntry[] = [];
    for (const e of t.entries) {
      if (e.key.startsWith('$')) continue;
      if (e.value.kind === 'null') continue;
      const v = strip(e.value);
      if (v !== DELETED) entries.push({ ...e, value: v });
    }
    return { ...t, entries };
  }
  if (t.kind === 'list') {
    const items = t.items.filter((i) => !isMap(i) || directive(i) === undefined).map(strip).filter((i): i is Traced => i !== DELETED);
    return { ...t, items };
  }
  return t;
}

/** `patch` merged onto `base`; `field` is the key the value sits under (for list merge keys). */
export function merge(base: Traced | undefined, patch: Traced, field?: string): Merged {
  if (base === undefined) return strip(patch);
  if (isMap(base) && isMap(patch)) return mergeMaps(base, patch);
  if (base.kind === 'list' && patch.kind === 'list') return mergeLists(base, patch, field);
  // A patch that writes the value already there (a merge key such as a container's name) changes
  // nothing: the value stays where the base wrote it, and so does a finding about it.
  if (sameScalar(base, patch)) return base;
  return strip(patch);
}

function sameScalar(a: Traced, b: Traced): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'null') return true;
  return (a.kind === 'string' || a.kind === 'number' || a.kind === 'boolean') && 'value' in b && a.value === b.value;
}

function mergeMaps(base: TMap, patch: TMap): Merged {
  const d = directive(patch);
  if (d === 'delete') return DELETED;
  if (d === 'replace') return strip({ ...patch, entries: patch.entries.filter((e) => e.key !== '$patch') });
  let entries: TracedEntry[] = [...base.entries];
  const orders: TracedEntry[] = [];
  for (const e of patch.entries) {
    if (e.key.startsWith('$setElementOrder/')) orders.push(e);
    else if (e.key.startsWith('$deleteFromPrimitiveList/')) entries = deleteFromPrimitive(entries, e.key.slice(25), e.value);
    else if (e.key === '$retainKeys') entries = retain(entries, e.value, patch);
    else if (e.key.startsWith('$')) continue;
    else entries = mergeEntry(entries, e);
  }
  for (const o of orders) entries = setOrder(entries, o.key.slice(17), o.value);
  return { ...base, entries };
}

function mergeEntry(entries: TracedEntry[], e: TracedEntry): TracedEntry[] {
  const i = entries.findIndex((x) => x.key === e.key);
  if (e.value.kind === 'null') return i < 0 ? entries : entries.filter((_, j) => j !== i);
  const old = i < 0 ? undefined : entries[i];
  const v = merge(old?.value, e.value, e.key);
  if (v === DELETED) return i < 0 ? entries : entries.filter((_, j) => j !== i);
  if (!old) return [...entries, { ...e, value: v }];
  const out = [...entries];
  out[i] = { ...old, value: v };
  return out;
}

function deleteFromPrimitive(entries: TracedEntry[], key: string, values: Traced): TracedEntry[] {
  if (values.kind !== 'list') return entries;
  const drop = new Set(values.items.map(scalarText));
  return entries.map((e) => (e.key === key && e.value.kind === 'list' ? { ...e, value: { ...e.value, items: e.value.items.filter((i) => !drop.has(scalarText(i))) } } : e));
}

function retain(entries: TracedEntry[], keys: Traced, patch: TMap): TracedEntry[] {
  if (keys.kind !== 'list') return entries;
  const keep = new Set(keys.items.map(scalarText));
  for (const e of patch.entries) if (!e.key.startsWith('$')) keep.add(e.key);
  return entries.filter((e) => keep.has(e.key));
}

/** Reorders the list under `key` as `order` says (items the order does not name keep their place after). */
function setOrder(entries: TracedEntry[], key: string, order: Traced): TracedEntry[] {
  if (order.kind !== 'list') return entries;
  return entries.map((e) => {
    if (e.key !== key || e.value.kind !== 'list') return e;
    const list = e.value;
    const k = mergeKey(key, order.items);
    const id = (t: Traced): string | undefined => (k && isMap(t) ? scalarText(get(t, k)) : scalarText(t));
    const wanted = order.items.map(id);
    const rank = (t: Traced): number => {
      const r = wanted.indexOf(id(t));
      return r < 0 ? wanted.length : r;
    };
    const items = list.items.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t);
    return { ...e, value: { ...list, items } };
  });
}

function mergeLists(base: TList, patch: TList, field: string | undefined): Merged {
  const replaceAll = patch.items.some((i) => isMap(i) && directive(i) === 'replace');
  if (replaceAll) return strip({ ...patch, items: patch.items.filter((i) => !(isMap(i) && directive(i) === 'replace')) });
  const key = mergeKey(field, [...base.items, ...patch.items]);
  if (!key || !base.items.every(isMap)) return strip(patch);
  // As kustomize does, items new to the list come first, in the patch's order.
  const added: Traced[] = [];
  const items: Traced[] = [...base.items];
  for (const p of patch.items) {
    const id = scalarText(get(p, key));
    const i = id === undefined ? -1 : items.findIndex((b) => scalarText(get(b, key)) === id);
    if (i < 0) {
      const v = strip(p);
      if (v !== DELETED) added.push(v);
      continue;
    }
    const v = merge(items[i], p, undefined);
    if (v === DELETED) items.splice(i, 1);
    else items[i] = v;
  }
  return { ...base, items: [...added, ...items] };
}
