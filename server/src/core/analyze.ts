/**
 * The entry point of the core: text + settings (+ Services known from other files) in,
 * findings, notices and verified fixes out. Pure: no I/O, no global state. A façade over the
 * pipeline's stages (pipeline/): prepare → parse and cache → model → rules → findings → fixes.
 */
import { parseDirectives, type Directive } from './directives';
import { annotationsTarget, ignoreAnnotationEdit } from './fixes/annotations';
import { CombinedServices, ServiceIndex, type ServiceLookup } from './model/serving';
import { HelperLabels } from './model/templates';
import type { PodView, ServiceInfo } from './model/workloads';
import { CombinedRoutes, RouteIndex, type RouteInfo, type RouteLookup } from './model/routes';
import { CombinedConfigMaps, ConfigMapIndex, type ConfigMapInfo, type ConfigMapLookup } from './model/configmaps';
import { ParseCache, readChartValues, type ChunkModel } from './pipeline/cache';
import { FindingStage, sortFindings } from './pipeline/findings';
import { FixStage, type FixFile, type FixOutcome, type FixSource } from './pipeline/fixing';
import { PreparedChunkImpl, prepareText, type PreparedFile } from './pipeline/prepare';
import { findingKey, internalError, RuleStage } from './pipeline/rules';
import { valuesFix } from './pipeline/values-fix';
import { checkChunkEdits, editsWellFormed } from './pipeline/verify';
import type { Settings } from './settings';
import type { FixEnv } from './fixes/types';
import type { EditTarget } from './yaml/targets';
import type { ChartValues } from './yaml/helm-values';
import type { FileResult, Finding, Fix, Notice, TextEdit } from './types';
import { inferStyle, type Style } from './yaml/edit';
import { applyEdits } from './yaml/text';

export { ParseCache, readChartValues } from './pipeline/cache';
export type { ChartValues } from './yaml/helm-values';
export { documentTexts, hasWorkloads, prepareText } from './pipeline/prepare';
export type { PreparedChunk, PreparedFile } from './pipeline/prepare';

export interface AnalyzeOptions {
  readonly settings: Settings;
  /** Services defined in other files analysed together (the workspace, a CLI run), as a list or an index built once. */
  readonly services?: readonly ServiceInfo[] | ServiceIndex;
  /** Ingresses and BackendConfigs defined in other files, as a list or an index built once (excludeFile applies too). */
  readonly routes?: readonly RouteInfo[] | RouteIndex;
  /** ConfigMaps defined in other files, as a list or an index built once (excludeFile applies too). */
  readonly configMaps?: readonly ConfigMapInfo[] | ConfigMapIndex;
  /** With an index of every file's Services: the analysed file's own, which `prepared` has already. */
  readonly excludeFile?: string;
  readonly cache?: ParseCache;
  /** For a Helm chart's templates: the named templates each helper includes (`helperIncludes` of its `_*.tpl` files). */
  readonly helpers?: ReadonlyMap<string, readonly string[]>;
  /**
   * For a Helm chart's templates: the chart's `values.yaml` (text and path). Its defaults are
   * applied where a template routes a field through `.Values` (yaml/helm-values.ts), and
   * findings that depend on one point at it.
   */
  readonly chartValues?: ChartValues;
}

