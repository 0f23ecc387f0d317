/**
 * Which containers receive traffic that a rollout can drop. A container serves when a Service
 * of its namespace selects its pod and targets it; when no Service analysed selects the pod,
 * a declared port that is not a metrics or health port is taken as the sign; a hostPort
 * counts. Containers that serve nothing whatever their ports say (idle client containers,
 * exporters and metrics proxies, injected mesh proxies) and scrape-only ports are left out
 * (roles.ts).
 */
import { nonTrafficPortName, scrapeOnlyPorts, servesNothing } from './roles';
import type { ContainerView, PodView, PortView, ServiceInfo } from './workloads';

export type ServingReason =
  | { readonly kind: 'service'; readonly service: ServiceInfo }
  | { readonly kind: 'port'; readonly port: PortView }
  | { readonly kind: 'hostPort'; readonly port: PortView };

export function isTrafficPort(p: PortView): boolean {
  if (p.hostPort !== undefined && p.hostPort > 0) return true;
  return !nonTrafficPortName(p.name);
}

export function selects(service: ServiceInfo, pod: PodView): boolean {
  if (service.namespace !== pod.object.namespace) return false;
  if (service.selector.size === 0) return false;
  for (const [k, v] of service.selector) if (pod.labels.get(k) !== v) return false;
  return true;
}

/** What the serving analysis asks of the Services in view. */
export interface ServiceLookup {
  hasNamespace(ns: string): boolean;
  /** The Services that select the pod, in the order they were given. */
  selecting(pod: PodView): ServiceInfo[];
}

/**
 * Services indexed by namespace and by each `key=value` of their selectors: a pod's candidates
 * are the Services that share one of its labels, so a lookup does not scan the namespace.
 */
export class ServiceIndex implements ServiceLookup {
  private readonly namespaces = new Set<string>();
  private readonly byPair = new Map<string, { s: ServiceInfo; order: number }[]>();

  constructor(services: Iterable<ServiceInfo>) {
    let order = 0;
    for (const s of services) {
      this.namespaces.add(s.namespace);
      const first = s.selector.entries().next();
      if (first.done === true) continue;
      // One pair is enough to find the Service: every pair must match anyway.
      const [k, v] = first.value;
      const key = `${s.namespace}\u0000${k}\u0000${v}`;
      const list = this.byPair.get(key);
      const item = { s, order: order++ };
      if (list) list.push(item);
      else this.byPair.set(key, [item]);
    }
  }

  hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  selecting(pod: PodView): ServiceInfo[] {
    if (!this.namespaces.has(pod.object.namespace)) return [];
    const found: { s: ServiceInfo; order: number }[] = [];
    for (const [k, v] of pod.labels) {
      const list = this.byPair.get(`${pod.object.namespace}\u0000${k}\u0000${v}`);
      if (list) for (const item of list) if (selects(item.s, pod)) found.push(item);
    }
    return found.sort((a, b) => a.order - b.order).map((x) => x.s);
  }
}

/** Several lookups as one (a file's own Services and those of the others), optionally without one file's. */
export class CombinedServices implements ServiceLookup {
  constructor(
    private readonly parts: readonly ServiceLookup[],
    private readonly excludeFile?: string,
  ) {}

  hasNamespace(ns: string): boolean {
    return this.parts.some((p) => p.hasNamespace(ns));
  }

  selecting(pod: PodView): ServiceInfo[] {
    const out: ServiceInfo[] = [];
    for (const p of this.parts) for (const s of p.selecting(pod)) if (this.excludeFile === undefined || s.filePath !== this.excludeFile) out.push(s);
    return out;
  }
}

function targetPort(sp: ServiceInfo['ports'][number]): number | string | undefined {
  return sp.targetPort ?? sp.port;
}

function declares(c: ContainerView, t: number | string): PortView | undefined {
  return c.ports.find((p) => (typeof t === 'number' ? p.containerPort === t : p.name === t));
}

/** Service ports that may carry user traffic (not named as metrics or health ports). */
function trafficServicePorts(service: ServiceInfo): ServiceInfo['ports'] {
  return service.ports.filter((sp) => !nonTrafficPortName(sp.name));
}

