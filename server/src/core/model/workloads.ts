/**
 * The model: every Kubernetes object of a document, and every workload kind projected to one
 * pod view whose fields keep their source spans. Views are plain read-only values: no YAML
 * node, document or reading context survives the read, so a view can be cached, shared and
 * compared. Where a fix may write, a view carries an opaque edit target that only the fix
 * layer resolves, against a parse of the text it edits.
 */
import type { Span } from '../types';
import {
  asMap,
  DocContext,
  entries,
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
import { childTarget, rootTarget, type EditTarget } from '../yaml/targets';
import { execDuration, type HookDuration } from './hooks';
import { lbAnnotationsOf, routeOf, type LocatedValue, type RouteInfo } from './routes';
import { configMapOf, configMapVolumesOf, envFromOf, volumeMountsOf, type ConfigMapInfo, type ConfigMapVolume, type EnvFromView, type VolumeMountView } from './configmaps';

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
  /** The object's map. */
  readonly target: EditTarget;
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
  /** The preStop map. */
  readonly target: EditTarget;
}

export type ContainerRole = 'main' | 'sidecar';

/** A readiness, liveness or startup probe: the port and path it checks (httpGet, tcpSocket, grpc, or a URL in an exec probe). */
export interface ProbeView {
  readonly kind: 'readiness' | 'liveness' | 'startup';
  readonly port: number | string | undefined;
  readonly path: string | undefined;
}

export interface EnvVarView {
  readonly name: string;
  readonly value: string | undefined;
  /** The value when there is one, else the whole entry. */
  readonly span: Span;
  /** `valueFrom.fieldRef.fieldPath` (`metadata.namespace`), when the value comes from the pod's own fields. */
  readonly fieldPath?: string;
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
  /** Where each item of `command` / `args` is written (same length as those lists when they are defined). */
  readonly commandItemSpans: readonly Span[] | undefined;
  readonly argsItemSpans: readonly Span[] | undefined;
  /** `env` entries with a name; `value` is undefined for `valueFrom` (or a non-string value). */
  readonly env: readonly EnvVarView[];
  /** True when `envFrom` is present: variables not listed in `env` may be set too. */
  readonly envFrom: boolean;
  /** The `envFrom` sources, in order (later ones win for a variable two of them set). */
  readonly envFromSources: readonly EnvFromView[];
  readonly volumeMounts: readonly VolumeMountView[];
  readonly workingDir: string | undefined;
  readonly preStop: PreStopView | undefined;
  readonly lifecycle: 'absent' | 'map' | 'empty' | 'other';
  /** The `lifecycle` key, when written. */
  readonly lifecycleKeySpan: Span | undefined;
  readonly stopSignal: string | undefined;
  readonly probes: readonly ProbeView[];
  readonly subject: string;
  /** The container's map. */
  readonly target: EditTarget;
  /** Where the container's map is written. */
  readonly mapSpan: Span;
  readonly viaAlias: boolean;
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
  /** The key, when written. */
  readonly keySpan: Span | undefined;
  /** The `terminationGracePeriodSeconds` value (absent or not). */
  readonly target: EditTarget;
}

