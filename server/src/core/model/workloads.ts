/**
 * The model: every Kubernetes object of a document, and every workload kind projected to one
 * pod view whose fields keep their source spans. Rules read these views; only fix builders
 * look at the `yaml` nodes they carry.
 */
import type { Span } from '../types';
import {
  asMap,
  DocContext,
  get,
  getMap,
  getSeq,
  getString,
  isNullNode,
  items,
  scalarInt,
  scalarString,
  stringList,
  stringMap,
  type Entry,
  type YMap,
  type YNode,
} from '../yaml/nodes';
import { execDuration, type HookDuration } from './hooks';

export const DEFAULT_GRACE_SECONDS = 30;

export interface ObjectInfo {
  readonly kind: string;
  readonly apiVersion: string | undefined;
  readonly name: string | undefined;
  /** '' when omitted. */
  readonly namespace: string;
  /** The object's whole map. */
  readonly span: Span;
  /** Where to anchor object-level messages: the `kind` value. */
  readonly kindSpan: Span;
  readonly annotations: ReadonlyMap<string, string>;
  /** "Kind/namespace/name" (or a positional name), stable across edits elsewhere. */
  readonly subject: string;
  readonly ctx: DocContext;
  readonly map: YMap;
  readonly viaAlias: boolean;
}

export interface PortView {
  readonly containerPort: number | undefined;
  readonly name: string | undefined;
  readonly hostPort: number | undefined;
  readonly protocol: string | undefined;
  readonly span: Span;
}

export type HookForm = 'sleep' | 'exec' | 'httpGet' | 'tcpSocket' | 'other';

export interface PreStopView {
  readonly form: HookForm;
  /** The `preStop` key. */
  readonly span: Span;
  /** Whole hook value. */
  readonly valueSpan: Span;
  readonly duration: HookDuration | undefined;
  /** Native sleep action: its seconds value (undefined when not an integer). */
  readonly sleepSeconds: number | undefined;
  readonly sleepSecondsSpan: Span | undefined;
  /** exec form: the command (undefined when not a list of strings). */
  readonly execCommand: readonly string[] | undefined;
  readonly execSpan: Span | undefined;
  readonly viaAlias: boolean;
  readonly node: YMap;
}

export type ContainerRole = 'main' | 'sidecar';

/** A readiness, liveness or startup probe: the port and path it checks (httpGet, tcpSocket, grpc, or a URL in an exec probe). */
export interface ProbeView {
  readonly kind: 'readiness' | 'liveness' | 'startup';
  readonly port: number | string | undefined;
  readonly path: string | undefined;
}

export interface ContainerView {
  readonly name: string | undefined;
  readonly index: number;
  readonly role: ContainerRole;
  /** Anchor for messages: the name value, else the container map's start. */
  readonly span: Span;
  readonly image: string | undefined;
  readonly imageSpan: Span | undefined;
  readonly ports: readonly PortView[];
  readonly command: readonly string[] | undefined;
  readonly commandSpan: Span | undefined;
  readonly args: readonly string[] | undefined;
  readonly argsSpan: Span | undefined;
  readonly preStop: PreStopView | undefined;
  readonly lifecycle: 'absent' | 'map' | 'empty' | 'other';
  readonly stopSignal: string | undefined;
  readonly probes: readonly ProbeView[];
  /** Environment variables with a literal value. */
  readonly env: ReadonlyMap<string, string>;
  readonly subject: string;
  readonly map: YMap;
  readonly viaAlias: boolean;
  readonly lifecycleEntry: Entry | undefined;
  readonly commandEntry: Entry | undefined;
  readonly argsEntry: Entry | undefined;
}

export interface GraceView {
  /** Effective seconds: 30 when omitted, 1 when negative. */
  readonly seconds: number;
  /** As written; undefined when omitted or null. */
  readonly raw: number | undefined;
  readonly explicit: boolean;
  /** False when present but not an integer (then nothing is said about timing). */
  readonly valid: boolean;
  readonly span: Span | undefined;
  readonly entry: Entry | undefined;
}