function targets(service: ServiceInfo, c: ContainerView, scrapeOnly: ReadonlySet<PortView>): boolean {
  return trafficServicePorts(service).some((sp) => {
    const t = targetPort(sp);
    if (t === undefined) return false;
    const p = declares(c, t);
    return p !== undefined && isTrafficPort(p) && !scrapeOnly.has(p);
  });
}

/** A Service whose every port is a metrics or health port carries no user traffic. */
function carriesTraffic(service: ServiceInfo): boolean {
  return service.ports.length === 0 || trafficServicePorts(service).length > 0;
}

/**
 * The containers a Service's undeclared target port belongs to: the one whose probe checks
 * that port or whose `PORT`-style env names it; else the only main container that can serve;
 * else those that declare traffic ports.
 */
function undeclaredTargets(service: ServiceInfo, candidates: readonly ContainerView[]): ContainerView[] {
  const numbers = trafficServicePorts(service)
    .map(targetPort)
    .filter((t): t is number | string => t !== undefined);
  const byProbe = candidates.filter((c) => c.probes.some((pr) => pr.port !== undefined && numbers.includes(pr.port)));
  if (byProbe.length > 0) return byProbe;
  const byEnv = candidates.filter((c) => c.env.some((e) => /(^|_)PORT$/.test(e.name) && e.value !== undefined && numbers.some((t) => String(t) === e.value?.trim())));
  if (byEnv.length > 0) return byEnv;
  if (candidates.length === 1) return [...candidates];
  return candidates.filter((c) => c.ports.some(isTrafficPort));
}

/**
 * Why each serving container of a pod serves; containers absent from the map do not serve.
 * Batch pods never serve.
 */
export function servingContainers(pod: PodView, index: ServiceLookup): Map<ContainerView, ServingReason> {
  const out = new Map<ContainerView, ServingReason>();
  if (pod.batch) return out;
  const all = [...pod.containers, ...pod.sidecars].filter((c) => !servesNothing(c, pod));
  const scrapeOnly = scrapeOnlyPorts(pod);
  const selecting = index.selecting(pod);
  const services = selecting.filter(carriesTraffic);
  for (const s of services) {
    const targeted = all.filter((c) => targets(s, c, scrapeOnly));
    for (const c of targeted) if (!out.has(c)) out.set(c, { kind: 'service', service: s });
    if (targeted.length > 0) continue;
    // No container declares the port this Service targets (a declared but scrape-only or
    // idle one does not count as missing).
    const declared = trafficServicePorts(s).some((sp) => {
      const t = targetPort(sp);
      return t !== undefined && [...pod.containers, ...pod.sidecars].some((c) => declares(c, t) !== undefined);
    });
    if (declared) continue;
    for (const c of undeclaredTargets(s, pod.containers.filter((c) => !servesNothing(c, pod)))) if (!out.has(c)) out.set(c, { kind: 'service', service: s });
  }
  // Decided per pod: a Service elsewhere in the namespace that selects other pods says nothing about this one.
  const noServiceSelects = selecting.length === 0;
  const daemon = pod.object.kind === 'DaemonSet';
  for (const c of all) {
    if (out.has(c)) continue;
    const host = c.ports.find((p) => p.hostPort !== undefined && p.hostPort > 0 && !scrapeOnly.has(p));
    if (host) {
      out.set(c, { kind: 'hostPort', port: host });
      continue;
    }
    // A DaemonSet pod is reached through a Service or a host port, not through its pod IP.
    if (noServiceSelects && !daemon) {
      const p = c.ports.find((port) => isTrafficPort(port) && !scrapeOnly.has(port));
      if (p) out.set(c, { kind: 'port', port: p });
    }
  }
  return out;
}

export function describeReason(r: ServingReason): string {
  switch (r.kind) {
    case 'service':
      return `Service "${r.service.name ?? '?'}" sends it traffic`;
    case 'hostPort':
      return `it listens on hostPort ${r.port.hostPort ?? '?'}`;
    case 'port':
      return `it declares port ${r.port.containerPort ?? r.port.name ?? '?'}${r.port.name && r.port.containerPort !== undefined ? ` (${r.port.name})` : ''}`;
  }
}
