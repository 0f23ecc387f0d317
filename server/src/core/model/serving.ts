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

/** Services, grouped by namespace, for the lookups below. */
export class ServiceIndex {
  private readonly byNamespace = new Map<string, ServiceInfo[]>();

  constructor(services: Iterable<ServiceInfo>) {
    for (const s of services) {
      const list = this.byNamespace.get(s.namespace);
      if (list) list.push(s);
      else this.byNamespace.set(s.namespace, [s]);
    }
  }

  hasNamespace(ns: string): boolean {
    return this.byNamespace.has(ns);
  }

  selecting(pod: PodView): ServiceInfo[] {
    return (this.byNamespace.get(pod.object.namespace) ?? []).filter((s) => selects(s, pod));
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
  const byEnv = candidates.filter((c) => [...c.env].some(([k, v]) => /(^|_)PORT$/.test(k) && numbers.some((t) => String(t) === v.trim())));
  if (byEnv.length > 0) return byEnv;
  if (candidates.length === 1) return [...candidates];
  return candidates.filter((c) => c.ports.some(isTrafficPort));
}

/**
 * Why each serving container of a pod serves; containers absent from the map do not serve.
 * Batch pods never serve.
 */
export function servingContainers(pod: PodView, index: ServiceIndex): Map<ContainerView, ServingReason> {
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