export interface PodView {
  readonly object: ObjectInfo;
  readonly batch: boolean;
  /** A kustomize patch or other fragment: fields may come from elsewhere, so nothing is reported. */
  readonly partial: boolean;
  readonly labels: ReadonlyMap<string, string>;
  /** Pod template annotations (mesh settings live here). */
  readonly annotations: ReadonlyMap<string, string>;
  readonly grace: GraceView;
  readonly containers: readonly ContainerView[];
  readonly sidecars: readonly ContainerView[];
  readonly spec: YMap;
  readonly specSpan: Span;
  readonly specViaAlias: boolean;
  readonly ctx: DocContext;
  readonly subject: string;
}

export interface ServiceInfo {
  readonly name: string | undefined;
  readonly namespace: string;
  readonly selector: ReadonlyMap<string, string>;
  readonly ports: readonly { readonly port: number | undefined; readonly targetPort: number | string | undefined; readonly name: string | undefined }[];
  readonly span: Span;
  /** Absent: the file being analysed. */
  readonly filePath?: string;
}

const CONTROLLER_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job']);
const BATCH_KINDS = new Set(['Job', 'CronJob']);
/** Groups whose pod templates are run by a controller that owns termination itself and forbids lifecycle hooks. */
const EXCLUDED_GROUPS = new Set(['serving.knative.dev']);

const ZERO: Span = { start: 0, end: 0 };

function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i === -1 ? '' : apiVersion.slice(0, i);
}

/** The Kubernetes objects of one parsed document: the top-level map, or the items of a List. */
export function objectsOf(ctx: DocContext, docIndex: number): ObjectInfo[] {
  const root = asMap(ctx.deref(ctx.doc.contents).node);
  if (!root) return [];
  const kind = getString(ctx, root, 'kind');
  const listItems = getSeq(ctx, root, 'items');
  if (kind !== undefined && (kind === 'List' || kind.endsWith('List')) && listItems) {
    const out: ObjectInfo[] = [];
    items(ctx, listItems).forEach((it, i) => {
      const m = asMap(it.node);
      if (m) {
        const o = objectOf(ctx, m, `${docIndex}.${i}`, it.viaAlias);
        if (o) out.push(o);
      }
    });
    return out;
  }
  const o = objectOf(ctx, root, String(docIndex), false);
  return o ? [o] : [];
}

function objectOf(ctx: DocContext, map: YMap, position: string, viaAlias: boolean): ObjectInfo | undefined {
  const kindEntry = get(ctx, map, 'kind');
  const kind = scalarString(kindEntry?.value ?? null);
  if (kind === undefined || kindEntry === undefined) return undefined;
  const metadata = getMap(ctx, map, 'metadata');
  const name = getString(ctx, metadata, 'name');
  const namespace = getString(ctx, metadata, 'namespace') ?? '';
  const apiVersion = getString(ctx, map, 'apiVersion');
  return {
    kind,
    apiVersion,
    name,
    namespace,
    span: ctx.span(map) ?? ZERO,
    kindSpan: ctx.span(kindEntry.value) ?? kindEntry.keySpan,
    annotations: stringMap(ctx, getMap(ctx, metadata, 'annotations')),
    subject: `${kind}/${namespace}/${name ?? `#${position}`}`,
    ctx,
    map,
    viaAlias,
  };
}

