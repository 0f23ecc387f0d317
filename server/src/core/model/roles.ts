/**
 * What a container is for, read from what its manifest says (command, image, ports, probes,
 * the pod's scrape annotations): containers that serve nothing although they have ports or a
 * Service (idle client and tool containers, exporters and metrics proxies, injected mesh
 * proxies), and ports that only Prometheus or the kubelet reach. serving.ts uses these to
 * decide which containers receive user traffic.
 */
import { parseImageRef } from './images';
import { basename, commandWords, parseShell, shellScriptOf } from './shell';
import type { ContainerView, PodView, PortView } from './workloads';

/** Port names that carry telemetry, profiling or probes, not user traffic. */
const NON_TRAFFIC_PORT =
  /^(metrics|.*-metrics|metrics-.*|.*metrics|prom|.*-prom|health|healthz|.*-health|health-.*|probe|probes|liveness|readiness|debug|pprof|.*-pprof|profiler|profiling|.*-profiling|admin|monitoring|telemetry|stats|exporter|.*-exporter)$/i;

export function nonTrafficPortName(name: string | undefined): boolean {
  return name !== undefined && NON_TRAFFIC_PORT.test(name);
}

/** Commands that keep a container alive without doing anything, or prepare for that. */
const IDLE_STEPS = new Set(['sleep', 'touch', 'echo', 'printf', 'true', ':', 'trap', 'wait', 'mkdir', 'exec']);

/**
 * The container's main process only sleeps or tails: `sleep infinity`, `sleep 3600`,
 * `tail -f /dev/null`, `sh -c "touch /tmp/ready; sleep 1d"`, `while true; do sleep 30; done`.
 * Such client and tool containers accept no connections whatever Service selects them.
 */
export function idleContainer(c: ContainerView): boolean {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  if (c.command === undefined || argv.length === 0) return false; // the image's own entrypoint runs
  if (idleArgv(argv)) return true;
  const sh = shellScriptOf(argv);
  if (!sh || sh.scriptIndex !== argv.length - 1) return false;
  return idleScript(sh.script);
}

function idleArgv(argv: readonly string[]): boolean {
  const name = basename(argv[0] ?? '');
  if (name === 'sleep') return argv.length >= 2;
  if (name === 'tail') return argv.includes('-f') || argv.includes('-F') || argv.includes('--follow');
  return false;
}

function idleScript(script: string): boolean {
  // A bare keep-alive loop: `while true; do sleep 30; done` (the small shell reader calls loops complex).
  const loop = /^\s*while\s+(?:true|:)\s*;?\s*do\s+([^;]*?)\s*;?\s*done\s*$/.exec(script);
  if (loop) return idleScript(loop[1] ?? '');
  const parsed = parseShell(script);
  if (parsed.complex || parsed.commands.length === 0) return false;
  let keepsAlive = false;
  for (const cmd of parsed.commands) {
    const words = commandWords(cmd).map((w) => w.value);
    let name = basename(words[0] ?? '');
    let rest = words.slice(1);
    if (name === 'exec' && rest.length > 0) {
      name = basename(rest[0] ?? '');
      rest = rest.slice(1);
    }
    if (name === 'sleep' || name === 'wait') keepsAlive = true;
    else if (name === 'tail' && idleArgv(['tail', ...rest])) keepsAlive = true;
    else if (!IDLE_STEPS.has(name)) return false;
  }
  return keepsAlive;
}

/**
 * Exporters and metrics proxies, known by their image: `*-exporter` / `*_exporter`
 * (node, blackbox, redis, rabbitmq, postgres, … exporters), kube-state-metrics,
 * kube-rbac-proxy (in front of `/metrics` in kube-prometheus and operator bundles), and the
 * config reloaders that sit beside Prometheus.
 */
export function metricsImage(image: string | undefined): boolean {
  if (image === undefined) return false;
  const ref = parseImageRef(image);
  if (!ref) return false;
  const n = ref.name;
  return (
    /(^|[-_])exporter($|[-_])/.test(n) ||
    n === 'kube-state-metrics' ||
    n === 'kube-rbac-proxy' ||
    n === 'prometheus-config-reloader' ||
    n === 'configmap-reload' ||
    n === 'configmap-reloader'
  );
}

