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
import type { FileResult, Finding, Fix, Notice, Severity } from './types';
import { inferStyle, type Style } from './yaml/edit';
import { DocContext } from './yaml/nodes';
import { LIMITS, parseChunk, splitDocuments, type Chunk, type ParsedChunk } from './yaml/parse';
import { applyEdits, LineIndex } from './yaml/text';

const TEMPLATE_RE = /\{\{|\{%|\{#/;

/** Parsed documents by their exact text. Owned by the caller (one per open document, or per run). */
export class ParseCache {
  private entries = new Map<string, ParsedChunk>();
  private used = new Map<string, ParsedChunk>();

  parse(text: string): ParsedChunk {
    let p = this.used.get(text) ?? this.entries.get(text);
    if (!p) p = parseChunk(text);
    this.used.set(text, p);
    return p;
  }

  /** Forgets documents not used since the last call: keeps memory bounded to one version of a file. */
  prune(): void {
    this.entries = this.used;
    this.used = new Map();
  }

  get size(): number {
    return this.entries.size + this.used.size;
  }
}

export interface PreparedChunk {
  readonly chunk: Chunk;
  readonly parsed: ParsedChunk | undefined;
  readonly template: boolean;
  readonly objects: readonly ObjectInfo[];
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
  const chunks: PreparedChunk[] = [];
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
  if (text.indexOf('\0') !== -1 && /[\0-\x08\x0e-\x1f]/.test(text.slice(0, 8192))) {
    notices.push({ kind: 'syntax-error', severity: 'info', message: 'File not analysed: it looks like binary data, not YAML.', span: { start: 0, end: 0 } });
    return { text, lines, chunks, notices, services, cache };
  }
  let templates = 0;
  let firstTemplate = -1;
  let aliasLimit = false;
  let docIndex = 0;
  for (const chunk of splitDocuments(text)) {
    const tm = TEMPLATE_RE.exec(chunk.text);
    if (tm) {
      templates++;
      if (firstTemplate === -1) firstTemplate = chunk.start + tm.index;
      chunks.push({ chunk, parsed: undefined, template: true, objects: [] });
      docIndex++;
      continue;
    }
    const parsed = cache.parse(chunk.text);
    const objects: ObjectInfo[] = [];
    if (parsed.tooDeep) {
      notices.push({
        kind: 'too-deep',
        severity: 'info',
        message: `Document not analysed: nesting deeper than ${LIMITS.maxNesting} levels.`,
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
      for (const doc of parsed.docs) {
        const ctx = new DocContext(doc, chunk.start);
        for (const o of objectsOf(ctx, docIndex)) {
          objects.push(o);
          const s = serviceOf(o);
          if (s) services.push(s);
        }
        if (ctx.aliasLimitHit) aliasLimit = true;
        docIndex++;
      }
    }
    chunks.push({ chunk, parsed, template: false, objects });
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

export interface AnalyzeOptions {
  readonly settings: Settings;
  /** Services defined in other files analysed together (the workspace, a CLI run). */
  readonly services?: readonly ServiceInfo[];
  readonly cache?: ParseCache;
}

export interface Analysis extends FileResult {
  readonly prepared: PreparedFile;
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
  const builders = new Map<Finding, FixBuilder>();
  const pods: PodView[] = [];
  const directives = parseDirectives(prep.text, prep.lines);
  const suppressions = new Suppressions(directives);
  const style = inferStyle(prep.text);
  const index = new ServiceIndex([...prep.services, ...(opts.services ?? [])]);
  const active: { rule: Rule; severity: Severity | undefined }[] = [];
  for (const rule of RULES) {
    const s = settings.rules[rule.id];
    if (s === 'off') continue;
    active.push({ rule, severity: s });
  }
  try {
    for (const pc of prep.chunks) {
      runRules(pc.objects, index, settings, active, (o, pod, rule, severity, r) => {
        const line = prep.lines.position(r.span.start).line;
        if (suppressions.suppressed(rule.id, line)) return;
        if (ignoredByAnnotations(rule.id, o.annotations, pod.annotations)) return;
        const f: Finding = {
          ruleId: rule.id,
          severity: severity ?? r.severity ?? rule.defaultSeverity,
          message: r.message,
          span: r.span,
          related: r.related ?? [],
          subject: r.subject,
          objectSpan: o.span,
        };
        findings.push(f);
        if (r.fix) builders.set(f, r.fix);
      }, (pod) => pods.push(pod), (where, e, span) => notices.push(internalError(where, e, span)));
    }
  } catch (e) {
    notices.push(internalError('analysis', e, { start: 0, end: 0 }));
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  const fixCache = new Map<Finding, Fix | undefined>();

  const analysis: Analysis = {
    prepared: prep,
    findings,
    notices,
    pods,
    directives,
    style,
    hasFix: (f) => builders.has(f),
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

  function buildAndVerify(f: Finding): Fix | undefined {
    const build = builders.get(f);
    if (!build) return undefined;
    const fix = build({ text: prep.text, style, settings });
    if (!fix || fix.edits.length === 0) return undefined;
    for (const e of fix.edits) {
      if (prep.text.slice(e.start, e.end).includes('#')) return undefined;
      if (style.eol === '\r\n' ? /(^|[^\r])\n/.test(e.newText) : e.newText.includes('\r')) return undefined;
    }
    const pc = prep.chunks.find((c) => fix.edits.every((e) => e.start >= c.chunk.start && e.end <= c.chunk.start + c.chunk.text.length));
    if (!pc || pc.template || !pc.parsed) return undefined;
    const shifted = fix.edits.map((e) => ({ start: e.start - pc.chunk.start, end: e.end - pc.chunk.start, newText: e.newText }));
    const newText = applyEdits(pc.chunk.text, shifted);
    const reparsed = prep.cache.parse(newText);
    if (reparsed.error || reparsed.tooDeep) return undefined;
    const newObjects: ObjectInfo[] = [];
    for (const doc of reparsed.docs) newObjects.push(...objectsOf(new DocContext(doc, 0), 0));
    const otherServices = prep.services.filter((sv) => sv.span.start < pc.chunk.start || sv.span.start >= pc.chunk.start + pc.chunk.text.length);
    const newServices = newObjects.map(serviceOf).filter((sv): sv is ServiceInfo => sv !== undefined);
    const afterIndex = new ServiceIndex([...otherServices, ...newServices, ...(opts.services ?? [])]);
    const rawKeys = (objects: readonly ObjectInfo[], idx: ServiceIndex): Set<string> => {
      const keys = new Set<string>();
      runRules(objects, idx, settings, active, (_o, _pod, rule, _sev, r) => keys.add(findingKey({ ruleId: rule.id, subject: r.subject })));
      return keys;
    };
    const before = rawKeys(pc.objects, index);
    const after = rawKeys(newObjects, afterIndex);
    if (after.has(findingKey(f))) return undefined;
    for (const k of after) if (!before.has(k)) return undefined;
    return fix;
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
