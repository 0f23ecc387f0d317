/**
 * The entry point of the core: text + settings (+ Services known from other files) in,
 * findings, notices and verified fixes out. Pure: no I/O, no global state. Documents are
 * parsed one by one and can be reused across calls through a ParseCache.
 */
import { ignoredByAnnotations, parseDirectives, Suppressions, type Directive } from './directives';
import { ServiceIndex, servingContainers } from './model/serving';
import { objectsOf, podViewOf, serviceOf, type ObjectInfo, type PodView, type ServiceInfo } from './model/workloads';
import { RULES } from './rules';
import type { FixBuilder, Report, Rule } from './rules/types';
import type { Settings } from './settings';
import type { FileResult, Finding, Fix, Notice, RelatedLocation, Severity, Span } from './types';
import { inferStyle, type Style } from './yaml/edit';
import { DocContext } from './yaml/nodes';
import { LIMITS, parseChunk, splitDocuments, type Chunk, type ParsedChunk } from './yaml/parse';
import { templateAt, templateControlLine, templateIndex } from './yaml/templates';
import { applyEdits, LineIndex } from './yaml/text';

/**
 * What one document (chunk) yields wherever it sits in the file: its objects read with the
 * chunk at offset 0 (spans relative to the chunk), its Services, and the last rule results.
 */
interface ChunkModel {
  /** The file-level index of the chunk's first document, which unnamed objects' subjects use. */
  readonly docIndex: number;
  readonly objects: readonly ObjectInfo[];
  /** Relative spans. */
  readonly services: readonly ServiceInfo[];
  readonly aliasLimit: boolean;
  /** Some object has no name, so its subject (and the results) depend on docIndex. */
  readonly unnamed: boolean;
  readonly namespaces: readonly string[];
  results: ChunkResults | undefined;
}

/** A related location as cached: relative to the chunk, or a Service named by its place in its namespace's list. */
type CachedRelated =
  | { readonly message: string; readonly span: Span; readonly filePath?: string; readonly relative: boolean }
  | { readonly message: string; readonly service: { readonly namespace: string; readonly index: number } };

interface CachedFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** Relative to the chunk. */
  readonly span: Span;
  readonly objectSpan: Span;
  readonly related: readonly CachedRelated[];
  readonly subject: string;
  /** Builds the fix against the chunk's own text (offsets relative to the chunk). */
  readonly build: FixBuilder | undefined;
}

interface ChunkResults {
  /** Settings, document index (when it matters) and the Services of the chunk's namespaces. */
  readonly key: string;
  readonly findings: readonly CachedFinding[];
  /** Relative spans. */
  readonly notices: readonly Notice[];
}

interface CacheEntry {
  readonly parsed: ParsedChunk;
  model: ChunkModel | undefined;
}

/**
 * Parsed documents by their exact text, with what was read from them and the last rule
 * results: an edit re-parses and re-checks only the documents it touched. Owned by the caller
 * (one per open document, or per run).
 */
export class ParseCache {
  private entries = new Map<string, CacheEntry>();
  private used = new Map<string, CacheEntry>();
  private ids = new Map<string, number>();
  private usedIds = new Map<string, number>();
  private nextId = 0;
  private readonly serviceKeys = new WeakMap<object, { name: string | undefined; ports: ServiceInfo['ports']; filePath: string | undefined; key: string }>();

  parse(text: string): ParsedChunk {
    return this.entry(text).parsed;
  }

  /** @internal */
  entry(text: string): CacheEntry {
    let e = this.used.get(text) ?? this.entries.get(text);
    if (!e) e = { parsed: parseChunk(detached(text)), model: undefined };
    this.used.set(text, e);
    return e;
  }

  /** @internal A small number standing for a long key string (settings, a namespace's Services). */
  idOf(key: string): number {
    let id = this.usedIds.get(key) ?? this.ids.get(key);
    if (id === undefined) id = this.nextId++;
    this.usedIds.set(key, id);
    return id;
  }

