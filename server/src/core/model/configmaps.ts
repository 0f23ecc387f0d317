/**
 * ConfigMaps as values, and what of them a pod uses: the `data` keys of each ConfigMap (value
 * and span), the ConfigMap volumes of a pod, a container's volume mounts and `envFrom` sources.
 * ConfigMaps are collected across files like Services; a `ConfigMapLookup` answers by
 * namespace and name. App readers (model/apps) read shutdown settings from them.
 */
import type { Span } from '../types';
import { asMap, DocContext, entries, get, getMap, getSeq, getString, items, scalarString, type YMap } from '../yaml/nodes';
import type { ObjectInfo } from './workloads';

/** One `data` key: its value (undefined when it is not a string scalar) and where it is written. */
export interface ConfigMapValue {
  readonly value: string | undefined;
  readonly span: Span;
}

export interface ConfigMapInfo {
  readonly kind: 'ConfigMap';
  readonly name: string | undefined;
  readonly namespace: string;
  readonly data: ReadonlyMap<string, ConfigMapValue>;
  /** The `kind` value. */
  readonly span: Span;
  /** Absent: the file being analysed. */
  readonly filePath?: string;
}

export function configMapOf(ctx: DocContext, o: ObjectInfo, map: YMap): ConfigMapInfo | undefined {
  if (o.kind !== 'ConfigMap' || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) return undefined;
  const data = new Map<string, ConfigMapValue>();
  const dm = getMap(ctx, map, 'data');
  if (dm) {
    for (const e of entries(ctx, dm)) {
      const node = e.value;
      const isString = node !== null && typeof (node as { value?: unknown }).value === 'string';
      data.set(e.key, { value: isString ? scalarString(node) : undefined, span: ctx.span(node) ?? e.keySpan });
    }
  }
  return { kind: 'ConfigMap', name: o.name, namespace: o.namespace, data, span: o.kindSpan };
}

