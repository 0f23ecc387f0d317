/**
 * kustomize's built-in transformers, limited to what pod termination depends on: namespace,
 * name prefix/suffix, labels (with selectors and pod templates), annotations, replicas, images.
 * Values they write carry the src of the kustomization field that wrote them.
 */
import type { Src, Traced, TracedEntry } from './index';
import { currentId, kindOf, withValue, type Obj } from './select';
import { get, getPath, isMap, scalarText, setKey, str, updateAt, type TMap } from './traced';

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterRole',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'PodSecurityPolicy', 'CertificateSigningRequest', 'ClusterIssuer',
  'ComponentStatus', 'FlowSchema', 'PriorityLevelConfiguration',
]);

const TEMPLATE_PATHS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Deployment: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  ReplicationController: [['spec', 'template']],
  CronJob: [['spec', 'jobTemplate'], ['spec', 'jobTemplate', 'spec', 'template']],
};

/** Selector maps commonLabels writes: [path, create when missing]. */
const SELECTOR_PATHS: Readonly<Record<string, readonly (readonly [readonly string[], boolean])[]>> = {
  Deployment: [[['spec', 'selector', 'matchLabels'], true]],
  ReplicaSet: [[['spec', 'selector', 'matchLabels'], true]],
  DaemonSet: [[['spec', 'selector', 'matchLabels'], true]],
  StatefulSet: [[['spec', 'selector', 'matchLabels'], true]],
  Job: [[['spec', 'selector', 'matchLabels'], false]],
  CronJob: [[['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], false]],
  Service: [[['spec', 'selector'], true]],
  ReplicationController: [[['spec', 'selector'], true]],
  PodDisruptionBudget: [[['spec', 'selector', 'matchLabels'], false]],
};

const REPLICA_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export function setNamespace(o: Obj, ns: Traced): Obj {
  const kind = kindOf(o);
  if (ns.kind !== 'string' || (kind !== undefined && CLUSTER_SCOPED.has(kind))) return o;
  return withValue(o, updateAt(o.value, ['metadata'], (m) => setKey(m, 'namespace', ns, ns.src), ns.src) as TMap);
}

export function setPrefixSuffix(o: Obj, prefix: string, suffix: string, file: string): Obj {
  const kind = kindOf(o);
  const name = currentId(o.value).name;
  if (name === undefined || kind === 'CustomResourceDefinition' || kind === 'APIService' || kind === 'Namespace') return o;
  const value: Traced = { kind: 'string', value: `${prefix}${name}${suffix}`, src: { file } };
  return withValue(o, updateAt(o.value, ['metadata'], (m) => setKey(m, 'name', value), undefined) as TMap);
}

function addPairs(m: TMap, pairs: readonly TracedEntry[]): TMap {
  let out = m;
  for (const p of pairs) {
    const v = scalarText(p.value);
    const value: Traced = v === undefined ? p.value : p.value.src ? { kind: 'string', value: v, src: p.value.src } : { kind: 'string', value: v };
    out = setKey(out, p.key, value, p.keySrc);
  }
  return out;
}

export interface LabelOptions {
  readonly selectors: boolean;
  readonly templates: boolean;
}

/** Labels (or annotations, with `field` 'annotations' and no selectors) on an object and the places the options name. */
export function addMetadata(o: Obj, field: 'labels' | 'annotations', pairs: readonly TracedEntry[], opts: LabelOptions, src: Src): Obj {
  const kind = kindOf(o) ?? '';
  const add = (m: TMap): TMap => addPairs(m, pairs);
  let v = updateAt(o.value, ['metadata', field], add, src) as TMap;
  if (opts.templates || opts.selectors) {
    for (const p of TEMPLATE_PATHS[kind] ?? []) {
      if (isMap(getPath(v, p))) v = updateAt(v, [...p, 'metadata', field], add, src) as TMap;
    }
  }
  if (opts.selectors && field === 'labels') {
    for (const [p, create] of SELECTOR_PATHS[kind] ?? []) {
      if (create || isMap(getPath(v, p))) v = updateAt(v, p, add, src) as TMap;
    }
  }
  return withValue(o, v);
}

export function setReplicas(o: Obj, name: string, count: Traced): Obj {
  const kind = kindOf(o);
  if (count.kind !== 'number' || kind === undefined || !REPLICA_KINDS.has(kind) || !o.ids.some((id) => id.name === name)) return o;
  return withValue(o, updateAt(o.value, ['spec'], (m) => setKey(m, 'replicas', count, count.src), count.src) as TMap);
}

export interface ImageRule {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
  readonly src?: Src;
}

/** `registry:5000/app:1.2@sha256:…` → its name without tag or digest. */
export function imageName(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const name = tag === undefined ? rest : rest.slice(0, colon);
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

function newImage(image: string, rules: readonly ImageRule[]): { image: string; rule: ImageRule } | undefined {
  const parsed = imageName(image);
  const rule = rules.find((r) => r.name === parsed.name);
  if (!rule) return undefined;
  const name = rule.newName ?? parsed.name;
  if (rule.digest !== undefined) return { image: `${name}@${rule.digest}`, rule };
  if (rule.newTag !== undefined) return { image: `${name}:${rule.newTag}`, rule };
  const keep = parsed.digest !== undefined ? `@${parsed.digest}` : parsed.tag !== undefined ? `:${parsed.tag}` : '';
  return { image: `${name}${keep}`, rule };
}

/** The value with its containers' images rewritten; every node the rules leave as it is stays the same node. */
function imagesIn(t: Traced, rules: readonly ImageRule[], depth: number): Traced {
  if (depth > 64) return t;
  if (t.kind === 'list') {
    const items = t.items.map((i) => imagesIn(i, rules, depth + 1));
    return items.every((x, i) => x === t.items[i]) ? t : { ...t, items };
  }
  if (t.kind !== 'map') return t;
  const entries = t.entries.map((e) => {
    if ((e.key === 'containers' || e.key === 'initContainers') && e.value.kind === 'list') {
      const list = e.value;
      const items = list.items.map((c) => containerImage(c, rules));
      return items.every((x, i) => x === list.items[i]) ? e : { ...e, value: { ...list, items } };
    }
    const value = imagesIn(e.value, rules, depth + 1);
    return value === e.value ? e : { ...e, value };
  });
  return entries.every((x, i) => x === t.entries[i]) ? t : { ...t, entries };
}

function containerImage(c: Traced, rules: readonly ImageRule[]): Traced {
  const image = str(get(c, 'image'));
  if (!isMap(c) || image === undefined) return c;
  const next = newImage(image, rules);
  if (!next || next.image === image) return c;
  const value: Traced = next.rule.src ? { kind: 'string', value: next.image, src: next.rule.src } : { kind: 'string', value: next.image };
  return setKey(c, 'image', value);
}

export function setImages(o: Obj, rules: readonly ImageRule[]): Obj {
  return rules.length === 0 ? o : withValue(o, imagesIn(o.value, rules, 0) as TMap);
}