  /**
   * @internal What a rule may read of a Service, as a string. Memoised by the selector map, which
   * copies of a ServiceInfo share (shifted in-file copies, the workspace index's entries).
   */
  serviceKey(s: ServiceInfo): string {
    const m = this.serviceKeys.get(s.selector);
    if (m && m.name === s.name && m.ports === s.ports && m.filePath === s.filePath) return m.key;
    const key = JSON.stringify([s.name ?? null, s.filePath ?? null, [...s.selector], s.ports]);
    this.serviceKeys.set(s.selector, { name: s.name, ports: s.ports, filePath: s.filePath, key });
    return key;
  }

  /** Forgets documents not used since the last call: keeps memory bounded to one version of a file. */
  prune(): void {
    this.entries = this.used;
    this.used = new Map();
    this.ids = this.usedIds;
    this.usedIds = new Map();
  }

  get size(): number {
    return this.entries.size + this.used.size;
  }
}

/**
 * A copy of a document's text that does not point into the file it was cut from. V8 keeps a
 * substring as a view of its parent string, and parse trees keep substrings of their source:
 * a cached parse would keep alive the whole file as it was when that document was last
 * parsed, one copy of the file per document edited in a session (50 MiB after editing 50
 * documents of a 1 MiB bundle). Copying costs one memcpy per parsed document.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/** Reads the chunk's objects at offset 0 (reused while the text, and the index where it matters, stay the same). */
function modelOf(entry: CacheEntry, docIndex: number): ChunkModel {
  const m = entry.model;
  if (m && (!m.unnamed || m.docIndex === docIndex)) return m;
  const objects: ObjectInfo[] = [];
  const services: ServiceInfo[] = [];
  let aliasLimit = false;
  entry.parsed.docs.forEach((doc, i) => {
    const ctx = new DocContext(doc, 0);
    for (const o of objectsOf(ctx, docIndex + i)) {
      objects.push(o);
      const s = serviceOf(o);
      if (s) services.push(s);
    }
    if (ctx.aliasLimitHit) aliasLimit = true;
  });
  const model: ChunkModel = {
    docIndex,
    objects,
    services,
    aliasLimit,
    unnamed: objects.some((o) => o.name === undefined),
    namespaces: [...new Set(objects.map((o) => o.namespace))],
    results: undefined,
  };
  entry.model = model;
  return model;
}

function shiftSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

export interface PreparedChunk {
  readonly chunk: Chunk;
  readonly parsed: ParsedChunk | undefined;
  readonly template: boolean;
  /** The chunk's objects with file offsets (read on first use). */
  readonly objects: readonly ObjectInfo[];
}

class PreparedChunkImpl implements PreparedChunk {
  private absolute: readonly ObjectInfo[] | undefined;

  constructor(
    readonly chunk: Chunk,
    readonly parsed: ParsedChunk | undefined,
    readonly template: boolean,
    /** Undefined for templates and documents that did not parse. */
    readonly model: ChunkModel | undefined,
  ) {}

  get objects(): readonly ObjectInfo[] {
    if (this.absolute) return this.absolute;
    const { model, parsed } = this;
    if (!model || !parsed) return (this.absolute = []);
    if (this.chunk.start === 0) return (this.absolute = model.objects);
    const out: ObjectInfo[] = [];
    parsed.docs.forEach((doc, i) => out.push(...objectsOf(new DocContext(doc, this.chunk.start), model.docIndex + i)));
    return (this.absolute = out);
  }
}

/** A file read into objects, before any rule runs. */
export interface PreparedFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly chunks: readonly PreparedChunk[];
  readonly notices: readonly Notice[];
  /** Services this file defines. */
  readonly services: readonly ServiceInfo[];
  readonly cache: ParseCache;
}