export interface PodView {
  readonly object: ObjectInfo;
  readonly batch: boolean;
  /** A kustomize patch or other fragment: fields may come from elsewhere, so nothing is reported. */
  readonly partial: boolean;
  readonly labels: ReadonlyMap<string, string>;
  /** Pod template annotations (mesh settings live here). */
  readonly annotations: ReadonlyMap<string, string>;
  /** Where each pod template label and annotation value is written. */
  readonly labelSpans: ReadonlyMap<string, Span>;
  readonly annotationSpans: ReadonlyMap<string, Span>;
  readonly grace: GraceView;
  readonly containers: readonly ContainerView[];
  readonly sidecars: readonly ContainerView[];
  /** The pod's ConfigMap volumes (model/configmaps.ts). */
  readonly configMapVolumes: readonly ConfigMapVolume[];
  readonly specSpan: Span;
  /** The key spans of the pod spec's own entries (where a workload-level action is offered). */
  readonly specKeySpans: readonly Span[];
  readonly specViaAlias: boolean;
  /** The pod spec's map. */
  readonly specTarget: EditTarget;
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
  /** `spec.type` (ClusterIP when absent). */
  readonly type?: string;
  /** The Service's cloud load-balancer annotations, with spans (see model/routes.ts). */
  readonly lbAnnotations?: ReadonlyMap<string, LocatedValue>;
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

/** What one document yields: its objects, the pod view of each workload, its Services. */
export interface DocumentModel {
  readonly objects: readonly ObjectInfo[];
  readonly pods: readonly PodView[];
  readonly services: readonly ServiceInfo[];
  /** Ingresses and BackendConfigs (model/routes.ts). */
  readonly routes: readonly RouteInfo[];
  readonly configMaps: readonly ConfigMapInfo[];
  /** More aliases than the per-read budget allows: values behind further ones were not read. */
  readonly aliasLimit: boolean;
}

/**
 * Reads one parsed document into values: the top-level object, or the items of a List. The
 * context (and its alias budget) lives for this read only.
 */
export function readDocument(ctx: DocContext, docInChunk: number, docIndex: number): DocumentModel {
  const objects: ObjectInfo[] = [];
  const pods: PodView[] = [];
  const services: ServiceInfo[] = [];
  const routes: RouteInfo[] = [];
  const configMaps: ConfigMapInfo[] = [];
  const add = (map: YMap, position: string, viaAlias: boolean, target: EditTarget): void => {
    const o = objectOf(ctx, map, position, viaAlias, target);
    if (!o) return;
    objects.push(o);
    const pod = podViewOf(ctx, o, map);
    if (pod) pods.push(pod);
    const svc = serviceOf(ctx, o, map);
    if (svc) services.push(svc);
    const route = routeOf(ctx, o, map);
    if (route) routes.push(route);
    const cm = configMapOf(ctx, o, map);
    if (cm) configMaps.push(cm);
  };
  const root = asMap(ctx.deref(ctx.doc.contents).node);
  if (root) {
    const kind = getString(ctx, root, 'kind');
    const listItems = getSeq(ctx, root, 'items');
    const top = rootTarget(docInChunk);
    if (kind !== undefined && (kind === 'List' || kind.endsWith('List')) && listItems) {
      items(ctx, listItems).forEach((it, i) => {
        const m = asMap(it.node);
        if (m) add(m, `${docIndex}.${i}`, it.viaAlias, childTarget(top, 'items', i));
      });
    } else {
      add(root, String(docIndex), false, top);
    }
  }
  return { objects, pods, services, routes, configMaps, aliasLimit: ctx.aliasLimitHit };
}

function objectOf(ctx: DocContext, map: YMap, position: string, viaAlias: boolean, target: EditTarget): ObjectInfo | undefined {
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
    target,
    viaAlias,
  };
}

interface TemplateAt {
  readonly spec: Entry;
  readonly metadata: YMap | undefined;
  /** Keys from the object's map to the pod spec. */
  readonly path: readonly string[];
}

function templateAt(ctx: DocContext, holder: YMap | undefined, path: readonly string[]): TemplateAt | undefined {
  const spec = get(ctx, holder, 'spec');
  return spec ? { spec, metadata: getMap(ctx, holder, 'metadata'), path } : undefined;
}