function shift(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

/** A ConfigMap with every span moved by `by` (a chunk's model is read at offset 0). */
export function shiftConfigMap(c: ConfigMapInfo, by: number): ConfigMapInfo {
  if (by === 0) return c;
  return { ...c, span: shift(c.span, by), data: new Map([...c.data].map(([k, v]) => [k, { value: v.value, span: shift(v.span, by) }])) };
}

/** A ConfigMap volume of a pod: its name, the ConfigMap and, when written, the keys it projects and where. */
export interface ConfigMapVolume {
  readonly name: string;
  readonly configMap: string | undefined;
  /** `items`: key → path in the volume; undefined when every key is projected under its own name. */
  readonly items: ReadonlyMap<string, string> | undefined;
}

export interface VolumeMountView {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath: string | undefined;
  readonly span: Span;
}

/** An `envFrom` source: the ConfigMap it names (undefined for a Secret or an unnamed one) and its prefix. */
export interface EnvFromView {
  readonly configMap: string | undefined;
  readonly prefix: string;
  readonly span: Span;
}

const ZERO: Span = { start: 0, end: 0 };

export function configMapVolumesOf(ctx: DocContext, spec: YMap): ConfigMapVolume[] {
  const out: ConfigMapVolume[] = [];
  for (const it of items(ctx, getSeq(ctx, spec, 'volumes'))) {
    const vm = asMap(it.node);
    const name = getString(ctx, vm, 'name');
    const cm = getMap(ctx, vm, 'configMap');
    if (!vm || name === undefined || !cm) continue;
    const list = getSeq(ctx, cm, 'items');
    let mapped: Map<string, string> | undefined;
    if (list) {
      mapped = new Map();
      for (const x of items(ctx, list)) {
        const xm = asMap(x.node);
        const key = getString(ctx, xm, 'key');
        const path = getString(ctx, xm, 'path');
        if (key !== undefined && path !== undefined) mapped.set(key, path);
      }
    }
    out.push({ name, configMap: getString(ctx, cm, 'name'), items: mapped });
  }
  return out;
}

export function volumeMountsOf(ctx: DocContext, m: YMap): VolumeMountView[] {
  const out: VolumeMountView[] = [];
  for (const it of items(ctx, getSeq(ctx, m, 'volumeMounts'))) {
    const vm = asMap(it.node);
    const name = getString(ctx, vm, 'name');
    const mountPath = getString(ctx, vm, 'mountPath');
    if (!vm || name === undefined || mountPath === undefined) continue;
    out.push({ name, mountPath, subPath: getString(ctx, vm, 'subPath'), span: ctx.span(get(ctx, vm, 'mountPath')?.value ?? null) ?? ZERO });
  }
  return out;
}

export function envFromOf(ctx: DocContext, m: YMap): EnvFromView[] {
  const out: EnvFromView[] = [];
  for (const it of items(ctx, getSeq(ctx, m, 'envFrom'))) {
    const em = asMap(it.node);
    if (!em) continue;
    const ref = getMap(ctx, em, 'configMapRef');
    const nameEntry = get(ctx, ref, 'name');
    out.push({ configMap: getString(ctx, ref, 'name'), prefix: getString(ctx, em, 'prefix') ?? '', span: ctx.span(nameEntry?.value ?? null) ?? ctx.span(em) ?? ZERO });
  }
  return out;
}

/** What the app readers ask of the ConfigMaps in view. */
export interface ConfigMapLookup {
  get(namespace: string, name: string): ConfigMapInfo | undefined;
}

/** ConfigMaps by namespace and name (the first of a name wins), optionally without one file's. */
export class ConfigMapIndex implements ConfigMapLookup {
  /** By namespace, then name: no key to build per lookup (app readers look up often). */
  private readonly byName = new Map<string, Map<string, ConfigMapInfo>>();

  constructor(list: Iterable<ConfigMapInfo>, excludeFile?: string) {
    for (const c of list) {
      if (c.name === undefined || (excludeFile !== undefined && c.filePath === excludeFile)) continue;
      let names = this.byName.get(c.namespace);
      if (!names) this.byName.set(c.namespace, (names = new Map<string, ConfigMapInfo>()));
      if (!names.has(c.name)) names.set(c.name, c);
    }
  }

  get(namespace: string, name: string): ConfigMapInfo | undefined {
    return this.byName.get(namespace)?.get(name);
  }
}

/** Several lookups as one (a file's own ConfigMaps first), optionally without one file's. */
export class CombinedConfigMaps implements ConfigMapLookup {
  constructor(
    private readonly parts: readonly ConfigMapLookup[],
    private readonly excludeFile?: string,
  ) {}

  get(namespace: string, name: string): ConfigMapInfo | undefined {
    for (const p of this.parts) {
      const c = p.get(namespace, name);
      if (c && (this.excludeFile === undefined || c.filePath !== this.excludeFile)) return c;
    }
    return undefined;
  }
}

export const NO_CONFIG_MAPS: ConfigMapLookup = new ConfigMapIndex([]);

/** A lookup that remembers what was asked and found: the part of the ConfigMaps a result depends on. */
export class RecordingConfigMaps implements ConfigMapLookup {
  readonly found: ConfigMapInfo[] = [];
  private readonly asked: string[] = [];
  /** What a lookup of a name wrote, by name: app readers ask for the same ConfigMap many times. */
  private readonly written = new Map<string, { c: ConfigMapInfo | undefined; text: string }>();

  constructor(private readonly inner: ConfigMapLookup) {}

  get(namespace: string, name: string): ConfigMapInfo | undefined {
    const c = this.inner.get(namespace, name);
    if (c) this.found.push(c);
    const k = `${namespace}\u0000${name}`;
    let w = this.written.get(k);
    if (w === undefined || w.c !== c) {
      w = { c, text: JSON.stringify([namespace, name, c ? [c.filePath ?? null, c.span, [...c.data]] : null]) };
      this.written.set(k, w);
    }
    this.asked.push(w.text);
    return c;
  }

  /** Every lookup and the data it saw, with where it is written. */
  key(): string {
    return this.asked.join('\u0001');
  }
}