export interface Analysis extends FileResult {
  readonly prepared: PreparedFile;
  /** The Services in view: the file's own and those of the other files. */
  readonly serviceLookup: ServiceLookup;
  /** The Ingresses and BackendConfigs in view: the file's own and those of the other files. */
  readonly routeLookup: RouteLookup;
  /** The ConfigMaps in view: the file's own and those of the other files. */
  readonly configMapLookup: ConfigMapLookup;
  readonly pods: readonly PodView[];
  readonly directives: readonly Directive[];
  readonly style: Style;
  /** Builds the finding's fix and verifies it on a re-analysis; undefined when none is safe. */
  fixFor(finding: Finding): Fix | undefined;
  /** Why the finding has no fix (undefined when it has one, or none was asked for yet). */
  fixProblem(finding: Finding): string | undefined;
  /** True when the finding's rule offers a fix (it may still turn out unsafe). */
  hasFix(finding: Finding): boolean;
  /** The ignore annotation for the finding's object, checked; undefined when it cannot be added safely. */
  ignoreAnnotationFor(finding: Finding, reason: string): TextEdit | undefined;
  /** True when the edits (comment directives) silence `finding`, change no value and report nothing new. */
  suppresses(edits: readonly TextEdit[], finding: Finding): boolean;
  /** @internal The document at `offset`, for building and checking edits there (refactorings). */
  editContextAt(offset: number): EditContext | undefined;
}

/** A document of the file opened for edits: its pods with offsets relative to it, and the one check. */
export interface EditContext {
  readonly pods: readonly PodView[];
  readonly env: FixEnv;
  /** Offset of the document in the file. */
  readonly base: number;
  /** The edits (relative to the document) checked; the document's model after them, or undefined. */
  check(edits: readonly TextEdit[], touches: readonly EditTarget[], allowNew: boolean): ChunkModel | undefined;
}

export function analyzeText(text: string, opts: AnalyzeOptions): Analysis {
  return analyzePrepared(prepareText(text, opts.cache, opts.chartValues ?? null), opts);
}

function lookupOf(prep: PreparedFile, opts: AnalyzeOptions): ServiceLookup {
  const own = new ServiceIndex(prep.services);
  const ext = opts.services;
  const lookup = ext === undefined ? own : new CombinedServices([own, ext instanceof ServiceIndex ? ext : new ServiceIndex(ext)], opts.excludeFile);
  return opts.helpers && opts.helpers.size > 0 ? new HelperLabels(lookup, opts.helpers) : lookup;
}

function routesOf(prep: PreparedFile, opts: AnalyzeOptions): RouteLookup {
  const own = new RouteIndex(prep.routes);
  const ext = opts.routes;
  if (ext === undefined) return own;
  const external = ext instanceof RouteIndex ? ext : new RouteIndex(ext);
  return new CombinedRoutes([own, external], opts.excludeFile);
}

function configMapsOf(prep: PreparedFile, opts: AnalyzeOptions): ConfigMapLookup {
  const own = new ConfigMapIndex(prep.configMaps);
  const ext = opts.configMaps;
  if (ext === undefined) return own;
  return new CombinedConfigMaps([own, ext instanceof ConfigMapIndex ? ext : new ConfigMapIndex(ext)], opts.excludeFile);
}

/** Stages 4 and 5: rule results per chunk (through the cache), placed in the file. */
function findingsOf(prep: PreparedFile, stage: RuleStage, place: FindingStage, notices: Notice[]): { findings: Finding[]; sources: Map<Finding, FixSource> } {
  const sources = new Map<Finding, FixSource>();
  const findings: Finding[] = [];
  try {
    for (const pc of prep.chunks) {
      if (!(pc instanceof PreparedChunkImpl) || !pc.model || !pc.entry) continue;
      const template = pc.parsed?.template ? { text: pc.chunk.text, ...pc.parsed.template, valuesFile: prep.cache.valuesFile } : undefined;
      for (const p of place.place(stage.results(pc.entry, pc.model), pc.chunk.start, notices, template)) {
        findings.push(p.finding);
        sources.set(p.finding, { chunk: pc, cached: p.cached });
      }
    }
  } catch (e) {
    notices.push(internalError('analysis', e, { start: 0, end: 0 }));
  }
  sortFindings(findings);
  return { findings, sources };
}