export function prepareText(text: string, cache: ParseCache = new ParseCache()): PreparedFile {
  const lines = new LineIndex(text);
  const notices: Notice[] = [];
  const chunks: PreparedChunkImpl[] = [];
  const services: ServiceInfo[] = [];
  if (text.length > LIMITS.maxFileChars) {
    notices.push({
      kind: 'too-large',
      severity: 'info',
      message: `File not analysed: it is larger than ${Math.round(LIMITS.maxFileChars / (1024 * 1024))} MiB.`,
      span: { start: 0, end: 0 },
    });
    return { text, lines, chunks, notices, services, cache };
  }
  if (looksBinary(text)) {
    notices.push({ kind: 'syntax-error', severity: 'info', message: 'File not analysed: it looks like binary data, not YAML.', span: { start: 0, end: 0 } });
    return { text, lines, chunks, notices, services, cache };
  }
  let templates = 0;
  let firstTemplate = -1;
  let aliasLimit = false;
  let docIndex = 0;
  // A file with template control lines is one template: none of its documents is read alone.
  const controlLine = templateControlLine(text);
  for (const chunk of splitDocuments(text)) {
    const tm = controlLine >= 0 ? controlLine - chunk.start : templateAt(chunk.text, () => cache.entry(chunk.text).parsed.error === undefined);
    if (controlLine >= 0 || tm >= 0) {
      templates++;
      if (firstTemplate === -1) firstTemplate = chunk.start + tm;
      chunks.push(new PreparedChunkImpl(chunk, undefined, true, undefined));
      docIndex++;
      continue;
    }
    const entry = cache.entry(chunk.text);
    const parsed = entry.parsed;
    let model: ChunkModel | undefined;
    if (parsed.tooDeep) {
      const size = parsed.skipReason === 'size';
      notices.push({
        kind: size ? 'too-large' : 'too-deep',
        severity: 'info',
        message: size
          ? `Document not analysed: it is longer than ${LIMITS.maxDocumentChars / 1024} KiB.`
          : `Document not analysed: nesting deeper than ${LIMITS.maxNesting} levels.`,
        span: { start: chunk.start, end: chunk.start },
      });
    } else if (parsed.error) {
      notices.push({
        kind: 'syntax-error',
        severity: 'error',
        message: `YAML syntax error: ${parsed.error.message}`,
        span: { start: chunk.start + parsed.error.span.start, end: chunk.start + parsed.error.span.end },
      });
    } else {
      for (const l of parsed.lenient ?? []) {
        notices.push({ kind: 'syntax-error', severity: 'info', message: l.message, span: { start: chunk.start + l.span.start, end: chunk.start + l.span.end } });
      }
      model = modelOf(entry, docIndex);
      for (const s of model.services) services.push({ ...s, span: shiftSpan(s.span, chunk.start) });
      if (model.aliasLimit) aliasLimit = true;
      docIndex += parsed.docs.length;
    }
    chunks.push(new PreparedChunkImpl(chunk, parsed, false, model));
  }
  if (templates > 0) {
    notices.push({
      kind: 'template',
      severity: 'info',
      message:
        `${templates} document${templates === 1 ? '' : 's'} with template syntax ({{ }} or {% %}) not analysed. ` +
        'Render the template first, e.g. `helm template . | kube-graceful -`.',
      span: { start: firstTemplate, end: firstTemplate + 2 },
    });
  }
  if (aliasLimit) {
    notices.push({
      kind: 'too-large',
      severity: 'info',
      message: `More than ${LIMITS.maxAliasResolutions} aliases followed in one document; values behind further aliases were not read.`,
      span: { start: 0, end: 0 },
    });
  }
  return { text, lines, chunks, notices, services, cache };
}

function looksBinary(text: string): boolean {
  return text.indexOf('\0') !== -1 && /[\0-\x08\x0e-\x1f]/.test(text.slice(0, 8192));
}

/**
 * The texts of the documents `prepareText` would parse (templates excluded), so that a front end
 * can parse them ahead into a ParseCache in small steps and stay responsive on huge files.
 */
export function documentTexts(text: string): string[] {
  if (text.length > LIMITS.maxFileChars || looksBinary(text) || templateControlLine(text) >= 0) return [];
  return splitDocuments(text)
    .map((c) => c.text)
    .filter((t) => templateIndex(t) < 0);
}

