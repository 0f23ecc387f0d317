/**
 * Service-mesh proxy drain settings read from the pod template's annotations and labels:
 * Istio's `terminationDrainDuration` (inside the `proxy.istio.io/config` annotation, a YAML
 * or JSON ProxyConfig; 5 s when not set) and Linkerd's `config.linkerd.io/shutdown-grace-period`
 * (120 s when not set). Durations are Go durations ("30s", "1m30s", "500ms").
 */
import type { Span } from '../types';
import { topLevelString } from '../yaml/nodes';
import type { PodView } from './workloads';

export const ISTIO_CONFIG_ANNOTATION = 'proxy.istio.io/config';
export const ISTIO_INJECT = 'sidecar.istio.io/inject';
export const LINKERD_SHUTDOWN_ANNOTATION = 'config.linkerd.io/shutdown-grace-period';
/** Istio's default terminationDrainDuration. */
export const ISTIO_DEFAULT_DRAIN_SECONDS = 5;

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration ("30s", "1m30s", "1.5s", "500ms"); undefined otherwise. */
export function parseGoDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] ?? 0);
  return total;
}

export interface MeshDrain {
  readonly mesh: 'istio' | 'linkerd';
  readonly seconds: number;
  /** True when written in the manifest; false for Istio's 5 s default. */
  readonly explicit: boolean;
  /** The annotation key or label that says so, for messages. */
  readonly source: string;
  /** The annotation value (or the inject label / annotation value), when found. */
  readonly span: Span | undefined;
}

function valueSpan(pod: PodView, section: 'annotations' | 'labels', key: string): Span | undefined {
  return (section === 'annotations' ? pod.annotationSpans : pod.labelSpans).get(key);
}

/** `terminationDrainDuration` of an Istio ProxyConfig written as YAML or JSON text. */
function istioDrainOf(configText: string): string | undefined {
  return topLevelString(configText, 'terminationDrainDuration');
}

function istioInjected(pod: PodView): 'labels' | 'annotations' | undefined {
  if (pod.labels.get(ISTIO_INJECT) === 'true') return 'labels';
  if (pod.annotations.get(ISTIO_INJECT) === 'true') return 'annotations';
  return undefined;
}

/**
 * The mesh drains that apply to a pod: Istio's when its config annotation sets
 * terminationDrainDuration, or its 5 s default when the pod template asks for injection;
 * Linkerd's when the annotation is set. Unparsable values are ignored.
 */
export function meshDrainsOf(pod: PodView): MeshDrain[] {
  const out: MeshDrain[] = [];
  const config = pod.annotations.get(ISTIO_CONFIG_ANNOTATION);
  const drainText = config !== undefined ? istioDrainOf(config) : undefined;
  const drain = drainText !== undefined ? parseGoDuration(drainText) : undefined;
  if (drain !== undefined) {
    out.push({ mesh: 'istio', seconds: drain, explicit: true, source: `terminationDrainDuration in ${ISTIO_CONFIG_ANNOTATION}`, span: valueSpan(pod, 'annotations', ISTIO_CONFIG_ANNOTATION) });
  } else if (drainText === undefined) {
    const injected = istioInjected(pod);
    if (injected) {
      out.push({
        mesh: 'istio',
        seconds: ISTIO_DEFAULT_DRAIN_SECONDS,
        explicit: false,
        source: `Istio's default terminationDrainDuration (the pod has ${ISTIO_INJECT}: "true")`,
        span: valueSpan(pod, injected, ISTIO_INJECT),
      });
    }
  }
  const linkerd = pod.annotations.get(LINKERD_SHUTDOWN_ANNOTATION);
  const grace = linkerd !== undefined ? parseGoDuration(linkerd) : undefined;
  if (grace !== undefined) {
    out.push({ mesh: 'linkerd', seconds: grace, explicit: true, source: LINKERD_SHUTDOWN_ANNOTATION, span: valueSpan(pod, 'annotations', LINKERD_SHUTDOWN_ANNOTATION) });
  }
  return out;
}
