/** The transformer fields of one kustomization applied in kustomize's order. */
import type { Src, Traced, TracedEntry } from './index';
import { note } from './state';
import { applyJsonEntry, type PatchInput } from './patch';
import type { Obj } from './select';
import { get, isMap, scalarText, str } from './traced';
import { addMetadata, setImages, setNamespace, setPrefixSuffix, setReplicas, type ImageRule, type LabelOptions } from './transform';

function pairsOf(t: Traced | undefined): readonly TracedEntry[] {
  return isMap(t) ? t.entries.filter((e) => scalarText(e.value) !== undefined) : [];
}

function bool(t: Traced | undefined): boolean {
  return t?.kind === 'boolean' && t.value;
}

function labels(input: PatchInput, k: Traced, objs: Obj[]): Obj[] {
  const src: Src = { file: input.kfile };
  const common = get(k, 'commonLabels');
  let out = objs;
  if (common !== undefined) out = out.map((o) => addMetadata(o, 'labels', pairsOf(common), { selectors: true, templates: true }, common.src ?? src));
  const list = get(k, 'labels');
  if (list?.kind === 'list') {
    for (const entry of list.items) {
      const opts: LabelOptions = { selectors: bool(get(entry, 'includeSelectors')), templates: bool(get(entry, 'includeTemplates')) };
      if (get(entry, 'fields') !== undefined) note(input.st, input.kfile, 'custom `fields` of `labels` are not applied', get(entry, 'fields')?.src?.span);
      const pairs = pairsOf(get(entry, 'pairs'));
      out = out.map((o) => addMetadata(o, 'labels', pairs, opts, entry.src ?? src));
    }
  }
  const ann = get(k, 'commonAnnotations');
  if (ann !== undefined) out = out.map((o) => addMetadata(o, 'annotations', pairsOf(ann), { selectors: false, templates: true }, ann.src ?? src));
  return out;
}

function imageRules(k: Traced): ImageRule[] {
  const list = get(k, 'images');
  if (list?.kind !== 'list') return [];
  const rules: ImageRule[] = [];
  for (const e of list.items) {
    const name = str(get(e, 'name'));
    if (name === undefined) continue;
    const opt = (key: string): Record<string, string> => {
      const v = scalarText(get(e, key));
      return v === undefined ? {} : { [key]: v };
    };
    rules.push({ name, ...opt('newName'), ...opt('newTag'), ...opt('digest'), ...(e.src ? { src: e.src } : {}) });
  }
  return rules;
}

export function applyTransformers(input: PatchInput, k: Traced, objs: Obj[]): Obj[] {
  let out = objs;
  const ns = get(k, 'namespace');
  if (ns?.kind === 'string' && ns.value !== '') out = out.map((o) => setNamespace(o, ns));
  const prefix = str(get(k, 'namePrefix')) ?? '';
  const suffix = str(get(k, 'nameSuffix')) ?? '';
  if (prefix !== '' || suffix !== '') out = out.map((o) => setPrefixSuffix(o, prefix, suffix, input.kfile));
  out = labels(input, k, out);
  const legacy = get(k, 'patchesJson6902');
  if (legacy?.kind === 'list') for (const entry of legacy.items) out = applyJsonEntry(input, entry, out);
  const replicas = get(k, 'replicas');
  if (replicas?.kind === 'list') {
    for (const r of replicas.items) {
      const name = str(get(r, 'name'));
      const count = get(r, 'count');
      if (name !== undefined && count !== undefined) out = out.map((o) => setReplicas(o, name, count));
    }
  }
  const rules = imageRules(k);
  return rules.length > 0 ? out.map((o) => setImages(o, rules)) : out;
}