/** Where the pod template of an object is, by kind. */
function podTemplateOf(ctx: DocContext, o: ObjectInfo, map: YMap): TemplateAt | undefined {
  const { kind } = o;
  if (kind === 'Pod') return templateAt(ctx, map, ['spec']);
  if (kind === 'PodTemplate') return templateAt(ctx, getMap(ctx, map, 'template'), ['template', 'spec']);
  if (kind === 'CronJob') {
    const t = getMap(ctx, getMap(ctx, getMap(ctx, getMap(ctx, map, 'spec'), 'jobTemplate'), 'spec'), 'template');
    return templateAt(ctx, t, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
  }
  if (EXCLUDED_GROUPS.has(groupOf(o.apiVersion))) return undefined;
  const t = templateAt(ctx, getMap(ctx, getMap(ctx, map, 'spec'), 'template'), ['spec', 'template', 'spec']);
  if (!t) return undefined;
  if (!CONTROLLER_KINDS.has(kind) && !getSeq(ctx, asMap(t.spec.value), 'containers')) return undefined;
  return t;
}

function podViewOf(ctx: DocContext, o: ObjectInfo, map: YMap): PodView | undefined {
  const t = podTemplateOf(ctx, o, map);
  if (!t) return undefined;
  const spec = asMap(t.spec.value);
  if (!spec) return undefined;
  const containersSeq = getSeq(ctx, spec, 'containers');
  if (!containersSeq) return undefined;
  const specTarget = childTarget(o.target, ...t.path);
  const containers: ContainerView[] = [];
  items(ctx, containersSeq).forEach((it, i) => {
    const m = asMap(it.node);
    const at = { index: i, role: 'main' as const, objectSubject: o.subject, viaAlias: it.viaAlias || t.spec.viaAlias, target: childTarget(specTarget, 'containers', i) };
    if (m) containers.push(containerOf(ctx, m, at));
  });
  const sidecars: ContainerView[] = [];
  items(ctx, getSeq(ctx, spec, 'initContainers')).forEach((it, i) => {
    const m = asMap(it.node);
    const at = { index: i, role: 'sidecar' as const, objectSubject: o.subject, viaAlias: it.viaAlias || t.spec.viaAlias, target: childTarget(specTarget, 'initContainers', i) };
    if (m && getString(ctx, m, 'restartPolicy') === 'Always') sidecars.push(containerOf(ctx, m, at));
  });
  const partial =
    (o.apiVersion === 'apps/v1' && CONTROLLER_KINDS.has(o.kind) && o.kind !== 'Job' && get(ctx, getMap(ctx, map, 'spec'), 'selector') === undefined) ||
    (containers.length > 0 && containers.every((c) => c.image === undefined)) ||
    hasPatchDirective(ctx, map, 0);
  return {
    object: o,
    batch: BATCH_KINDS.has(o.kind),
    partial,
    labels: stringMap(ctx, getMap(ctx, t.metadata, 'labels')),
    annotations: stringMap(ctx, getMap(ctx, t.metadata, 'annotations')),
    labelSpans: valueSpans(ctx, getMap(ctx, t.metadata, 'labels')),
    annotationSpans: valueSpans(ctx, getMap(ctx, t.metadata, 'annotations')),
    grace: graceOf(ctx, spec, childTarget(specTarget, 'terminationGracePeriodSeconds')),
    containers,
    sidecars,
    configMapVolumes: configMapVolumesOf(ctx, spec),
    specSpan: ctx.span(spec) ?? ZERO,
    specKeySpans: entries(ctx, spec)
      .filter((e) => !e.viaAlias)
      .map((e) => e.keySpan),
    specViaAlias: t.spec.viaAlias || o.viaAlias,
    specTarget,
    subject: o.subject,
  };
}

function valueSpans(ctx: DocContext, map: YMap | undefined): Map<string, Span> {
  const out = new Map<string, Span>();
  if (map) for (const e of entries(ctx, map)) out.set(e.key, ctx.span(e.value) ?? e.keySpan);
  return out;
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

function graceOf(ctx: DocContext, spec: YMap, target: EditTarget): GraceView {
  const e = get(ctx, spec, 'terminationGracePeriodSeconds');
  if (!e || isNullNode(e.value)) {
    return { seconds: DEFAULT_GRACE_SECONDS, raw: undefined, explicit: false, valid: true, span: e?.keySpan, keySpan: e?.keySpan, target };
  }
  const v = scalarInt(e.value);
  const span = ctx.span(e.value) ?? e.keySpan;
  if (v === undefined) return { seconds: DEFAULT_GRACE_SECONDS, raw: undefined, explicit: true, valid: false, span, keySpan: e.keySpan, target };
  return { seconds: v < 0 ? 1 : v, raw: v, explicit: true, valid: true, span, keySpan: e.keySpan, target };
}

interface ContainerAt {
  readonly index: number;
  readonly role: ContainerRole;
  readonly objectSubject: string;
  readonly viaAlias: boolean;
  readonly target: EditTarget;
}

function portsOf(ctx: DocContext, m: YMap): PortView[] {
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
  return ports;
}

function lifecycleState(lifecycleEntry: Entry | undefined, lifecycleMap: YMap | undefined): ContainerView['lifecycle'] {
  if (!lifecycleEntry) return 'absent';
  if (isNullNode(lifecycleEntry.value) || (lifecycleMap && lifecycleMap.items.length === 0)) return 'empty';
  return lifecycleMap ? 'map' : 'other';
}

function containerOf(ctx: DocContext, m: YMap, at: ContainerAt): ContainerView {
  const nameEntry = get(ctx, m, 'name');
  const name = scalarString(nameEntry?.value ?? null);
  const imageEntry = get(ctx, m, 'image');
  const lifecycleEntry = get(ctx, m, 'lifecycle');
  const lifecycleMap = asMap(lifecycleEntry?.value ?? null);
  const preStopEntry = get(ctx, lifecycleMap, 'preStop');
  const commandEntry = get(ctx, m, 'command');
  const argsEntry = get(ctx, m, 'args');
  const subject = `${at.objectSubject}/${at.role === 'main' ? 'containers' : 'initContainers'}/${name ?? `#${at.index}`}`;
  const mapSpan = ctx.span(m) ?? ZERO;
  const preStopTarget = childTarget(at.target, 'lifecycle', 'preStop');
  return {
    name,
    index: at.index,
    role: at.role,
    span: (nameEntry && ctx.span(nameEntry.value)) ?? { start: mapSpan.start, end: mapSpan.start },
    image: scalarString(imageEntry?.value ?? null),
    imageSpan: imageEntry ? ctx.span(imageEntry.value) : undefined,
    ports: portsOf(ctx, m),
    command: stringList(ctx, asSeqOrUndefined(commandEntry)),
    commandSpan: commandEntry ? ctx.span(commandEntry.value) : undefined,
    args: stringList(ctx, asSeqOrUndefined(argsEntry)),
    argsSpan: argsEntry ? ctx.span(argsEntry.value) : undefined,
    commandItemSpans: itemSpans(ctx, asSeqOrUndefined(commandEntry)),
    argsItemSpans: itemSpans(ctx, asSeqOrUndefined(argsEntry)),
    env: envOf(ctx, m),
    envFrom: get(ctx, m, 'envFrom') !== undefined,
    envFromSources: envFromOf(ctx, m),
    volumeMounts: volumeMountsOf(ctx, m),
    workingDir: getString(ctx, m, 'workingDir'),
    preStop: preStopEntry ? preStopOf(ctx, preStopEntry, at.viaAlias || (lifecycleEntry?.viaAlias ?? false), preStopTarget) : undefined,
    lifecycle: lifecycleState(lifecycleEntry, lifecycleMap),
    lifecycleKeySpan: lifecycleEntry?.keySpan,
    stopSignal: getString(ctx, lifecycleMap, 'stopSignal'),
    probes: probesOf(ctx, m),
    subject,
    target: at.target,
    mapSpan,
    viaAlias: at.viaAlias,
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

/** Spans of a list's items, when it is a list of strings (see `stringList`). */
function itemSpans(ctx: DocContext, seq: ReturnType<typeof getSeq>): Span[] | undefined {
  if (!stringList(ctx, seq)) return undefined;
  return items(ctx, seq).map((it) => ctx.span(it.node) ?? ZERO);
}

function envOf(ctx: DocContext, m: YMap): EnvVarView[] {
  const out: EnvVarView[] = [];
  for (const it of items(ctx, getSeq(ctx, m, 'env'))) {
    const em = asMap(it.node);
    const name = getString(ctx, em, 'name');
    if (!em || name === undefined) continue;
    const valueEntry = get(ctx, em, 'value');
    const value = scalarString(valueEntry?.value ?? null);
    const span = value !== undefined && valueEntry ? ctx.span(valueEntry.value) : undefined;
    const fieldPath = getString(ctx, getMap(ctx, getMap(ctx, em, 'valueFrom'), 'fieldRef'), 'fieldPath');
    out.push({ name, value, span: span ?? ctx.span(em) ?? ZERO, ...(fieldPath !== undefined ? { fieldPath } : {}) });
  }
  return out;
}

function asSeqOrUndefined(e: Entry | undefined): ReturnType<typeof getSeq> {
  const v = e?.value as { items?: unknown } | null | undefined;
  return v && Array.isArray(v.items) && !asMap(e?.value ?? null) ? (e?.value as ReturnType<typeof getSeq>) : undefined;
}

function preStopOf(ctx: DocContext, e: Entry, viaAlias: boolean, target: EditTarget): PreStopView | undefined {
  const m = asMap(e.value);
  if (!m) return undefined;
  const base = { span: e.keySpan, valueSpan: ctx.span(m) ?? e.keySpan, viaAlias: viaAlias || e.viaAlias, target };
  const none = { sleepSeconds: undefined, sleepSecondsSpan: undefined, execCommand: undefined, execSpan: undefined };
  const sleep = get(ctx, m, 'sleep');
  if (sleep) {
    const secondsEntry = get(ctx, asMap(sleep.value), 'seconds');
    const s = scalarInt(secondsEntry?.value ?? null);
    return {
      ...base,
      ...none,
      form: 'sleep',
      duration: s === undefined || s < 0 ? undefined : { seconds: s, exact: true },
      sleepSeconds: s,
      sleepSecondsSpan: secondsEntry ? ctx.span(secondsEntry.value) : undefined,
    };
  }
  const exec = get(ctx, m, 'exec');
  if (exec) {
    const cmdEntry = get(ctx, asMap(exec.value), 'command');
    const argv = stringList(ctx, asSeqOrUndefined(cmdEntry));
    return {
      ...base,
      ...none,
      form: 'exec',
      duration: argv ? execDuration(argv) : undefined,
      execCommand: argv,
      execSpan: cmdEntry ? ctx.span(cmdEntry.value) : ctx.span(exec.value),
    };
  }
  const form: HookForm = get(ctx, m, 'httpGet') ? 'httpGet' : get(ctx, m, 'tcpSocket') ? 'tcpSocket' : 'other';
  return { ...base, ...none, form, duration: undefined };
}

function serviceOf(ctx: DocContext, o: ObjectInfo, map: YMap): ServiceInfo | undefined {
  if (o.kind !== 'Service' || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) return undefined;
  const spec = getMap(ctx, map, 'spec');
  const selector = stringMap(ctx, getMap(ctx, spec, 'selector'));
  if (selector.size === 0) return undefined;
  const ports: { port: number | undefined; targetPort: number | string | undefined; name: string | undefined }[] = [];
  for (const p of items(ctx, getSeq(ctx, spec, 'ports'))) {
    const pm = asMap(p.node);
    if (!pm) continue;
    const tpNode = get(ctx, pm, 'targetPort')?.value ?? null;
    ports.push({ port: scalarInt(get(ctx, pm, 'port')?.value ?? null), targetPort: scalarInt(tpNode) ?? scalarString(tpNode), name: getString(ctx, pm, 'name') });
  }
  const type = getString(ctx, spec, 'type');
  const lbAnnotations = lbAnnotationsOf(ctx, map, o.target);
  return {
    name: o.name,
    namespace: o.namespace,
    selector,
    ports,
    span: o.kindSpan,
    ...(type !== undefined ? { type } : {}),
    ...(lbAnnotations.size > 0 ? { lbAnnotations } : {}),
  };
}
