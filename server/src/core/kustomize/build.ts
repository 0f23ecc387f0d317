/**
 * The build: a kustomization's resources, bases and components accumulated, then its patches
 * and transformers in kustomize's order (strategic-merge patches, patches, namespace, prefix
 * and suffix, labels, annotations, legacy JSON 6902 patches, replicas, images).
 */
import type { BuiltObject, KustomizeBuild, KustomizeHost, Src, Traced } from './index';
import { isRemote, join } from './path';
import { readFileDocuments, type TracedDoc } from './read';
import { applyPatchEntry, type PatchInput } from './patch';
import { currentId, type Obj } from './select';
import { get, isMap, str, type TMap } from './traced';
import { addUse, entered, impure, note, readText, replay, type Memo, type Recording, type State } from './state';
import { applyTransformers } from './transformers';

export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** How deep kustomizations may build on each other, and how many objects one build may hold. */
export const KUSTOMIZE_LIMITS = { maxDepth: 32, maxObjects: 20000 } as const;

export function findKustomizationFile(dir: string, host: KustomizeHost): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) {
    const p = join(dir, n);
    if (host.readFile(p) !== undefined) return p;
  }
  return undefined;
}

/** Fields read silently: generators and settings that do not change pods. */
const IGNORED = new Set(['apiVersion', 'kind', 'metadata', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'configurations', 'buildMetadata', 'sortOptions', 'helmGlobals']);
const READ = new Set(['resources', 'bases', 'components', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'commonAnnotations', 'replicas', 'images']);

export function buildKustomization(dir: string, host: KustomizeHost): KustomizeBuild {
  return build(dir, host, undefined);
}

/**
 * Builds each of `dirs` as `buildKustomization` does, a kustomization several of them build on
 * (a base, a component) built once and taken as it is by the others: the host must answer the
 * same for the whole call.
 */
export function buildKustomizations(dirs: readonly string[], host: KustomizeHost): KustomizeBuild[] {
  const memo = new Map<string, Memo>();
  return dirs.map((d) => build(d, host, memo));
}