/** Where the pod template of an object is, by kind. */
function podTemplateOf(o: ObjectInfo): { spec: Entry; metadata: YMap | undefined } | undefined {
  const { ctx, map, kind } = o;
  if (kind === 'Pod') {
    const spec = get(ctx, map, 'spec');
    return spec ? { spec, metadata: getMap(ctx, map, 'metadata') } : undefined;
  }
  if (kind === 'PodTemplate') {
    const t = getMap(ctx, map, 'template');
    const spec = get(ctx, t, 'spec');
    return spec ? { spec, metadata: getMap(ctx, t, 'metadata') } : undefined;
  }
  if (kind === 'CronJob') {
    const t = getMap(ctx, getMap(ctx, getMap(ctx, getMap(ctx, map, 'spec'), 'jobTemplate'), 'spec'), 'template');
    const spec = get(ctx, t, 'spec');
    return spec ? { spec, metadata: getMap(ctx, t, 'metadata') } : undefined;
  }
  if (EXCLUDED_GROUPS.has(groupOf(o.apiVersion))) return undefined;
  const t = getMap(ctx, getMap(ctx, map, 'spec'), 'template');
  const spec = get(ctx, t, 'spec');
  if (!spec) return undefined;
  if (!CONTROLLER_KINDS.has(kind) && !getSeq(ctx, asMap(spec.value), 'containers')) return undefined;
  return { spec, metadata: getMap(ctx, t, 'metadata') };
}

export function podViewOf(o: ObjectInfo): PodView | undefined {
  const t = podTemplateOf(o);
  if (!t) return undefined;
  const spec = asMap(t.spec.value);
  if (!spec) return undefined;
  const { ctx } = o;
  const containersSeq = getSeq(ctx, spec, 'containers');
  if (!containersSeq) return undefined;
  const containers: ContainerView[] = [];
  items(ctx, containersSeq).forEach((it, i) => {
    const m = asMap(it.node);
    if (m) containers.push(containerOf(ctx, m, i, 'main', o.subject, it.viaAlias || t.spec.viaAlias));
  });
  const sidecars: ContainerView[] = [];
  items(ctx, getSeq(ctx, spec, 'initContainers')).forEach((it, i) => {
    const m = asMap(it.node);
    if (m && getString(ctx, m, 'restartPolicy') === 'Always') sidecars.push(containerOf(ctx, m, i, 'sidecar', o.subject, it.viaAlias || t.spec.viaAlias));
  });
  const batch = BATCH_KINDS.has(o.kind);
  const partial =
    (o.apiVersion === 'apps/v1' && CONTROLLER_KINDS.has(o.kind) && o.kind !== 'Job' && get(ctx, getMap(ctx, o.map, 'spec'), 'selector') === undefined) ||
    (containers.length > 0 && containers.every((c) => c.image === undefined)) ||
    hasPatchDirective(ctx, o.map, 0);
  return {
    object: o,
    batch,
    partial,
    labels: stringMap(ctx, getMap(ctx, t.metadata, 'labels')),
    annotations: stringMap(ctx, getMap(ctx, t.metadata, 'annotations')),
    grace: graceOf(ctx, spec),
    containers,
    sidecars,
    spec,
    specSpan: ctx.span(spec) ?? ZERO,
    specViaAlias: t.spec.viaAlias || o.viaAlias,
    ctx,
    subject: o.subject,
  };
}

/** Strategic-merge-patch directives ($patch, $setElementOrder/…, $retainKeys, $deleteFromPrimitiveList/…). */
function hasPatchDirective(ctx: DocContext, map: YMap, depth: number): boolean {
  if (depth > 12) return false;
  for (const item of map.items) {
    const k = scalarString((item as { key: YNode | null }).key ?? null);
    if (k !== undefined && k.startsWith('$')) return true;
    const v = (item as { value: unknown }).value;
    const m = asMap((v as YNode | null) ?? null);
    if (m && hasPatchDirective(ctx, m, depth + 1)) return true;
    const s = v as { items?: unknown[] } | null;
    if (s && Array.isArray(s.items) && !m) {
      for (const x of s.items) {
        const xm = asMap((x as YNode | null) ?? null);
        if (xm && hasPatchDirective(ctx, xm, depth + 1)) return true;
      }
    }
  }
  return false;
}

