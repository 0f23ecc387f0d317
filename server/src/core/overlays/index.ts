/**
 * Kustomize overlays judged as they are built: each build's objects are rendered, analysed as
 * one file (its Services select its pods), and every finding is placed in the file that wrote
 * the line (the base, a patch, the kustomization). A file's own analysis is then reconciled
 * with what its builds say: a finding no build has is dropped (an overlay fixes it), a finding
 * some builds have names them, and a finding only the builds have (a patch broke the timing)
 * is added where the patch wrote it.
 */
import { analyzeText, ParseCache, type Analysis } from '../analyze';
import { parseDirectives, Suppressions } from '../directives';
import { buildKustomization, type BuildNote, type KustomizeBuild, type KustomizeHost, type Traced } from '../kustomize';
import type { Settings } from '../settings';
import type { Finding, Fix, Notice, RelatedLocation, Span, TextEdit } from '../types';
import { applyEdits, LineIndex } from '../yaml/text';
import { placeSpan, renderObjects, type RenderCache, type Rendered } from './render';

export interface OverlayBuild {
  readonly build: KustomizeBuild;
  readonly settings: Settings;
  /** How the build is named to users (its directory, relative to where the run started). */
  readonly label: string;
  /** What the build read its files through: with it, a finding a patch causes gets a fix in that patch, checked on a new build. */
  readonly host?: KustomizeHost;
}

/** A finding of one or more builds, placed in the file that holds its line. */
export interface PlacedFinding {
  readonly file: string;
  readonly finding: Finding;
  /** Labels of the builds that have it. */
  readonly builds: readonly string[];
  /** The fix in the file that holds the line (a number a patch wrote), built and checked on demand. */
  readonly fix?: () => Fix | undefined;
}

export interface OverlayResult {
  /** Every resource file of a build, with the labels of the builds that use it. */
  readonly covered: ReadonlyMap<string, readonly string[]>;
  /** The builds' findings, per file that holds their line. */
  readonly placed: ReadonlyMap<string, readonly PlacedFinding[]>;
  /** What the builds could not read, once each. */
  readonly notes: readonly BuildNote[];
}

function placeRelated(r: Rendered, related: readonly RelatedLocation[], file: string): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const rel of related) {
    if (rel.filePath !== undefined) continue;
    const p = placeSpan(r, rel.span);
    if (p) out.push(p.file === file ? { message: rel.message, span: p.span } : { message: rel.message, span: p.span, filePath: p.file });
  }
  return out;
}

interface BuildAnalysis {
  readonly rendered: Rendered;
  readonly analysis: Analysis;
}

/** Kinds the model reads beyond their name: Services, what routes to them, ConfigMaps the apps read, pods. */
const READ_KINDS = new Set(['Service', 'Ingress', 'BackendConfig', 'ConfigMap', 'Pod', 'PodTemplate']);

/**
 * Whether an object can change a finding: a kind the model reads, a list, or anything with a pod
 * template (`spec.template`, `spec.jobTemplate`: the controllers and custom resources alike).
 * The others (schemas, access control, namespaces, policies, claims, …) are left out of what is analysed.
 */
function judged(t: Traced): boolean {
  if (t.kind !== 'map') return false;
  const kind = t.entries.find((e) => e.key === 'kind')?.value;
  if (kind?.kind === 'string' && (READ_KINDS.has(kind.value) || kind.value.endsWith('List'))) return true;
  const spec = t.entries.find((e) => e.key === 'spec')?.value;
  return spec?.kind === 'map' && spec.entries.some((e) => e.key === 'template' || e.key === 'jobTemplate');
}

/** What the builds of one run share: documents read, and objects written. */
interface RunCaches {
  readonly parses: ParseCache;
  readonly renders: RenderCache;
}

/** The build's objects rendered and analysed; the rendered documents' parses, made while writing them, go into the parse cache. */
function analyseBuild(build: KustomizeBuild, settings: Settings, caches?: RunCaches): BuildAnalysis {
  const cache = caches?.parses ?? new ParseCache();
  const rendered = renderObjects(
    build.objects.map((o) => o.value).filter(judged),
    caches?.renders,
  );
  for (const c of rendered.chunks) if (c.parsed) cache.adopt(c.text, c.parsed);
  return { rendered, analysis: analyzeText(rendered.text, { settings, cache }) };
}

