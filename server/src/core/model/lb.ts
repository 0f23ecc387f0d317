/**
 * The path in front of a pod: which cloud load balancers reach it directly by pod IP (so that
 * its preStop sleep must outlast the load balancer's own removal of the target, not only
 * kube-proxy's), and how each drains connections when it is configured explicitly. Followed
 * Service → Ingress → BackendConfig, across files, per pod.
 */
import type { Settings } from '../settings';
import type { Span } from '../types';
import type { EditTarget } from '../yaml/targets';
import type { LocatedValue, RouteLookup } from './routes';
import type { ServiceInfo } from './workloads';

export type LbKind = 'aws-nlb-ip' | 'aws-alb-ip' | 'gke-neg' | 'azure-appgw';

/**
 * Where a fix may write another draining time: the number at `target` (a BackendConfig's
 * field), or the characters `from`–`to` of the string at `target` (the number inside an
 * annotation's value, other attributes kept).
 */
export type LbDrainEdit =
  | { readonly form: 'number'; readonly target: EditTarget }
  | { readonly form: 'text'; readonly target: EditTarget; readonly from: number; readonly to: number };

/** The largest draining time each load balancer accepts (AWS and GKE: 0–3600 s; Application Gateway: 1–3600 s). */
export const MAX_DRAIN_SECONDS = 3600;

/** An explicitly configured draining time of a load balancer. */
export interface LbDrain {
  readonly seconds: number;
  /** What is written, for messages: "deregistration_delay.timeout_seconds=30". */
  readonly setting: string;
  readonly span: Span;
  readonly filePath?: string;
  /** Whether the load balancer closes connections still open when the time ends. */
  readonly closesConnections: boolean;
  /** Where a fix writes another value; undefined when the model has no place for it. */
  readonly edit?: LbDrainEdit;
}

export interface LoadBalancer {
  readonly kind: LbKind;
  /** The Service through which it reaches the pod. */
  readonly service: ServiceInfo;
  /** What says so, for messages: `Service "web", …-nlb-target-type: ip`. */
  readonly evidence: string;
  readonly span: Span;
  readonly filePath?: string;
  readonly drain: LbDrain | undefined;
}

export const LB_NAMES: Readonly<Record<LbKind, string>> = {
  'aws-nlb-ip': 'an AWS Network Load Balancer in IP target mode',
  'aws-alb-ip': 'an AWS Application Load Balancer in IP target mode',
  'gke-neg': 'a GKE load balancer through a network endpoint group (container-native load balancing)',
  'azure-appgw': 'Azure Application Gateway (AGIC)',
};

/** Where each minimum comes from, for messages and docs. */
export const LB_SOURCES: Readonly<Record<LbKind, string>> = {
  'aws-nlb-ip': 'AWS Load Balancer Controller users and maintainers report deregistration taking about two minutes (kubernetes-sigs/aws-load-balancer-controller#2366, #3270)',
  'aws-alb-ip': "the EKS best-practices guide's load-balancing chapter uses `sleep 10`",
  'gke-neg': "Google's guidance on 502/503 errors during scale-down: the default health check leaves about 10 s of errors, sleep about as long as removal from the NEG takes",
  'azure-appgw': "Azure's AGIC guide to minimising downtime during deployments uses `sleep 90` with a grace period of 101 s",
};

const NLB_TARGET = 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type';
const NLB_ATTRS = 'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes';
const ALB_TARGET = 'alb.ingress.kubernetes.io/target-type';
const ALB_ATTRS = 'alb.ingress.kubernetes.io/target-group-attributes';
const NEG = 'cloud.google.com/neg';
const BACKEND_CONFIGS = ['cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config'];
const AGIC_CLASSES = new Set(['azure/application-gateway', 'azure-application-gateway']);
const AGIC_DRAINING = 'appgw.ingress.kubernetes.io/connection-draining';
const AGIC_DRAINING_TIMEOUT = 'appgw.ingress.kubernetes.io/connection-draining-timeout';

/** `key=value,key=value` as written in the AWS target-group attribute annotations. */
export function attributeList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

/** Characters `from`–`to` of the value of the last `key=` in an attribute list (the one `attributeList` keeps). */
function attributeValueRange(text: string, key: string): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined;
  let at = 0;
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === key) {
      const raw = part.slice(i + 1);
      const lead = raw.length - raw.trimStart().length;
      found = { from: at + i + 1 + lead, to: at + i + 1 + raw.trimEnd().length };
    }
    at += part.length + 1;
  }
  return found;
}