export function analyzePrepared(prepared: PreparedFile, opts: AnalyzeOptions): Analysis {
  const { settings } = opts;
  // Prepared with other chart values (or none): templates are read again with these.
  const prep = !prepared.cache.readsWith(opts.chartValues) && prepared.text.includes('{{') ? prepareText(prepared.text, prepared.cache, opts.chartValues ?? null) : prepared;
  const notices: Notice[] = [...prep.notices];
  const directives = parseDirectives(prep.text, prep.lines);
  // Style and the fix stage are needed only when a fix is asked for: most files have none.
  let style: Style | undefined;
  const styleOf = (): Style => (style ??= inferStyle(prep.text));
  const serviceLookup = lookupOf(prep, opts);
  const routeLookup = routesOf(prep, opts);
  const configMapLookup = configMapsOf(prep, opts);
  const stage = new RuleStage(settings, serviceLookup, prep.cache, routeLookup, configMapLookup);
  const { findings, sources } = findingsOf(prep, stage, new FindingStage(stage, directives, prep.lines), notices);
  let fixStage: FixStage | undefined;
  const fixes = (): FixStage => (fixStage ??= new FixStage(stage, prep.cache, styleOf(), settings, fixFile(prep, findings, opts)));
  const outcomes = new Map<Finding, FixOutcome>();
  const outcome = (f: Finding): FixOutcome | undefined => {
    const src = sources.get(f);
    if (!src) return undefined;
    let o = outcomes.get(f);
    if (!o) {
      o = fixes().outcome(src);
      outcomes.set(f, o);
    }
    return o;
  };
  const inValues = new Map<Finding, Fix | undefined>();
  /** Where values.yaml decides the value the fix would change: the fix there, checked on the template read again. */
  const fixInValues = (f: Finding): Fix | undefined => {
    const o = outcome(f);
    const src = sources.get(f);
    if (!o || o.fix || !o.refused || !src || !opts.chartValues) return undefined;
    if (!inValues.has(f)) {
      const values = opts.chartValues;
      const reanalyse = (text: string): readonly Finding[] => analyzeText(prep.text, { ...opts, cache: new ParseCache(), chartValues: { ...readChartValues(text, values.filePath) } }).findings;
      inValues.set(f, valuesFix(f, src, o.refused, values, reanalyse));
    }
    return inValues.get(f);
  };
  let pods: PodView[] | undefined;
  return {
    prepared: prep,
    serviceLookup,
    routeLookup,
    configMapLookup,
    findings,
    notices,
    directives,
    get style(): Style {
      return styleOf();
    },
    get pods(): readonly PodView[] {
      return (pods ??= prep.chunks.flatMap((c) => [...c.pods]));
    },
    hasFix: (f) => sources.get(f)?.cached.build !== undefined,
    fixFor: (f) => outcome(f)?.fix ?? fixInValues(f),
    fixProblem: (f) => {
      const o = outcomes.get(f);
      return o && o.fix === undefined && !inValues.get(f) ? o.reason : undefined;
    },
    ignoreAnnotationFor: (f, reason) => annotationFor(stage, fixes(), sources.get(f), f, reason),
    suppresses: (edits, f) => suppressionHolds(prep, opts, findings, notices, edits, f),
    editContextAt: (offset) => editContext(prep, stage, fixes(), offset),
  };
}

/**
 * The file as fixes that edit another of its documents see it: its chunks, and its findings now
 * and after edits (the file analysed again, on a parse cache of its own).
 */
function fixFile(prep: PreparedFile, findings: readonly Finding[], opts: AnalyzeOptions): FixFile {
  const errors = (n: readonly Notice[]): number => n.filter((x) => x.kind === 'syntax-error' && x.severity === 'error').length;
  return {
    chunks: prep.chunks.filter((c): c is PreparedChunkImpl => c instanceof PreparedChunkImpl),
    judge: {
      before: new Set(findings.map(findingKey)),
      after: (edits) => {
        const a = analyzeText(applyEdits(prep.text, edits), { ...opts, cache: new ParseCache() });
        return errors(a.notices) > errors(prep.notices) ? undefined : new Set(a.findings.map(findingKey));
      },
    },
  };
}

