/**
 * Stage 4 of the pipeline, rules: runs the active rules on each pod view with the serving
 * analysis and the load balancers in front of the pod, and caches a chunk's raw results under
 * what they depend on: the settings, the document's index when an object is unnamed, the
 * Services that can select its pods and what the Ingresses, Service annotations and
 * BackendConfigs in front of those say. Those are looked up per pod, so the cost does not
 * grow with the Services of the namespace.
 */
import { servingContainers, type ServiceLookup } from '../model/serving';
import { lbKey, loadBalancersOf } from '../model/lb';
import { NO_ROUTES, type RouteLookup } from '../model/routes';
import type { PodView, ServiceInfo } from '../model/workloads';
import { appEnvOf, appShutdownOf } from '../model/apps';
import { NO_CONFIG_MAPS, RecordingConfigMaps, type ConfigMapLookup } from '../model/configmaps';
import { ignoredByAnnotations } from '../directives';
import { RULES } from '../rules';
import type { Report, Rule } from '../rules/types';
import type { Settings } from '../settings';
import type { Notice, Severity, Span } from '../types';
import type { CachedFinding, CachedRelated, ChunkModel, ChunkResults, ParseCache } from './cache';

export interface ActiveRule {
  readonly rule: Rule;
  /** The configured severity; undefined: the rule's (or the report's) own. */
  readonly severity: Severity | undefined;
}

/** Settings objects are never changed once made: what is derived from one is kept with it. */
const activeOf = new WeakMap<Settings, readonly ActiveRule[]>();
const textOf = new WeakMap<Settings, string>();

/** The settings as text (a cache key part), once per settings object. */
export function settingsText(settings: Settings): string {
  let t = textOf.get(settings);
  if (t === undefined) textOf.set(settings, (t = JSON.stringify(settings)));
  return t;
}

export function activeRules(settings: Settings): readonly ActiveRule[] {
  let known = activeOf.get(settings);
  if (!known) activeOf.set(settings, (known = readActiveRules(settings)));
  return known;
}

function readActiveRules(settings: Settings): ActiveRule[] {
  const out: ActiveRule[] = [];
  for (const rule of RULES) {
    const s = settings.rules[rule.id];
    if (s !== 'off') out.push({ rule, severity: s });
  }
  return out;
}

export type OnReport = (pod: PodView, rule: Rule, severity: Severity | undefined, r: Report) => void;
export type OnError = (where: string, e: unknown, span: Span) => void;

/** Runs the active rules on each pod; a rule that throws becomes an error report, never an exception. */
export function runRules(
  pods: readonly PodView[],
  index: ServiceLookup,
  settings: Settings,
  active: readonly ActiveRule[],
  onReport: OnReport,
  onError?: OnError,
  routes: RouteLookup = NO_ROUTES,
  configMaps: ConfigMapLookup = NO_CONFIG_MAPS,
): void {
  for (const pod of pods) {
    const serving = servingContainers(pod, index);
    const loadBalancers = pod.batch ? [] : loadBalancersOf(index.selecting(pod), routes);
    for (const { rule, severity } of active) {
      try {
        rule.check(pod, { settings, serving, loadBalancers, configMaps, report: (r) => onReport(pod, rule, severity, r) });
      } catch (e) {
        onError?.(`rule ${rule.id}`, e, pod.object.kindSpan);
      }
    }
  }
}

export function internalError(where: string, e: unknown, span: Span): Notice {
  const msg = e instanceof Error ? e.message : String(e);
  return { kind: 'internal-error', severity: 'info', message: `Internal error in ${where}: ${msg}`, span };
}

/** The rule stage of one analysis: the Services in view, and results per chunk through the cache. */
export class RuleStage {
  readonly active: readonly ActiveRule[];
  private readonly settingsId: number;
  /** Services by their identity key, to place related locations at their current spans. */
  readonly serviceByKey = new Map<string, ServiceInfo>();
  private readonly keyBySpan = new Map<Span, string>();
  /** Spans of load-balancer settings a rule may point to: file offsets already, never shifted. */
  private readonly absoluteSpans = new Set<Span>();