function graceOf(ctx: DocContext, spec: YMap): GraceView {
  const e = get(ctx, spec, 'terminationGracePeriodSeconds');
  if (!e || isNullNode(e.value)) {
    return { seconds: DEFAULT_GRACE_SECONDS, raw: undefined, explicit: false, valid: true, span: e?.keySpan, entry: e };
  }
  const v = scalarInt(e.value);
  const span = ctx.span(e.value) ?? e.keySpan;
  if (v === undefined) return { seconds: DEFAULT_GRACE_SECONDS, raw: undefined, explicit: true, valid: false, span, entry: e };
  return { seconds: v < 0 ? 1 : v, raw: v, explicit: true, valid: true, span, entry: e };
}

function containerOf(ctx: DocContext, m: YMap, index: number, role: ContainerRole, objectSubject: string, viaAlias: boolean): ContainerView {
  const nameEntry = get(ctx, m, 'name');
  const name = scalarString(nameEntry?.value ?? null);
  const imageEntry = get(ctx, m, 'image');
  const ports: PortView[] = [];
  for (const p of items(ctx, getSeq(ctx, m, 'ports'))) {
    const pm = asMap(p.node);
    if (!pm) continue;
    ports.push({
      containerPort: scalarInt(get(ctx, pm, 'containerPort')?.value ?? null),
      name: getString(ctx, pm, 'name'),
      hostPort: scalarInt(get(ctx, pm, 'hostPort')?.value ?? null),
      protocol: getString(ctx, pm, 'protocol'),
      span: ctx.span(pm) ?? ZERO,
    });
  }
  const lifecycleEntry = get(ctx, m, 'lifecycle');
  const lifecycleMap = asMap(lifecycleEntry?.value ?? null);
  let lifecycle: ContainerView['lifecycle'] = 'absent';
  if (lifecycleEntry) {
    if (isNullNode(lifecycleEntry.value) || (lifecycleMap && lifecycleMap.items.length === 0)) lifecycle = 'empty';
    else lifecycle = lifecycleMap ? 'map' : 'other';
  }
  const preStopEntry = get(ctx, lifecycleMap, 'preStop');
  const commandEntry = get(ctx, m, 'command');
  const argsEntry = get(ctx, m, 'args');
  const cmdSeq = asSeqOrUndefined(commandEntry);
  const argsSeq = asSeqOrUndefined(argsEntry);
  const subject = `${objectSubject}/${role === 'main' ? 'containers' : 'initContainers'}/${name ?? `#${index}`}`;
  return {
    name,
    index,
    role,
    span: (nameEntry && ctx.span(nameEntry.value)) ?? { start: (ctx.span(m) ?? ZERO).start, end: (ctx.span(m) ?? ZERO).start },
    image: scalarString(imageEntry?.value ?? null),
    imageSpan: imageEntry ? ctx.span(imageEntry.value) : undefined,
    ports,
    command: stringList(ctx, cmdSeq),
    commandSpan: commandEntry ? ctx.span(commandEntry.value) : undefined,
    args: stringList(ctx, argsSeq),
    argsSpan: argsEntry ? ctx.span(argsEntry.value) : undefined,
    preStop: preStopEntry ? preStopOf(ctx, preStopEntry, viaAlias || (lifecycleEntry?.viaAlias ?? false)) : undefined,
    lifecycle,
    stopSignal: getString(ctx, lifecycleMap, 'stopSignal'),
    probes: probesOf(ctx, m),
    env: envOf(ctx, m),
    subject,
    map: m,
    viaAlias,
    lifecycleEntry,
    commandEntry,
    argsEntry,
  };
}

const PROBES = [
  ['readinessProbe', 'readiness'],
  ['livenessProbe', 'liveness'],
  ['startupProbe', 'startup'],
] as const;