/** The ignore annotation on a finding's object, through the one check. */
function annotationFor(stage: RuleStage, fixes: FixStage, src: FixSource | undefined, f: Finding, reason: string): TextEdit | undefined {
  const env = src && fixes.envFor(src.chunk);
  const o = src?.chunk.model?.objects.find((x) => x.span.start === src.cached.objectSpan.start && x.span.end === src.cached.objectSpan.end);
  if (!src || !env || !o) return undefined;
  const edit = ignoreAnnotationEdit(o, env.chunk, f.ruleId, reason);
  if (!edit) return undefined;
  // Annotations are read by the rule stage, so the raw results show the finding gone.
  const check = checkChunkEdits(stage, stage.cache, env.style, { chunk: src.chunk, edits: [edit], touches: [annotationsTarget(o)], gone: new Set([findingKey(f)]) });
  if (!check.ok) return undefined;
  return { start: edit.start + src.chunk.chunk.start, end: edit.end + src.chunk.chunk.start, newText: edit.newText };
}

function editContext(prep: PreparedFile, stage: RuleStage, fixes: FixStage, offset: number): EditContext | undefined {
  const pc = prep.chunks.find((c) => c.chunk.start <= offset && offset <= c.chunk.start + c.chunk.text.length);
  const env = pc instanceof PreparedChunkImpl ? fixes.envFor(pc) : undefined;
  if (!(pc instanceof PreparedChunkImpl) || !pc.model || !env) return undefined;
  return {
    pods: pc.model.pods,
    env,
    base: pc.chunk.start,
    check(edits, touches, allowNew) {
      const r = checkChunkEdits(stage, stage.cache, env.style, { chunk: pc, edits, touches, gone: new Set(), allowNew });
      return r.ok ? r.after : undefined;
    },
  };
}

