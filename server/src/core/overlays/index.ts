/**
 * Kustomize overlays judged as they are built: each build's objects are rendered, analysed as
 * one file (its Services select its pods), and every finding is placed in the file that wrote
 * the line (the base, a patch, the kustomization). A file's own analysis is then reconciled
 * with what its builds say: a finding no build has is dropped (an overlay fixes it), a finding
 * some builds have names them, and a finding only the builds have (a patch broke the timing)
 * is added where the patch wrote it.
 */
import { analyzeText, type Analysis } from '../analyze';
import { parseDirectives, Suppressions } from '../directives';
import type { BuildNote, KustomizeBuild } from '../kustomize';
import type { Settings } from '../settings';
import type { Finding, Notice, RelatedLocation, Span } from '../types';
import { LineIndex } from '../yaml/text';
import { placeSpan, renderObjects, type Rendered } from './render';

export interface OverlayBuild {
  readonly build: KustomizeBuild;
  readonly settings: Settings;
  /** How the build is named to users (its directory, relative to where the run started). */
  readonly label: string;
}

/** A finding of one or more builds, placed in the file that holds its line. */
export interface PlacedFinding {
  readonly file: string;
  readonly finding: Finding;
  /** Labels of the builds that have it. */
  readonly builds: readonly string[];
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

/** One build's findings, placed. */
function buildFindings(b: OverlayBuild): { file: string; finding: Finding }[] {
  const rendered = renderObjects(b.build.objects.map((o) => o.value));
  const analysis = analyzeText(rendered.text, { settings: b.settings });
  const out: { file: string; finding: Finding }[] = [];
  for (const f of analysis.findings) {
    const at = placeSpan(rendered, f.span);
    if (!at) continue;
    const object = placeSpan(rendered, f.objectSpan);
    const objectSpan = object && object.file === at.file ? object.span : at.span;
    const finding: Finding = { ruleId: f.ruleId, severity: f.severity, message: f.message, span: at.span, related: placeRelated(rendered, f.related, at.file), subject: `${at.file}\u0000${f.subject}`, objectSpan };
    out.push({ file: at.file, finding });
  }
  return out;
}

/** Builds every overlay's objects into findings placed in their files; a base used by several overlays gets each problem once. */
export function analyzeBuilds(builds: readonly OverlayBuild[]): OverlayResult {
  const covered = new Map<string, string[]>();
  const placed = new Map<string, Map<string, { file: string; finding: Finding; builds: string[] }>>();
  const notes = new Map<string, BuildNote>();
  for (const b of builds) {
    for (const [file, role] of b.build.files) {
      if (role !== 'resource') continue;
      const list = covered.get(file) ?? [];
      if (!list.includes(b.label)) list.push(b.label);
      covered.set(file, list);
    }
    for (const n of b.build.notes) notes.set(`${n.file}\u0000${n.span?.start ?? -1}\u0000${n.message}`, n);
    for (const { file, finding } of buildFindings(b)) {
      const byKey = placed.get(file) ?? new Map<string, { file: string; finding: Finding; builds: string[] }>();
      placed.set(file, byKey);
      const key = `${finding.ruleId}\u0000${finding.span.start}\u0000${finding.span.end}`;
      const seen = byKey.get(key);
      if (seen) {
        if (!seen.builds.includes(b.label)) seen.builds.push(b.label);
      } else byKey.set(key, { file, finding, builds: [b.label] });
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
  for (const p of placed) {
    if (used.has(p)) continue;
    if (suppress.suppressed(p.finding.ruleId, lines.position(p.finding.span.start).line)) continue;
    out.push({ ...p.finding, message: p.finding.message + builtBy(p.builds) });
  }
  out.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { findings: out, own: ownOf };
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
    fixFor: (f) => mapOr(own(f), undefined, (o) => analysis.fixFor(o)),
    fixProblem: (f) => mapOr(own(f), 'the line is written by a kustomize patch or transformer; edit it there', (o) => analysis.fixProblem(o)),
    hasFix: (f) => mapOr(own(f), false, (o) => analysis.hasFix(o)),
    ignoreAnnotationFor: (f, reason) => mapOr(own(f), undefined, (o) => analysis.ignoreAnnotationFor(o, reason)),
    suppresses: (edits, f) => mapOr(own(f), false, (o) => analysis.suppresses(edits, o)),
  };
  return { analysis: view, keeps: (f) => kept.has(`${f.ruleId}\u0000${f.subject}`) };
}

function mapOr<T>(f: Finding | undefined, otherwise: T, fn: (f: Finding) => T): T {
  return f === undefined ? otherwise : fn(f);
}