/** The edit of a draining time written as a whole number inside a string value. */
function textEdit(v: LocatedValue, range: { from: number; to: number } | undefined): LbDrainEdit | undefined {
  return v.target && range && range.to > range.from ? { form: 'text', target: v.target, ...range } : undefined;
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

function located(v: LocatedValue, filePath: string | undefined): { span: Span; filePath?: string } {
  return { span: v.span, ...(filePath !== undefined ? { filePath } : {}) };
}

function awsDrain(v: LocatedValue | undefined, filePath: string | undefined, alb: boolean): LbDrain | undefined {
  if (!v) return undefined;
  const attrs = attributeList(v.value);
  const s = seconds(attrs.get('deregistration_delay.timeout_seconds'));
  if (s === undefined) return undefined;
  // ALB ends in-flight requests when the delay ends; an NLB closes connections only with connection_termination.
  const closes = alb || attrs.get('deregistration_delay.connection_termination.enabled')?.toLowerCase() === 'true';
  const edit = textEdit(v, attributeValueRange(v.value, 'deregistration_delay.timeout_seconds'));
  return { seconds: s, setting: `deregistration_delay.timeout_seconds=${s}`, closesConnections: closes, ...located(v, filePath), ...(edit ? { edit } : {}) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a `cloud.google.com/neg` value puts the Service's pods into NEGs. */
function negEnabled(text: string): boolean {
  const v = parseJson(text);
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return o.ingress === true || (typeof o.exposed_ports === 'object' && o.exposed_ports !== null);
}

/** The BackendConfig names a `cloud.google.com/backend-config` value names. */
function backendConfigNames(text: string): string[] {
  const v = parseJson(text);
  if (typeof v !== 'object' || v === null) return [];
  const o = v as Record<string, unknown>;
  const out: string[] = [];
  if (typeof o.default === 'string') out.push(o.default);
  if (typeof o.ports === 'object' && o.ports !== null) for (const n of Object.values(o.ports as Record<string, unknown>)) if (typeof n === 'string') out.push(n);
  return out;
}

function gkeDrain(s: ServiceInfo, routes: RouteLookup): LbDrain | undefined {
  for (const key of BACKEND_CONFIGS) {
    const v = s.lbAnnotations?.get(key);
    if (!v) continue;
    for (const name of backendConfigNames(v.value)) {
      const bc = routes.backendConfig(s.namespace, name);
      const d = bc?.drainingTimeoutSec;
      if (bc && d) {
        return {
          seconds: d.seconds,
          setting: `connectionDraining.drainingTimeoutSec: ${d.seconds} (BackendConfig "${name}")`,
          closesConnections: true,
          span: d.span,
          ...(bc.filePath !== undefined ? { filePath: bc.filePath } : {}),
          edit: { form: 'number', target: d.target },
        };
      }
    }
  }
  return undefined;
}

function serviceLbs(s: ServiceInfo, routes: RouteLookup): LoadBalancer[] {
  const out: LoadBalancer[] = [];
  const a = s.lbAnnotations;
  const nlb = a?.get(NLB_TARGET);
  if (nlb && nlb.value.trim().toLowerCase() === 'ip' && (s.type === undefined || s.type === 'LoadBalancer')) {
    out.push({ kind: 'aws-nlb-ip', service: s, evidence: `Service "${s.name ?? '?'}", ${NLB_TARGET}: ip`, drain: awsDrain(a?.get(NLB_ATTRS), s.filePath, false), ...located(nlb, s.filePath) });
  }
  const neg = a?.get(NEG);
  if (neg && negEnabled(neg.value)) {
    out.push({ kind: 'gke-neg', service: s, evidence: `Service "${s.name ?? '?'}", ${NEG}`, drain: gkeDrain(s, routes), ...located(neg, s.filePath) });
  }
  return out;
}

function ingressLbs(s: ServiceInfo, routes: RouteLookup): LoadBalancer[] {
  const out: LoadBalancer[] = [];
  if (s.name === undefined) return out;
  for (const ing of routes.ingressesTo(s.namespace, s.name)) {
    const label = `Ingress "${ing.name ?? '?'}"`;
    // The Service's own annotation overrides the Ingress's for its target group.
    const target = s.lbAnnotations?.get(ALB_TARGET) ?? ing.annotations.get(ALB_TARGET);
    const targetFile = s.lbAnnotations?.has(ALB_TARGET) === true ? s.filePath : ing.filePath;
    if (target && target.value.trim().toLowerCase() === 'ip') {
      const attrs = s.lbAnnotations?.get(ALB_ATTRS) ?? ing.annotations.get(ALB_ATTRS);
      const attrsFile = s.lbAnnotations?.has(ALB_ATTRS) === true ? s.filePath : ing.filePath;
      out.push({ kind: 'aws-alb-ip', service: s, evidence: `${label}, ${ALB_TARGET}: ip`, drain: awsDrain(attrs, attrsFile, true), ...located(target, targetFile) });
    }
    if (ing.className !== undefined && AGIC_CLASSES.has(ing.className)) {
      const on = ing.annotations.get(AGIC_DRAINING)?.value.trim().toLowerCase() === 'true';
      const t = ing.annotations.get(AGIC_DRAINING_TIMEOUT);
      const secs = seconds(t?.value);
      const edit = t && textEdit(t, { from: t.value.length - t.value.trimStart().length, to: t.value.trimEnd().length });
      const drain: LbDrain | undefined =
        on && t && secs !== undefined ? { seconds: secs, setting: `${AGIC_DRAINING_TIMEOUT}: "${secs}"`, closesConnections: true, ...located(t, ing.filePath), ...(edit ? { edit } : {}) } : undefined;
      out.push({ kind: 'azure-appgw', service: s, evidence: `${label}, class ${ing.className}`, drain, span: ing.span, ...(ing.filePath !== undefined ? { filePath: ing.filePath } : {}) });
    }
  }
  return out;
}

/** The cloud load balancers that reach a pod by its IP through the given Services (those that select it). */
export function loadBalancersOf(services: readonly ServiceInfo[], routes: RouteLookup): LoadBalancer[] {
  const out: LoadBalancer[] = [];
  for (const s of services) out.push(...serviceLbs(s, routes), ...ingressLbs(s, routes));
  return out;
}

/** The configured minimum sleep for a load balancer; 0 means "use minPropagationSeconds". */
export function lbMinimumSetting(kind: LbKind, settings: Settings): number {
  switch (kind) {
    case 'aws-nlb-ip':
      return settings.minSleepAwsNlbIpSeconds;
    case 'aws-alb-ip':
      return settings.minSleepAwsAlbIpSeconds;
    case 'gke-neg':
      return settings.minSleepGkeNegSeconds;
    case 'azure-appgw':
      return settings.minSleepAzureAppGatewaySeconds;
  }
}

/** The longest minimum sleep among the load balancers in view, above minPropagationSeconds; undefined when none is. */
export function pathMinimum(lbs: readonly LoadBalancer[], settings: Settings): { seconds: number; lb: LoadBalancer } | undefined {
  let best: { seconds: number; lb: LoadBalancer } | undefined;
  for (const lb of lbs) {
    const s = lbMinimumSetting(lb.kind, settings);
    if (s > settings.minPropagationSeconds && (!best || s > best.seconds)) best = { seconds: s, lb };
  }
  return best;
}

/** A value standing for everything a pod's results read of its load balancers (for cache keys). */
export function lbKey(lbs: readonly LoadBalancer[]): string {
  return JSON.stringify(lbs.map((lb) => [lb.kind, lb.evidence, lb.span, lb.filePath ?? null, lb.drain ?? null]));
}

/** The setting that holds each load balancer's minimum sleep. */
export const LB_SETTING_KEYS: Readonly<Record<LbKind, string>> = {
  'aws-nlb-ip': 'minSleepAwsNlbIpSeconds',
  'aws-alb-ip': 'minSleepAwsAlbIpSeconds',
  'gke-neg': 'minSleepGkeNegSeconds',
  'azure-appgw': 'minSleepAzureAppGatewaySeconds',
};

/** A related location pointing at what puts a load balancer in front of the pod. */
export function lbRelated(lb: LoadBalancer, message: string): { message: string; span: Span; filePath?: string } {
  return { message, span: lb.span, ...(lb.filePath !== undefined ? { filePath: lb.filePath } : {}) };
}
