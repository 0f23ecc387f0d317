/**
 * What sits in front of a Service: Ingresses (class, annotations, the Services they route to)
 * and GKE BackendConfigs (connection draining), read as values like Services, and the load
 * balancer annotations of Services themselves. Collected across files like Services; a
 * `RouteLookup` answers per Service, so a pod's lookup does not scan the namespace.
 */
import type { Span } from '../types';
import { asMap, DocContext, entries, get, getMap, getSeq, getString, items, scalarInt, scalarString, type YMap } from '../yaml/nodes';
import { childTarget, type EditTarget } from '../yaml/targets';
import type { ObjectInfo } from './workloads';

/** An annotation's value and where it is written. */
export interface LocatedValue {
  readonly value: string;
  readonly span: Span;
  /** Where a fix writes it (relative to its document's chunk, like every target). */
  readonly target?: EditTarget;
}

/** Annotation prefixes that describe a cloud load balancer; other annotations are not kept. */
const LB_ANNOTATION_PREFIXES = [
  'service.beta.kubernetes.io/aws-load-balancer-',
  'alb.ingress.kubernetes.io/',
  'cloud.google.com/',
  'beta.cloud.google.com/',
  'appgw.ingress.kubernetes.io/',
  'kubernetes.io/ingress.class',
];

/** The load-balancer annotations of an object's metadata, with spans and targets (empty when there are none). */
export function lbAnnotationsOf(ctx: DocContext, map: YMap, object: EditTarget): ReadonlyMap<string, LocatedValue> {
  const out = new Map<string, LocatedValue>();
  const ann = getMap(ctx, getMap(ctx, map, 'metadata'), 'annotations');
  if (!ann) return out;
  for (const e of entries(ctx, ann)) {
    if (!LB_ANNOTATION_PREFIXES.some((p) => e.key.startsWith(p))) continue;
    const v = scalarString(e.value);
    if (v !== undefined) out.set(e.key, { value: v, span: ctx.span(e.value) ?? e.keySpan, target: childTarget(object, 'metadata', 'annotations', e.key) });
  }
  return out;
}

export interface IngressInfo {
  readonly kind: 'Ingress';
  readonly name: string | undefined;
  readonly namespace: string;
  /** `spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation. */
  readonly className: string | undefined;
  readonly annotations: ReadonlyMap<string, LocatedValue>;
  /** Names of the Services the Ingress routes to. */
  readonly services: readonly string[];
  /** The `kind` value. */
  readonly span: Span;
  readonly filePath?: string;
}

export interface BackendConfigInfo {
  readonly kind: 'BackendConfig';
  readonly name: string | undefined;
  readonly namespace: string;
  /** `spec.connectionDraining.drainingTimeoutSec`, when written. */
  readonly drainingTimeoutSec: { readonly seconds: number; readonly span: Span; readonly target: EditTarget } | undefined;
  readonly span: Span;
  readonly filePath?: string;
}

export type RouteInfo = IngressInfo | BackendConfigInfo;

function backendService(ctx: DocContext, backend: YMap | undefined): string | undefined {
  if (!backend) return undefined;
  // networking.k8s.io/v1: backend.service.name; extensions/v1beta1: backend.serviceName.
  return getString(ctx, getMap(ctx, backend, 'service'), 'name') ?? getString(ctx, backend, 'serviceName');
}

function ingressOf(ctx: DocContext, o: ObjectInfo, map: YMap): IngressInfo {
  const spec = getMap(ctx, map, 'spec');
  const services = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name !== undefined) services.add(name);
  };
  add(backendService(ctx, getMap(ctx, spec, 'defaultBackend') ?? getMap(ctx, spec, 'backend')));
  for (const rule of items(ctx, getSeq(ctx, spec, 'rules'))) {
    const http = getMap(ctx, asMap(rule.node) ?? undefined, 'http');
    for (const p of items(ctx, getSeq(ctx, http, 'paths'))) add(backendService(ctx, getMap(ctx, asMap(p.node) ?? undefined, 'backend')));
  }
  const annotations = lbAnnotationsOf(ctx, map, o.target);
  return {
    kind: 'Ingress',
    name: o.name,
    namespace: o.namespace,
    className: getString(ctx, spec, 'ingressClassName') ?? annotations.get('kubernetes.io/ingress.class')?.value,
    annotations,
    services: [...services],
    span: o.kindSpan,
  };
}