export interface AnalyzeOptions {
  readonly settings: Settings;
  /** Services defined in other files analysed together (the workspace, a CLI run). */
  readonly services?: readonly ServiceInfo[];
  readonly cache?: ParseCache;
}

export interface Analysis extends FileResult {
  readonly prepared: PreparedFile;
  /** Services of other files this analysis took into account (the file's own are in `prepared`). */
  readonly externalServices: readonly ServiceInfo[];
  readonly pods: readonly PodView[];
  readonly directives: readonly Directive[];
  readonly style: Style;
  /** Builds the finding's fix and verifies it on a re-analysis; undefined when none is safe. */
  fixFor(finding: Finding): Fix | undefined;
  /** True when the finding's rule offers a fix (it may still turn out unsafe). */
  hasFix(finding: Finding): boolean;
}

export function analyzeText(text: string, opts: AnalyzeOptions): Analysis {
  return analyzePrepared(prepareText(text, opts.cache), opts);
}

function findingKey(f: { ruleId: string; subject: string }): string {
  return `${f.ruleId}\u0000${f.subject}`;
}

export function analyzePrepared(prep: PreparedFile, opts: AnalyzeOptions): Analysis {
  const { settings } = opts;
  const notices: Notice[] = [...prep.notices];
  const findings: Finding[] = [];
  const origin = new Map<Finding, { pc: PreparedChunkImpl; cached: CachedFinding }>();
  const directives = parseDirectives(prep.text, prep.lines);
  const suppressions = new Suppressions(directives);
  const style = inferStyle(prep.text);
  const allServices = [...prep.services, ...(opts.services ?? [])];
  const index = new ServiceIndex(allServices);
  const active: { rule: Rule; severity: Severity | undefined }[] = [];
  for (const rule of RULES) {
    const s = settings.rules[rule.id];
    if (s === 'off') continue;
    active.push({ rule, severity: s });
  }
  // A rule's findings depend only on its pod's document, the settings and the Services of the
  // pod's namespace: results are cached per document under those, with spans relative to it.
  const cache = prep.cache;
  const settingsId = cache.idOf(JSON.stringify(settings));
  const byNamespace = new Map<string, ServiceInfo[]>();
  for (const s of allServices) {
    const list = byNamespace.get(s.namespace);
    if (list) list.push(s);
    else byNamespace.set(s.namespace, [s]);
  }
  const namespaceIds = new Map<string, number>();
  const namespaceId = (ns: string): number => {
    let id = namespaceIds.get(ns);
    if (id === undefined) {
      // What a rule may read of the Services: those of the pod's namespace, in order.
      id = cache.idOf(`${ns}\u0000${(byNamespace.get(ns) ?? []).map((sv) => cache.serviceKey(sv)).join('\u0000')}`);
      namespaceIds.set(ns, id);
    }
    return id;
  };
  let serviceBySpan: Map<Span, { namespace: string; index: number }> | undefined;
  const serviceRef = (span: Span): { namespace: string; index: number } | undefined => {
    if (!serviceBySpan) {
      serviceBySpan = new Map();
      for (const [namespace, list] of byNamespace) list.forEach((s, i) => serviceBySpan?.set(s.span, { namespace, index: i }));
    }
    return serviceBySpan.get(span);
  };

  const resultsOf = (model: ChunkModel): ChunkResults => {
    const key = `${settingsId}:${model.unnamed ? model.docIndex : ''}:${model.namespaces.map(namespaceId).join(',')}`;
    if (model.results?.key === key) return model.results;
    const cachedFindings: CachedFinding[] = [];
    const chunkNotices: Notice[] = [];
    runRules(model.objects, index, settings, active, (o, pod, rule, severity, r) => {
      if (ignoredByAnnotations(rule.id, o.annotations, pod.annotations)) return;
      cachedFindings.push({
        ruleId: rule.id,
        severity: severity ?? r.severity ?? rule.defaultSeverity,
        message: r.message,
        span: r.span,
        objectSpan: o.span,
        related: (r.related ?? []).map((rel): CachedRelated => {
          const service = serviceRef(rel.span);
          if (service) return { message: rel.message, service };
          return { ...rel, relative: rel.filePath === undefined };
        }),
        subject: r.subject,
        build: r.fix,
      });
    }, undefined, (where, e, span) => chunkNotices.push(internalError(where, e, span)));
    model.results = { key, findings: cachedFindings, notices: chunkNotices };
    return model.results;
  };

  try {
    for (const pc of prep.chunks) {
      if (!(pc instanceof PreparedChunkImpl) || !pc.model) continue;
      const base = pc.chunk.start;
      const results = resultsOf(pc.model);
      for (const n of results.notices) notices.push({ ...n, span: shiftSpan(n.span, base) });
      for (const c of results.findings) {
        const span = shiftSpan(c.span, base);
        if (directives.length > 0 && suppressions.suppressed(c.ruleId, prep.lines.position(span.start).line)) continue;
        const f: Finding = {
          ruleId: c.ruleId,
          severity: c.severity,
          message: c.message,
          span,
          related: c.related.map((rel): RelatedLocation => {
            if ('service' in rel) {
              const s = byNamespace.get(rel.service.namespace)?.[rel.service.index];
              return { message: rel.message, span: s?.span ?? span, ...(s?.filePath !== undefined ? { filePath: s.filePath } : {}) };
            }
            return { message: rel.message, span: rel.relative ? shiftSpan(rel.span, base) : rel.span, ...(rel.filePath !== undefined ? { filePath: rel.filePath } : {}) };
          }),
          subject: c.subject,
          objectSpan: shiftSpan(c.objectSpan, base),
        };
        findings.push(f);
        origin.set(f, { pc, cached: c });
      }
    }
  } catch (e) {
    notices.push(internalError('analysis', e, { start: 0, end: 0 }));
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  const fixCache = new Map<Finding, Fix | undefined>();
  let pods: PodView[] | undefined;

  const analysis: Analysis = {
    prepared: prep,
    externalServices: opts.services ?? [],
    findings,
    notices,
    get pods(): readonly PodView[] {
      if (!pods) {
        pods = [];
        for (const pc of prep.chunks) {
          for (const o of pc.objects) {
            const pod = podViewOf(o);
            if (pod) pods.push(pod);
          }
        }
      }
      return pods;
    },
    directives,
    style,
    hasFix: (f) => origin.get(f)?.cached.build !== undefined,
    fixFor(f) {
      if (fixCache.has(f)) return fixCache.get(f);
      let fix: Fix | undefined;
      try {
        fix = buildAndVerify(f);
      } catch {
        fix = undefined;
      }
      fixCache.set(f, fix);
      return fix;
    },
  };

  /** Builds the fix on the document's own text (as the rule saw it), verifies it there, and shifts it into the file. */
  function buildAndVerify(f: Finding): Fix | undefined {
    const o = origin.get(f);
    const build = o?.cached.build;
    if (!o || !build || !o.pc.model) return undefined;
    const { pc } = o;
    const model = o.pc.model;
    const chunkText = pc.chunk.text;
    const fix = build({ text: chunkText, style, settings });
    if (!fix || fix.edits.length === 0) return undefined;
    for (const e of fix.edits) {
      if (e.start < 0 || e.end > chunkText.length) return undefined;
      if (chunkText.slice(e.start, e.end).includes('#')) return undefined;
      if (style.eol === '\r\n' ? /(^|[^\r])\n/.test(e.newText) : e.newText.includes('\r')) return undefined;
    }
    const newText = applyEdits(chunkText, fix.edits);
    const reparsed = prep.cache.parse(newText);
    if (reparsed.error || reparsed.tooDeep) return undefined;
    const newObjects: ObjectInfo[] = [];
    reparsed.docs.forEach((doc, i) => newObjects.push(...objectsOf(new DocContext(doc, 0), model.docIndex + i)));
    const chunkEnd = pc.chunk.start + chunkText.length;
    const otherServices = prep.services.filter((sv) => sv.span.start < pc.chunk.start || sv.span.start >= chunkEnd);
    const newServices = newObjects.map(serviceOf).filter((sv): sv is ServiceInfo => sv !== undefined);
    const afterIndex = new ServiceIndex([...otherServices, ...newServices, ...(opts.services ?? [])]);
    const rawKeys = (objects: readonly ObjectInfo[], idx: ServiceIndex): Set<string> => {
      const keys = new Set<string>();
      runRules(objects, idx, settings, active, (_o, _pod, rule, _sev, r) => keys.add(findingKey({ ruleId: rule.id, subject: r.subject })));
      return keys;
    };
    const before = rawKeys(model.objects, index);
    const after = rawKeys(newObjects, afterIndex);
    if (after.has(findingKey(f))) return undefined;
    for (const k of after) if (!before.has(k)) return undefined;
    return { ...fix, edits: fix.edits.map((e) => ({ ...shiftSpan(e, pc.chunk.start), newText: e.newText })) };
  }

  return analysis;
}

type OnReport = (o: ObjectInfo, pod: PodView, rule: Rule, severity: Severity | undefined, r: Report) => void;

/** Projects objects to pod views and runs the active rules on each. */
function runRules(
  objects: readonly ObjectInfo[],
  index: ServiceIndex,
  settings: Settings,
  active: readonly { rule: Rule; severity: Severity | undefined }[],
  onReport: OnReport,
  onPod?: (pod: PodView) => void,
  onError?: (where: string, e: unknown, span: { start: number; end: number }) => void,
): void {
  for (const o of objects) {
    const pod = podViewOf(o);
    if (!pod) continue;
    onPod?.(pod);
    const serving = servingContainers(pod, index);
    for (const { rule, severity } of active) {
      try {
        rule.check(pod, { settings, serving, report: (r) => onReport(o, pod, rule, severity, r) });
      } catch (e) {
        onError?.(`rule ${rule.id}`, e, o.kindSpan);
      }
    }
  }
}

function internalError(where: string, e: unknown, span: { start: number; end: number }): Notice {
  const msg = e instanceof Error ? e.message : String(e);
  return { kind: 'internal-error', severity: 'info', message: `Internal error in ${where}: ${msg}`, span };
}

export interface FixAllResult {
  readonly output: string;
  /** Fixes applied, over all passes. */
  readonly applied: number;
  readonly analysis: Analysis;
}

/**
 * Applies every safe fix (optionally only those of some rules), re-analysing between passes
 * so that fixes that touch the same place are applied one after the other. Stops when
 * nothing is left to fix; a second run changes nothing.
 */
export function fixAll(text: string, opts: AnalyzeOptions, include: (ruleId: string) => boolean = () => true): FixAllResult {
  const cache = opts.cache ?? new ParseCache();
  let current = text;
  let analysis = analyzeText(current, { ...opts, cache });
  let applied = 0;
  const baseErrors = analysis.notices.filter((n) => n.kind === 'syntax-error').length;
  for (let pass = 0; pass < 10; pass++) {
    const chosen: { start: number; end: number; newText: string }[] = [];
    let count = 0;
    for (const f of analysis.findings) {
      if (!include(f.ruleId)) continue;
      const fix = analysis.fixFor(f);
      if (!fix) continue;
      if (fix.edits.some((e) => chosen.some((c) => e.start <= c.end && c.start <= e.end))) continue;
      chosen.push(...fix.edits);
      count++;
    }
    if (count === 0) break;
    const next = applyEdits(current, chosen);
    const nextAnalysis = analyzeText(next, { ...opts, cache });
    if (nextAnalysis.notices.filter((n) => n.kind === 'syntax-error').length > baseErrors) break;
    current = next;
    analysis = nextAnalysis;
    applied += count;
  }
  return { output: current, applied, analysis };
}