  constructor(
    readonly settings: Settings,
    readonly index: ServiceLookup,
    readonly cache: ParseCache,
    readonly routes: RouteLookup = NO_ROUTES,
    readonly configMaps: ConfigMapLookup = NO_CONFIG_MAPS,
  ) {
    this.active = activeRules(settings);
    this.settingsId = cache.idOf(settingsText(settings));
  }

  /** Remembers a Service a rule may point to, by its identity key. */
  private register(s: ServiceInfo): string {
    const k = this.cache.serviceKey(s);
    if (!this.serviceByKey.has(k)) this.serviceByKey.set(k, s);
    this.keyBySpan.set(s.span, k);
    return k;
  }

  /** What the chunk's results depend on besides its text. */
  private keyOf(model: ChunkModel): string {
    const parts: string[] = [String(this.settingsId), model.unnamed ? String(model.docIndex) : ''];
    for (const pod of model.pods) {
      const ns = pod.object.namespace;
      parts.push(`${this.index.hasNamespace(ns) ? '+' : '-'}${ns}`);
      const selecting = this.index.selecting(pod);
      for (const s of selecting) parts.push(this.register(s));
      // Ingresses and BackendConfigs in front of those Services, with where they are written.
      const lbs = pod.batch ? [] : loadBalancersOf(selecting, this.routes);
      if (lbs.length > 0) parts.push(lbKey(lbs));
      for (const lb of lbs) {
        this.absoluteSpans.add(lb.span);
        if (lb.drain) this.absoluteSpans.add(lb.drain.span);
      }
      parts.push(this.configMapKey(pod));
    }
    return parts.join('\u0000');
  }

  /** The ConfigMap data the pod's app readers look at, with where it is written (those spans are file offsets already). */
  private configMapKey(pod: PodView): string {
    const rec = new RecordingConfigMaps(this.configMaps);
    const env = appEnvOf(pod, rec);
    for (const c of [...pod.containers, ...pod.sidecars]) appShutdownOf(c, env);
    for (const cm of rec.found) {
      this.absoluteSpans.add(cm.span);
      for (const v of cm.data.values()) this.absoluteSpans.add(v.span);
    }
    return rec.key();
  }

  results(entry: { results: ChunkResults | undefined }, model: ChunkModel): ChunkResults {
    const key = this.keyOf(model);
    if (entry.results?.key === key) return entry.results;
    const findings: CachedFinding[] = [];
    const notices: Notice[] = [];
    runRules(
      model.pods,
      this.index,
      this.settings,
      this.active,
      (pod, rule, severity, r) => {
        if (ignoredByAnnotations(rule.id, pod.object.annotations, pod.annotations)) return;
        findings.push({
          ruleId: rule.id,
          severity: severity ?? r.severity ?? rule.defaultSeverity,
          message: r.message,
          span: r.span,
          objectSpan: pod.object.span,
          related: (r.related ?? []).map((rel) => this.cachedRelated(rel)),
          subject: r.subject,
          build: r.fix,
        });
      },
      (where, e, span) => notices.push(internalError(where, e, span)),
      this.routes,
      this.configMaps,
    );
    entry.results = { key, findings, notices };
    return entry.results;
  }

  /** A related location that points at a Service is kept by the Service's identity, not its span. */
  private cachedRelated(rel: { message: string; span: Span; filePath?: string }): CachedRelated {
    const k = this.keyBySpan.get(rel.span);
    if (k !== undefined) return { message: rel.message, serviceKey: k };
    return { ...rel, relative: rel.filePath === undefined && !this.absoluteSpans.has(rel.span) };
  }

  /** Raw finding keys (rule + subject) of some pods, for comparing before and after an edit. */
  findingKeys(pods: readonly PodView[]): Set<string> {
    const keys = new Set<string>();
    runRules(pods, this.index, this.settings, this.active, (pod, rule, _sev, r) => {
      if (!ignoredByAnnotations(rule.id, pod.object.annotations, pod.annotations)) keys.add(findingKey({ ruleId: rule.id, subject: r.subject }));
    }, undefined, this.routes, this.configMaps);
    return keys;
  }
}

export function findingKey(f: { ruleId: string; subject: string }): string {
  return `${f.ruleId}\u0000${f.subject}`;
}