function probesOf(ctx: DocContext, m: YMap): ProbeView[] {
  const out: ProbeView[] = [];
  for (const [key, kind] of PROBES) {
    const probe = getMap(ctx, m, key);
    if (!probe) continue;
    const action = getMap(ctx, probe, 'httpGet') ?? getMap(ctx, probe, 'tcpSocket') ?? getMap(ctx, probe, 'grpc');
    if (action) {
      const portNode = get(ctx, action, 'port')?.value ?? null;
      out.push({ kind, port: scalarInt(portNode) ?? scalarString(portNode), path: getString(ctx, action, 'path') });
      continue;
    }
    const argv = stringList(ctx, getSeq(ctx, getMap(ctx, probe, 'exec'), 'command'));
    // wget/curl against the container itself: http://localhost:8080/healthz
    const url = argv?.map((a) => /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)(\/[^\s'"]*)?/.exec(a)).find((x) => x !== null);
    if (url) out.push({ kind, port: Number(url[1]), path: url[2] });
  }
  return out;
}

function envOf(ctx: DocContext, m: YMap): Map<string, string> {
  const out = new Map<string, string>();
  for (const it of items(ctx, getSeq(ctx, m, 'env'))) {
    const em = asMap(it.node);
    const name = getString(ctx, em, 'name');
    const value = scalarString(get(ctx, em, 'value')?.value ?? null);
    if (name !== undefined && value !== undefined) out.set(name, value);
  }
  return out;
}

function asSeqOrUndefined(e: Entry | undefined): ReturnType<typeof getSeq> {
  const v = e?.value as { items?: unknown } | null | undefined;
  return v && Array.isArray(v.items) && !asMap(e?.value ?? null) ? (e?.value as ReturnType<typeof getSeq>) : undefined;
}

function preStopOf(ctx: DocContext, e: Entry, viaAlias: boolean): PreStopView | undefined {
  const m = asMap(e.value);
  if (!m) return undefined;
  const base = { span: e.keySpan, valueSpan: ctx.span(m) ?? e.keySpan, viaAlias: viaAlias || e.viaAlias, node: m };
  const sleep = get(ctx, m, 'sleep');
  if (sleep) {
    const secondsEntry = get(ctx, asMap(sleep.value), 'seconds');
    const s = scalarInt(secondsEntry?.value ?? null);
    return {
      ...base,
      form: 'sleep',
      duration: s === undefined || s < 0 ? undefined : { seconds: s, exact: true },
      sleepSeconds: s,
      sleepSecondsSpan: secondsEntry ? ctx.span(secondsEntry.value) : undefined,
      execCommand: undefined,
      execSpan: undefined,
    };
  }
  const exec = get(ctx, m, 'exec');
  if (exec) {
    const cmdEntry = get(ctx, asMap(exec.value), 'command');
    const argv = stringList(ctx, asSeqOrUndefined(cmdEntry));
    return {
      ...base,
      form: 'exec',
      duration: argv ? execDuration(argv) : undefined,
      sleepSeconds: undefined,
      sleepSecondsSpan: undefined,
      execCommand: argv,
      execSpan: cmdEntry ? ctx.span(cmdEntry.value) : ctx.span(exec.value),
    };
  }
  const form: HookForm = get(ctx, m, 'httpGet') ? 'httpGet' : get(ctx, m, 'tcpSocket') ? 'tcpSocket' : 'other';
  return { ...base, form, duration: undefined, sleepSeconds: undefined, sleepSecondsSpan: undefined, execCommand: undefined, execSpan: undefined };
}

export function serviceOf(o: ObjectInfo): ServiceInfo | undefined {
  if (o.kind !== 'Service' || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) return undefined;
  const { ctx } = o;
  const spec = getMap(ctx, o.map, 'spec');
  const selector = stringMap(ctx, getMap(ctx, spec, 'selector'));
  if (selector.size === 0) return undefined;
  const ports: { port: number | undefined; targetPort: number | string | undefined; name: string | undefined }[] = [];
  for (const p of items(ctx, getSeq(ctx, spec, 'ports'))) {
    const pm = asMap(p.node);
    if (!pm) continue;
    const tpNode = get(ctx, pm, 'targetPort')?.value ?? null;
    ports.push({ port: scalarInt(get(ctx, pm, 'port')?.value ?? null), targetPort: scalarInt(tpNode) ?? scalarString(tpNode), name: getString(ctx, pm, 'name') });
  }
  return { name: o.name, namespace: o.namespace, selector, ports, span: o.kindSpan };
}
