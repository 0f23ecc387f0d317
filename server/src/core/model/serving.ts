/**
 * Which containers receive traffic that a rollout can drop. A container serves when a Service
 * of its namespace selects its pod and targets it; when nothing analysed defines a Service in
 * that namespace, a declared port that is not a metrics or health port is taken as the sign;
 * a hostPort always counts.
 */
import type { ContainerView, PodView, PortView, ServiceInfo } from './workloads';

export type ServingReason =
  | { readonly kind: 'service'; readonly service: ServiceInfo }
  | { readonly kind: 'port'; readonly port: PortView }
  | { readonly kind: 'hostPort'; readonly port: PortView };

/** Port names that carry telemetry or probes, not user traffic. */
const NON_TRAFFIC_PORT = /^(metrics|.*-metrics|metrics-.*|.*metrics|prom|prometheus|.*-prom|health|healthz|.*-health|health-.*|probe|probes|liveness|readiness|debug|pprof|profiler|admin|monitoring|telemetry|stats)$/i;

export function isTrafficPort(p: PortView): boolean {
  if (p.hostPort !== undefined && p.hostPort > 0) return true;
  return p.name === undefined || !NON_TRAFFIC_PORT.test(p.name);
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

function targets(service: ServiceInfo, c: ContainerView): boolean {
  return service.ports.some((sp) => {
    if (sp.name !== undefined && NON_TRAFFIC_PORT.test(sp.name)) return false;
    const t = sp.targetPort ?? sp.port;
    if (t === undefined) return false;
    return c.ports.some((p) => (typeof t === 'number' ? p.containerPort === t : p.name === t) && isTrafficPort(p));
  });
}

/** A Service whose every port is a metrics or health port carries no user traffic. */
function carriesTraffic(service: ServiceInfo): boolean {
  return service.ports.length === 0 || service.ports.some((sp) => sp.name === undefined || !NON_TRAFFIC_PORT.test(sp.name));
}

/**
 * Why each serving container of a pod serves; containers absent from the map do not serve.
 * Batch pods never serve.
 */
export function servingContainers(pod: PodView, index: ServiceLookup): Map<ContainerView, ServingReason> {
  const out = new Map<ContainerView, ServingReason>();
  if (pod.batch) return out;
  const all = [...pod.containers, ...pod.sidecars];
  const services = index.selecting(pod).filter(carriesTraffic);
  if (services.length > 0) {
    for (const c of all) {
      const s = services.find((svc) => targets(svc, c));
      if (s) out.set(c, { kind: 'service', service: s });
    }
    if (out.size === 0) {
      // The Service's target port is not declared by any container: the one main container
      // is the target; with several, those that declare ports.
      const first = services[0] as ServiceInfo;
      const candidates = pod.containers.length === 1 ? pod.containers : pod.containers.filter((c) => c.ports.some(isTrafficPort));
      for (const c of candidates) out.set(c, { kind: 'service', service: first });
    }
  }
  const noServiceKnown = !index.hasNamespace(pod.object.namespace);
  const daemon = pod.object.kind === 'DaemonSet';
  for (const c of all) {
    if (out.has(c)) continue;
    const host = c.ports.find((p) => p.hostPort !== undefined && p.hostPort > 0);
    if (host) {
      out.set(c, { kind: 'hostPort', port: host });
      continue;
    }
    // A DaemonSet pod is reached through a Service or a host port, not through its pod IP.
    if (noServiceKnown && !daemon) {
      const p = c.ports.find(isTrafficPort);
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