function backendConfigOf(ctx: DocContext, o: ObjectInfo, map: YMap): BackendConfigInfo {
  const draining = getMap(ctx, getMap(ctx, map, 'spec'), 'connectionDraining');
  const entry = get(ctx, draining, 'drainingTimeoutSec');
  const seconds = scalarInt(entry?.value ?? null);
  const span = entry ? ctx.span(entry.value) : undefined;
  return {
    kind: 'BackendConfig',
    name: o.name,
    namespace: o.namespace,
    drainingTimeoutSec: seconds !== undefined && span ? { seconds, span, target: childTarget(o.target, 'spec', 'connectionDraining', 'drainingTimeoutSec') } : undefined,
    span: o.kindSpan,
  };
}

/** The route object a document's object is, if it is one. */
export function routeOf(ctx: DocContext, o: ObjectInfo, map: YMap): RouteInfo | undefined {
  if (o.kind === 'Ingress' && (o.apiVersion === undefined || /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion))) return ingressOf(ctx, o, map);
  if (o.kind === 'BackendConfig' && (o.apiVersion === undefined || o.apiVersion.startsWith('cloud.google.com/'))) return backendConfigOf(ctx, o, map);
  return undefined;
}

function shift(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

function shiftValues(m: ReadonlyMap<string, LocatedValue>, by: number): ReadonlyMap<string, LocatedValue> {
  if (by === 0 || m.size === 0) return m;
  return new Map([...m].map(([k, v]) => [k, { ...v, span: shift(v.span, by) }]));
}

/** A route with every span moved by `by` (a chunk's model is read at offset 0). */
export function shiftRoute(r: RouteInfo, by: number): RouteInfo {
  if (r.kind === 'Ingress') return { ...r, span: shift(r.span, by), annotations: shiftValues(r.annotations, by) };
  const d = r.drainingTimeoutSec;
  return { ...r, span: shift(r.span, by), drainingTimeoutSec: d ? { ...d, span: shift(d.span, by) } : undefined };
}

/** Moves the spans of a Service's load-balancer annotations by `by`. */
export function shiftAnnotations(m: ReadonlyMap<string, LocatedValue> | undefined, by: number): ReadonlyMap<string, LocatedValue> | undefined {
  return m === undefined ? undefined : shiftValues(m, by);
}

/** What the load-balancer analysis asks of the routes in view. */
export interface RouteLookup {
  /** The Ingresses of the namespace that route to the Service. */
  ingressesTo(namespace: string, service: string): IngressInfo[];
  backendConfig(namespace: string, name: string): BackendConfigInfo | undefined;
}

/** Routes indexed by namespace and Service name, optionally without one file's. */
export class RouteIndex implements RouteLookup {
  private readonly ingresses = new Map<string, IngressInfo[]>();
  private readonly configs = new Map<string, BackendConfigInfo>();

  constructor(
    routes: Iterable<RouteInfo>,
    private readonly excludeFile?: string,
  ) {
    for (const r of routes) {
      if (r.name === undefined && r.kind === 'BackendConfig') continue;
      if (r.kind === 'BackendConfig') {
        const k = `${r.namespace}\u0000${r.name ?? ''}`;
        if (!this.configs.has(k)) this.configs.set(k, r);
        continue;
      }
      for (const s of r.services) {
        const k = `${r.namespace}\u0000${s}`;
        const list = this.ingresses.get(k);
        if (list) list.push(r);
        else this.ingresses.set(k, [r]);
      }
    }
  }

  ingressesTo(namespace: string, service: string): IngressInfo[] {
    const list = this.ingresses.get(`${namespace}\u0000${service}`) ?? [];
    return this.excludeFile === undefined ? list : list.filter((r) => r.filePath !== this.excludeFile);
  }

  backendConfig(namespace: string, name: string): BackendConfigInfo | undefined {
    const r = this.configs.get(`${namespace}\u0000${name}`);
    return r && (this.excludeFile === undefined || r.filePath !== this.excludeFile) ? r : undefined;
  }

  /** The same routes seen without one file's. */
  without(filePath: string): RouteLookup {
    return new CombinedRoutes([this], filePath);
  }
}

/** Several lookups as one (a file's own routes and those of the others), optionally without one file's. */
export class CombinedRoutes implements RouteLookup {
  constructor(
    private readonly parts: readonly RouteLookup[],
    private readonly excludeFile?: string,
  ) {}

  ingressesTo(namespace: string, service: string): IngressInfo[] {
    return this.parts.flatMap((p) => p.ingressesTo(namespace, service)).filter((r) => this.excludeFile === undefined || r.filePath !== this.excludeFile);
  }

  backendConfig(namespace: string, name: string): BackendConfigInfo | undefined {
    for (const p of this.parts) {
      const r = p.backendConfig(namespace, name);
      if (r && (this.excludeFile === undefined || r.filePath !== this.excludeFile)) return r;
    }
    return undefined;
  }
}

export const NO_ROUTES: RouteLookup = new RouteIndex([]);
