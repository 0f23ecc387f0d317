/**
 * Patches: `patches` (path or inline, with an optional target), `patchesStrategicMerge` (paths
 * or inline strings) and `patchesJson6902` (target with path or inline). A patch that is a list
 * of operations is a JSON patch; anything else is a strategic merge.
 */
import type { Src, Traced } from './index';
import { applyJson6902 } from './json6902';
import { DELETED, merge } from './merge';
import { join } from './path';
import { readFileDocuments, readInline, type TracedDoc } from './read';
import { kindOf, readTarget, selects, withValue, type Obj, type Target } from './select';
import { get, getPath, isMap, str, strAt, type TMap } from './traced';
import { note, readText, type State } from './state';

export interface PatchInput {
  readonly st: State;
  readonly dir: string;
  readonly kfile: string;
  /** The kustomization file's text (inline patches are read from it). */
  readonly ktext: string;
}

interface Loaded {
  readonly docs: readonly TracedDoc[];
  /** The patch file, or the kustomization file for an inline patch. */
  readonly file: string;
}

/** The documents of a patch file (`path`) or an inline patch (`inline`); undefined, with a note, when unreadable. */
function load(input: PatchInput, path: Traced | undefined, inline: Traced | undefined): Loaded | undefined {
  const { st, kfile } = input;
  if (inline !== undefined) {
    const r = readInline(inline, input.ktext, st.host);
    if (!r?.ok) {
      note(st, kfile, `an inline patch cannot be read${r && !r.ok ? `: ${r.message}` : ''}`, inline.src?.span);
      return undefined;
    }
    return { docs: r.docs, file: kfile };
  }
  const rel = str(path);
  if (rel === undefined) {
    note(st, kfile, 'a patch has neither `path` nor `patch`', path?.src?.span);
    return undefined;
  }
  const file = join(input.dir, rel);
  const text = readText(st, file, 'patch');
  if (text === undefined) {
    note(st, kfile, `the patch ${rel} cannot be read`, path?.src?.span);
    return undefined;
  }
  const r = readFileDocuments(text, file, st.host);
  if (!r.ok) {
    note(st, file, `this patch is skipped: ${r.message}`, r.span);
    return undefined;
  }
  return { docs: r.docs, file };
}

/** One entry of `patches` or `patchesStrategicMerge` applied to the objects. */
export function applyPatchEntry(input: PatchInput, field: 'patches' | 'patchesStrategicMerge', entry: Traced, objs: Obj[]): Obj[] {
  let loaded: Loaded | undefined;
  let target: Target | undefined;
  if (field === 'patchesStrategicMerge') {
    const v = str(entry);
    if (v === undefined) return objs;
    const inline = /\n/.test(v) || input.st.host.readFile(join(input.dir, v)) === undefined;
    loaded = inline && /[:\n]/.test(v) ? load(input, undefined, entry) : load(input, entry, undefined);
  } else {
    if (!isMap(entry)) {
      note(input.st, input.kfile, 'an entry of `patches` is not a map', entry.src?.span);
      return objs;
    }
    target = readTarget(get(entry, 'target'));
    loaded = load(input, get(entry, 'path'), get(entry, 'patch'));
  }
  return loaded ? applyLoaded(input, loaded, target, entry.src, objs) : objs;
}

/** One entry of the legacy `patchesJson6902`: a target and a JSON patch. */
export function applyJsonEntry(input: PatchInput, entry: Traced, objs: Obj[]): Obj[] {
  const target = readTarget(get(entry, 'target'));
  const loaded = load(input, get(entry, 'path'), get(entry, 'patch'));
  if (!loaded) return objs;
  if (!target) {
    note(input.st, input.kfile, 'a `patchesJson6902` entry has no target', entry.src?.span);
    return objs;
  }
  return applyLoaded(input, loaded, target, entry.src, objs);
}

function applyLoaded(input: PatchInput, loaded: Loaded, target: Target | undefined, at: Src | undefined, objs: Obj[]): Obj[] {
  const docs = loaded.docs.filter((d) => d.value.kind !== 'null');
  const first = docs[0]?.value;
  if (docs.length === 1 && first?.kind === 'list') {
    if (!target) {
      note(input.st, input.kfile, 'a JSON patch without a target is not applied', at?.span);
      return objs;
    }
    return objs.map((o) => {
      if (!selects(target, o)) return o;
      const r = applyJson6902(o.value, first);
      if (r.ok && isMap(r.value)) return withValue(o, r.value, loaded.file);
      note(input.st, loaded.file, `this patch does not apply to ${describe(o)}: ${r.ok ? 'the result is not an object' : r.message}`, first.src?.span);
      return o;
    });
  }
  let out = objs;
  for (const d of docs) out = strategic(input, loaded.file, d.value, target, out);
  return out;
}

function describe(o: Obj): string {
  return `${kindOf(o) ?? 'object'} ${strAt(o.value, ['metadata', 'name']) ?? '(unnamed)'}`;
}

/** The patch without the fields that name its object (a targeted patch applies whatever it names). */
function anonymous(p: TMap): TMap {
  const meta = get(p, 'metadata');
  const entries = p.entries.filter((e) => e.key !== 'apiVersion' && e.key !== 'kind');
  if (!isMap(meta)) return { ...p, entries };
  const m: TMap = { ...meta, entries: meta.entries.filter((e) => e.key !== 'name' && e.key !== 'namespace') };
  return { ...p, entries: entries.map((e) => (e.key === 'metadata' ? { ...e, value: m } : e)) };
}

/** Whether an untargeted strategic-merge patch names `o`: its kind and name (and namespace when given), now or earlier in the build. */
function names(p: TMap, o: Obj): boolean {
  const name = strAt(p, ['metadata', 'name']);
  const ns = strAt(p, ['metadata', 'namespace']);
  if (kindOf(o) !== str(get(p, 'kind'))) return false;
  return o.ids.some((id) => id.name === name && (ns === undefined || id.namespace === undefined || id.namespace === ns));
}

function strategic(input: PatchInput, file: string, patch: Traced, target: Target | undefined, objs: Obj[]): Obj[] {
  if (!isMap(patch)) {
    note(input.st, file, 'a patch that is neither a map nor a list of operations is not applied', patch.src?.span);
    return objs;
  }
  if (!target && (str(get(patch, 'kind')) === undefined || strAt(patch, ['metadata', 'name']) === undefined)) {
    note(input.st, file, 'a strategic-merge patch without a target needs kind and metadata.name', patch.src?.span);
    return objs;
  }
  const p = anonymous(patch);
  let matched = false;
  const out: Obj[] = [];
  for (const o of objs) {
    if (!(target ? selects(target, o) : names(patch, o))) {
      out.push(o);
      continue;
    }
    matched = true;
    const v = merge(o.value, p);
    if (v === DELETED) continue;
    out.push(isMap(v) ? withValue(o, v, file) : o);
  }
  if (!matched && !target) {
    const what = `${str(get(patch, 'kind')) ?? ''} ${strAt(patch, ['metadata', 'name']) ?? ''}`;
    note(input.st, file, `this patch names ${what}, which the build does not hold; it is not applied`, getPath(patch, ['metadata', 'name'])?.src?.span ?? patch.src?.span);
  }
  return out;
}