/** Comment directives change no value: the check is that the text still reads the same and only `f` is silenced. */
function suppressionHolds(prep: PreparedFile, opts: AnalyzeOptions, before: readonly Finding[], notices: readonly Notice[], edits: readonly TextEdit[], f: Finding): boolean {
  if (editsWellFormed(prep.text, edits, inferStyle(prep.text))) return false;
  if (edits.some((e) => !/^(\r?\n)?[ \t]*#[^\r\n]*(\r?\n)?$|^, [a-z-]+$/.test(e.newText))) return false;
  const after = analyzeText(applyEdits(prep.text, edits), opts);
  const errors = (n: readonly { kind: string }[]): number => n.filter((x) => x.kind === 'syntax-error').length;
  if (errors(after.notices) > errors(notices)) return false;
  const keys = new Set(before.map(findingKey));
  return after.findings.every((g) => findingKey(g) !== findingKey(f) && keys.has(findingKey(g)));
}

export interface FixAllResult {
  readonly output: string;
  /** Fixes applied, over all passes. */
  readonly applied: number;
  readonly analysis: Analysis;
  /** Findings with a fix that was not applied, and why. */
  readonly notFixed: readonly { readonly finding: Finding; readonly reason: string }[];
}

/** One pass of fix-all: the fixes of each document that are safe together. */
function fixPass(analysis: Analysis, include: (ruleId: string, finding: Finding) => boolean, stage: { fixes: FixStage; sources: (f: Finding) => FixSource | undefined }): { edits: TextEdit[]; count: number; left: { finding: Finding; reason: string }[] } {
  const byChunk = new Map<PreparedChunkImpl, { finding: Finding; src: FixSource; built: Parameters<FixStage['combine']>[1][number]['built'] }[]>();
  const left: { finding: Finding; reason: string }[] = [];
  for (const f of analysis.findings) {
    if (!include(f.ruleId, f) || !analysis.hasFix(f)) continue;
    const src = stage.sources(f);
    if (!src) continue;
    const o = stage.fixes.outcome(src);
    if (o.fix === undefined) {
      left.push({ finding: f, reason: o.reason });
      continue;
    }
    // Grouped by the document the edits are in (a load balancer's fix edits another one).
    const edited = stage.fixes.editedChunk(src.chunk, o.built);
    if (!edited) continue;
    const list = byChunk.get(edited) ?? [];
    list.push({ finding: f, src, built: o.built });
    byChunk.set(edited, list);
  }
  const edits: TextEdit[] = [];
  let count = 0;
  for (const { items, r } of together([...byChunk].map(([chunk, items]) => ({ items, r: stage.fixes.combine(chunk, items) })), stage.fixes, left)) {
    edits.push(...r.edits);
    count += r.taken;
    for (const l of r.left) {
      const it = items.find((x) => x.src === l.src);
      if (it) left.push({ finding: it.finding, reason: l.reason });
    }
  }
  return { edits, count, left };
}

type Combined = { items: { finding: Finding; src: FixSource; built: { inDocument?: number } }[]; r: ReturnType<FixStage['combine']> };

/**
 * Documents are fixed independently, except where a fix edits what sits in front of pods (a
 * load balancer's document): then the pass's edits are judged together on the whole file, and
 * when they do not hold, the documents with such fixes wait for the next pass.
 */
function together(groups: Combined[], fixes: FixStage, left: { finding: Finding; reason: string }[]): Combined[] {
  const wide = (g: Combined): boolean => g.r.taken > 0 && g.items.some((x) => x.built.inDocument !== undefined);
  if (groups.length < 2 || !groups.some(wide)) return groups;
  const gone = new Set(groups.flatMap((g) => g.items.filter((x) => !g.r.left.some((l) => l.src === x.src)).map((x) => findingKey(x.finding))));
  const problem = fixes.fileProblem(groups.flatMap((g) => g.r.edits), gone);
  if (problem === undefined) return groups;
  for (const g of groups.filter(wide)) for (const x of g.items) left.push({ finding: x.finding, reason: `together with the other fixes: ${problem}; run fix-all again` });
  return groups.filter((g) => !wide(g));
}

/**
 * Applies every safe fix (optionally only those `include` accepts: of some rules, or some findings), re-analysing between passes
 * so that fixes that touch the same place are applied one after the other. Stops when
 * nothing is left to fix; a second run changes nothing.
 */
export function fixAll(text: string, opts: AnalyzeOptions, include: (ruleId: string, finding: Finding) => boolean = () => true): FixAllResult {
  const cache = opts.cache ?? new ParseCache();
  let current = text;
  let applied = 0;
  let left: { finding: Finding; reason: string }[] = [];
  let analysis = analyzeText(current, { ...opts, cache });
  for (let pass = 0; pass < 10; pass++) {
    const prep = analysis.prepared;
    const stage = new RuleStage(opts.settings, analysis.serviceLookup, cache, analysis.routeLookup, analysis.configMapLookup);
    const fixes = new FixStage(stage, cache, analysis.style, opts.settings, fixFile(prep, analysis.findings, opts));
    const sources = sourcesOf(prep, stage);
    const r = fixPass(analysis, include, { fixes, sources });
    left = r.left;
    if (r.count === 0) break;
    current = applyEdits(current, r.edits);
    analysis = analyzeText(current, { ...opts, cache });
    applied += r.count;
  }
  return { output: current, applied, analysis, notFixed: left };
}

/** Finds a finding's chunk and cached result again (fix-all works on the analysis it was given). */
function sourcesOf(prep: PreparedFile, stage: RuleStage): (f: Finding) => FixSource | undefined {
  const map = new Map<string, FixSource>();
  for (const pc of prep.chunks) {
    if (!(pc instanceof PreparedChunkImpl) || !pc.model || !pc.entry) continue;
    const results = stage.results(pc.entry, pc.model);
    for (const c of results.findings) map.set(`${findingKey(c)}\u0000${c.span.start + pc.chunk.start}`, { chunk: pc, cached: c });
  }
  return (f) => map.get(`${findingKey(f)}\u0000${f.span.start}`);
}