/** Mesh proxies injected beside the app: their drain is set with mesh annotations, not by editing injected YAML. */
export function injectedMeshProxy(c: ContainerView): boolean {
  return c.name === 'istio-proxy' || c.name === 'linkerd-proxy';
}

/**
 * A workload that says it is a metrics proxy or exporter: its name, or its `component` /
 * `app.kubernetes.io/component` label, is `metrics-proxy`, `*-metrics-proxy` or `*-exporter`.
 */
export function metricsWorkload(pod: PodView): boolean {
  const re = /(^|[-_])(metrics[-_]proxy|exporter)$/i;
  const names = [pod.object.name, pod.labels.get('component'), pod.labels.get('app.kubernetes.io/component')];
  return names.some((n) => n !== undefined && re.test(n));
}

/** A container that serves no user traffic whatever its ports say. */
export function servesNothing(c: ContainerView, pod: PodView): boolean {
  return idleContainer(c) || metricsImage(c.image) || injectedMeshProxy(c) || metricsWorkload(pod);
}

/**
 * Controllers known by their image whose declared ports serve only /metrics and /healthz
 * (their clients talk to the API server, not to them). Images of the same project that do
 * serve (flagger-loadtester) have other names.
 */
const CONTROLLER_IMAGES = new Set(['fluxcd/flagger', 'weaveworks/flagger', 'prometheus-operator/prometheus-operator', 'coreos/prometheus-operator']);

function controllerImage(image: string | undefined): boolean {
  const ref = image === undefined ? undefined : parseImageRef(image);
  return ref !== undefined && CONTROLLER_IMAGES.has(ref.repository);
}

const HEALTH_PATH = /^\/(healthz?|readyz|livez|ready|live|ping|metrics|status)\/?$/i;

function portMatches(p: PortView, ref: number | string | undefined): boolean {
  if (ref === undefined) return false;
  if (typeof ref === 'number') return p.containerPort === ref;
  return p.name === ref || (p.containerPort !== undefined && String(p.containerPort) === ref);
}

/**
 * Ports of a pod that only Prometheus and the kubelet reach, beyond their names:
 * - the ports a metrics proxy in the same pod forwards to (`--upstream=http://127.0.0.1:8080/`);
 * - the ports of a controller known by its image (CONTROLLER_IMAGES);
 * - in a controller named as one (a workload or container named `*-controller` /
 *   `*-operator`), a port whose every probe checks a health path and that is the
 *   container's only port: the controller's /metrics and /healthz.
 */
export function scrapeOnlyPorts(pod: PodView): Set<PortView> {
  const out = new Set<PortView>();
  const all = [...pod.containers, ...pod.sidecars];
  const upstreams = new Set<number>();
  for (const c of all) {
    if (!metricsImage(c.image)) continue;
    for (const a of [...(c.command ?? []), ...(c.args ?? [])]) {
      const m = /^--upstream=https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)(?:\/|$)/.exec(a);
      if (m) upstreams.add(Number(m[1]));
    }
  }
  for (const c of all) {
    if (controllerImage(c.image)) for (const p of c.ports) if (p.hostPort === undefined || p.hostPort === 0) out.add(p);
    for (const p of c.ports) {
      if (p.containerPort !== undefined && upstreams.has(p.containerPort) && !metricsImage(c.image)) out.add(p);
    }
    if (c.ports.length !== 1) continue;
    const p = c.ports[0] as PortView;
    if (p.hostPort !== undefined && p.hostPort > 0) continue;
    const probes = c.probes.filter((pr) => portMatches(p, pr.port));
    if (probes.length === 0 || !probes.every((pr) => pr.path !== undefined && HEALTH_PATH.test(pr.path))) continue;
    if (/(^|-)(controller|operator)$/.test(c.name ?? '') || /(^|-)(controller|operator)$/.test(pod.object.name ?? '')) out.add(p);
  }
  return out;
}