/** One build's findings, placed, each with its fix in a patch where there is one. */
function buildFindings(b: OverlayBuild, caches: RunCaches): { file: string; finding: Finding; fix?: () => Fix | undefined }[] {
  const built = analyseBuild(b.build, b.settings, caches);
  const { rendered, analysis } = built;
  const out: { file: string; finding: Finding; fix?: () => Fix | undefined }[] = [];
  for (const f of analysis.findings) {
    const at = placeSpan(rendered, f.span);
    if (!at) continue;
    const object = placeSpan(rendered, f.objectSpan);
    const objectSpan = object && object.file === at.file ? object.span : at.span;
    const finding: Finding = { ruleId: f.ruleId, severity: f.severity, message: f.message, span: at.span, related: placeRelated(rendered, f.related, at.file), subject: `${at.file}\u0000${f.subject}`, objectSpan };
    const host = b.host;
    out.push(host && analysis.hasFix(f) ? { file: at.file, finding, fix: once(() => patchFix(b, host, built, f, at.file)) } : { file: at.file, finding });
  }
  return out;
}

function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value as T;
  };
}

/**
 * The build's fix for `f` written where the build read it: every edit must rewrite a number that
 * `file` wrote (a grace period or a sleep a patch set). Checked on a new build of the edited file:
 * the finding is gone, no other appears, and the build reads as many files with no new note.
 */