function build(dir: string, host: KustomizeHost, memo: Map<string, Memo> | undefined): KustomizeBuild {
  const root = join('/', dir);
  const st: State = { host, files: new Map(), notes: [], noted: new Set(), uses: [], stack: [], objects: 0, recordings: [], ...(memo ? { memo } : {}) };
  const kfile = findKustomizationFile(root, host);
  let objs: Obj[] = [];
  if (kfile === undefined) note(st, root, 'no kustomization.yaml, kustomization.yml or Kustomization in this directory');
  else {
    try {
      objs = accumulate(st, root, kfile, [], 0);
    } catch (e) {
      note(st, kfile, `the build stopped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const objects: BuiltObject[] = objs.map((o) => ({ value: o.value, resource: o.resource, patchedBy: o.patchedBy }));
  return { root, kustomizationFile: kfile ?? join(root, KUSTOMIZATION_FILE_NAMES[0] ?? ''), objects, files: st.files, uses: st.uses, notes: st.notes };
}

/**
 * The kustomization at `dir` applied on top of `initial` (empty for a resource, the objects so far
 * for a component). On empty objects, one built before in the run is taken as it was, its effects
 * on the build's state done again, unless its build depended on where it was built from or the
 * limits are near.
 */
export function accumulate(st: State, dir: string, kfile: string, initial: readonly Obj[], depth: number): Obj[] {
  if (!st.memo || initial.length > 0) return accumulateNow(st, dir, kfile, initial, depth);
  const m = st.memo.get(dir);
  if (m && m.kfile === kfile && depth + m.reach < KUSTOMIZE_LIMITS.maxDepth && st.objects + m.objects < KUSTOMIZE_LIMITS.maxObjects) {
    replay(st, m, depth);
    return [...m.objs];
  }
  const rec: Recording = { effects: [], pure: true, deepest: depth };
  const before = st.objects;
  st.recordings.push(rec);
  let objs: Obj[];
  try {
    objs = accumulateNow(st, dir, kfile, initial, depth);
  } finally {
    st.recordings.pop();
  }
  if (rec.pure) st.memo.set(dir, { kfile, objs: [...objs], effects: rec.effects, reach: rec.deepest - depth, objects: st.objects - before });
  return objs;
}

function accumulateNow(st: State, dir: string, kfile: string, initial: readonly Obj[], depth: number): Obj[] {
  const text = readText(st, kfile, 'kustomization');
  if (text === undefined) {
    note(st, kfile, 'the kustomization file cannot be read');
    return [...initial];
  }
  const read = readFileDocuments(text, kfile, st.host);
  if (!read.ok) {
    note(st, kfile, `the kustomization file cannot be read: ${read.message}`, read.span);
    return [...initial];
  }
  const k = read.docs[0]?.value;
  if (!isMap(k)) {
    if (k !== undefined) note(st, kfile, 'the kustomization file is not a map', k.src?.span);
    return [...initial];
  }
  noteUnread(st, kfile, k);
  st.stack.push(dir);
  try {
    let objs = [...initial];
    for (const ref of [...stringsOf(st, kfile, k, 'resources'), ...stringsOf(st, kfile, k, 'bases')]) {
      objs.push(...resource(st, dir, kfile, ref, depth));
    }
    for (const ref of stringsOf(st, kfile, k, 'components')) objs = component(st, dir, kfile, ref, objs, depth);
    const input: PatchInput = { st, dir, kfile, ktext: text };
    for (const field of ['patchesStrategicMerge', 'patches'] as const) {
      const list = get(k, field);
      if (list?.kind === 'list') for (const entry of list.items) objs = applyPatchEntry(input, field, entry, objs);
    }
    return applyTransformers(input, k, objs);
  } finally {
    st.stack.pop();
  }
}

function noteUnread(st: State, kfile: string, k: TMap): void {
  for (const e of k.entries) {
    if (IGNORED.has(e.key) || READ.has(e.key)) continue;
    note(st, kfile, `\`${e.key}\` is not applied: the built objects are shown without it`, e.keySrc?.span);
  }
}

/** The string items of a list field; anything else in it is a note. */
function stringsOf(st: State, kfile: string, k: TMap, field: string): { value: string; src?: Src }[] {
  const list = get(k, field);
  if (list === undefined || list.kind === 'null') return [];
  if (list.kind !== 'list') {
    note(st, kfile, `\`${field}\` is not a list`, list.src?.span);
    return [];
  }
  const out: { value: string; src?: Src }[] = [];
  for (const item of list.items) {
    const v = str(item);
    if (v === undefined) note(st, kfile, `an entry of \`${field}\` is not a string`, item.src?.span);
    else out.push(item.src ? { value: v, src: item.src } : { value: v });
  }
  return out;
}

/** The kustomization directory `ref` names (relative to `dir`), entered for a build; undefined (with a note) when it cannot be. */
function enter(st: State, dir: string, kfile: string, ref: { value: string; src?: Src }, depth: number): { path: string; file: string } | undefined {
  const path = join(dir, ref.value);
  const span = ref.src?.span;
  const file = findKustomizationFile(path, st.host);
  if (file === undefined) {
    note(st, kfile, `${ref.value} is a directory without a kustomization file`, span);
    return undefined;
  }
  if (st.stack.includes(path)) {
    impure(st);
    note(st, kfile, `${ref.value} is part of a cycle of kustomizations; it is not built again`, span);
    return undefined;
  }
  if (depth + 1 > KUSTOMIZE_LIMITS.maxDepth) {
    impure(st);
    note(st, kfile, `${ref.value} is nested too deeply (over ${KUSTOMIZE_LIMITS.maxDepth} kustomizations); it is not built`, span);
    return undefined;
  }
  addUse(st, path);
  entered(st, depth + 1);
  return { path, file };
}

function resource(st: State, dir: string, kfile: string, ref: { value: string; src?: Src }, depth: number): Obj[] {
  const span = ref.src?.span;
  if (isRemote(ref.value)) {
    note(st, kfile, `the remote resource ${ref.value} is not fetched; what it holds is not analysed`, span);
    return [];
  }
  const path = join(dir, ref.value);
  if (st.host.isDirectory(path)) {
    const sub = enter(st, dir, kfile, ref, depth);
    return sub ? accumulate(st, sub.path, sub.file, [], depth + 1) : [];
  }
  const text = readText(st, path, 'resource');
  if (text === undefined) {
    note(st, kfile, `the resource ${ref.value} cannot be read`, span);
    return [];
  }
  const read = readFileDocuments(text, path, st.host);
  if (!read.ok) {
    note(st, path, `this resource is skipped: ${read.message}`, read.span);
    return [];
  }
  return objectsOf(st, path, read.docs);
}

function component(st: State, dir: string, kfile: string, ref: { value: string; src?: Src }, objs: Obj[], depth: number): Obj[] {
  if (isRemote(ref.value)) {
    note(st, kfile, `the remote component ${ref.value} is not fetched; what it changes is not analysed`, ref.src?.span);
    return objs;
  }
  const sub = enter(st, dir, kfile, ref, depth);
  return sub ? accumulate(st, sub.path, sub.file, objs, depth + 1) : objs;
}

/** The objects of a resource file's documents (`kind: List` expanded), within the object limit. */
function objectsOf(st: State, file: string, docs: readonly TracedDoc[]): Obj[] {
  const out: Obj[] = [];
  const add = (value: Traced, span: Src['span']): void => {
    if (value.kind === 'null') return;
    if (!isMap(value)) {
      note(st, file, 'a document that is not a map is skipped', span);
      return;
    }
    if (str(get(value, 'kind'))?.endsWith('List') && get(value, 'items')?.kind === 'list') {
      for (const item of (get(value, 'items') as Extract<Traced, { kind: 'list' }>).items) add(item, item.src?.span);
      return;
    }
    if (st.objects >= KUSTOMIZE_LIMITS.maxObjects) {
      impure(st);
      note(st, file, `the build holds more than ${KUSTOMIZE_LIMITS.maxObjects} objects; the rest are not read`);
      return;
    }
    st.objects++;
    out.push({ value: value, resource: span ? { file, span } : { file }, patchedBy: [], ids: [currentId(value)] });
  };
  for (const d of docs) add(d.value, d.span);
  return out;
}