function patchFix(b: OverlayBuild, host: KustomizeHost, built: BuildAnalysis, f: Finding, file: string): Fix | undefined {
  // The fix is built and checked on the rendered text parsed as any text is: edits are made on what the parser reads.
  const parsed = analyzeText(built.rendered.text, { settings: b.settings });
  const same = parsed.findings.find((x) => x.ruleId === f.ruleId && x.subject === f.subject && x.span.start === f.span.start && x.span.end === f.span.end);
  const fix = same && parsed.fixFor(same);
  const text = host.readFile(file);
  if (!fix || text === undefined) return undefined;
  const edits: TextEdit[] = [];
  for (const e of fix.edits) {
    const src = built.rendered.numberAt(e);
    if (!src?.span || src.file !== file || !/^\d+$/.test(e.newText) || !/^\d+$/.test(text.slice(src.span.start, src.span.end))) return undefined;
    edits.push({ start: src.span.start, end: src.span.end, newText: e.newText });
  }
  if (edits.length === 0) return undefined;
  const next = applyEdits(text, edits);
  const rebuilt = buildKustomization(b.build.root, { readFile: (p) => (p === file ? next : host.readFile(p)), isDirectory: (p) => host.isDirectory(p) });
  if (rebuilt.notes.length > b.build.notes.length || rebuilt.objects.length !== b.build.objects.length) return undefined;
  const key = (x: Finding): string => `${x.ruleId}\u0000${x.subject}`;
  const before = new Set(built.analysis.findings.map(key));
  const after = analyseBuild(rebuilt, b.settings).analysis.findings.map(key);
  if (after.includes(key(f)) || after.some((k) => !before.has(k))) return undefined;
  return { title: `${fix.title} (in ${baseName(file)})`, edits };
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** Builds every overlay's objects into findings placed in their files; a base used by several overlays gets each problem once. */
export function analyzeBuilds(builds: readonly OverlayBuild[]): OverlayResult {
  const covered = new Map<string, string[]>();
  const placed = new Map<string, Map<string, { file: string; finding: Finding; builds: string[]; fix?: () => Fix | undefined }>>();
  const notes = new Map<string, BuildNote>();
  // Objects that several overlays build alike are written and read once.
  const caches: RunCaches = { parses: new ParseCache(), renders: new Map() };
  for (const b of builds) {
    for (const [file, role] of b.build.files) {
      if (role !== 'resource') continue;
      const list = covered.get(file) ?? [];
      if (!list.includes(b.label)) list.push(b.label);
      covered.set(file, list);
    }
    for (const n of b.build.notes) notes.set(`${n.file}\u0000${n.span?.start ?? -1}\u0000${n.message}`, n);
    for (const { file, finding, fix } of buildFindings(b, caches)) {
      const byKey = placed.get(file) ?? new Map<string, { file: string; finding: Finding; builds: string[]; fix?: () => Fix | undefined }>();
      placed.set(file, byKey);
      const key = `${finding.ruleId}\u0000${finding.span.start}\u0000${finding.span.end}`;
      const seen = byKey.get(key);
      if (seen) {
        if (!seen.builds.includes(b.label)) seen.builds.push(b.label);
      } else byKey.set(key, { file, finding, builds: [b.label], ...(fix ? { fix } : {}) });
    }
  }
  const placedLists = new Map<string, PlacedFinding[]>();
  for (const [file, byKey] of placed) placedLists.set(file, [...byKey.values()]);
  return { covered, placed: placedLists, notes: [...notes.values()] };
}

function builtBy(builds: readonly string[]): string {
  return ` (as built by ${builds.join(', ')})`;
}

export interface Reconciled {
  readonly findings: readonly Finding[];
  /** For each reported finding that is the file's own, the finding of the file's analysis it stands for (its fix). */
  readonly own: ReadonlyMap<Finding, Finding>;
  /** For each reported finding only the builds have, where it came from (its fix in a patch). */
  readonly placedOf: ReadonlyMap<Finding, PlacedFinding>;
}

function sameLine(lines: LineIndex, a: Span, b: Span): boolean {
  return lines.position(a.start).line === lines.position(b.start).line;
}

/**
 * A file's findings in the light of its builds. `own` are the findings of the file read alone;
 * `placed` the builds' findings placed in it; `covered` whether any build uses the file as a
 * resource (a patch or kustomization file is not read alone, so only the builds speak of it).
 */
export function reconcile(text: string, own: readonly Finding[], placed: readonly PlacedFinding[], covered: boolean): Reconciled {
  const lines = new LineIndex(text);
  const suppress = new Suppressions(parseDirectives(text, lines));
  const used = new Set<PlacedFinding>();
  const out: Finding[] = [];
  const ownOf = new Map<Finding, Finding>();
  for (const f of own) {
    if (!covered) {
      out.push(f);
      ownOf.set(f, f);
      continue;
    }
    const match = placed.find((p) => !used.has(p) && p.finding.ruleId === f.ruleId && (p.finding.span.start === f.span.start || sameLine(lines, p.finding.span, f.span)));
    if (!match) continue;
    used.add(match);
    const reported = { ...f, message: f.message + builtBy(match.builds) };
    out.push(reported);
    ownOf.set(reported, f);
  }
  const placedOf = new Map<Finding, PlacedFinding>();
  for (const p of placed) {
    if (used.has(p)) continue;
    if (suppress.suppressed(p.finding.ruleId, lines.position(p.finding.span.start).line)) continue;
    const reported = { ...p.finding, message: p.finding.message + builtBy(p.builds) };
    out.push(reported);
    placedOf.set(reported, p);
  }
  out.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { findings: out, own: ownOf, placedOf };
}

/** A file's analysis as its builds see it, with which of its own findings fix-all may fix. */
export interface OverlayView {
  readonly analysis: Analysis;
  /** True for a finding of the file read alone that its builds still report (a fix-all filter). */
  readonly keeps: (f: Finding) => boolean;
}

/**
 * Wraps a file's analysis: its findings reconciled with the builds, the notes of what the builds
 * did not read, fixes and suppressions answered for the file's own findings (a finding only the
 * builds have offers none). Undefined when no build uses or places anything in the file.
 */
export function overlayView(analysis: Analysis, file: string, result: OverlayResult): OverlayView | undefined {
  const placed = result.placed.get(file) ?? [];
  const notes = result.notes.filter((n) => n.file === file);
  const covered = result.covered.has(file);
  if (!covered && placed.length === 0 && notes.length === 0) return undefined;
  const text = analysis.prepared.text;
  const rec = reconcile(text, analysis.findings, placed, covered);
  const kept = new Set([...rec.own.values()].map((f) => `${f.ruleId}\u0000${f.subject}`));
  const own = (f: Finding): Finding | undefined => rec.own.get(f) ?? (analysis.findings.includes(f) ? f : undefined);
  const noteNotices: Notice[] = notes.map((n) => ({ kind: 'kustomize', severity: 'info', message: n.message, span: n.span ?? { start: 0, end: 0 } }));
  const view: Analysis = {
    ...analysis,
    findings: rec.findings,
    notices: [...analysis.notices, ...noteNotices],
    fixFor: (f) => mapOr(own(f), rec.placedOf.get(f)?.fix?.(), (o) => analysis.fixFor(o)),
    fixProblem: (f) => mapOr(own(f), placedProblem(rec.placedOf.get(f)), (o) => analysis.fixProblem(o)),
    hasFix: (f) => mapOr(own(f), rec.placedOf.get(f)?.fix !== undefined, (o) => analysis.hasFix(o)),
    ignoreAnnotationFor: (f, reason) => mapOr(own(f), undefined, (o) => analysis.ignoreAnnotationFor(o, reason)),
    suppresses: (edits, f) => mapOr(own(f), false, (o) => analysis.suppresses(edits, o)),
  };
  return { analysis: view, keeps: (f) => kept.has(`${f.ruleId}\u0000${f.subject}`) };
}

function placedProblem(p: PlacedFinding | undefined): string | undefined {
  if (p?.fix?.()) return undefined;
  return 'the value comes from another layer of the kustomize build (a base, a transformer, or a patch edit that does not check out): change it there';
}

function mapOr<T>(f: Finding | undefined, otherwise: T, fn: (f: Finding) => T): T {
  return f === undefined ? otherwise : fn(f);
}
