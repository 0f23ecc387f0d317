/**
 * Stage 5 of the pipeline, findings: a chunk's cached rule results placed in the file —
 * spans shifted to file offsets, related locations resolved (a Service at its current span,
 * even in another file), directive comments applied — and sorted.
 */
import { Suppressions, type Directive } from '../directives';
import type { Finding, Notice, RelatedLocation, Span } from '../types';
import type { LineIndex } from '../yaml/text';
import type { ResolvedValue } from '../yaml/helm-values';
import type { CachedFinding, CachedRelated, ChunkResults } from './cache';
import type { RuleStage } from './rules';

function shiftSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

export interface Placed {
  readonly finding: Finding;
  readonly cached: CachedFinding;
}

export class FindingStage {
  private readonly suppressions: Suppressions;

  constructor(
    private readonly stage: RuleStage,
    private readonly directives: readonly Directive[],
    private readonly lines: LineIndex,
  ) {
    this.suppressions = new Suppressions(directives);
  }

  /**
   * The chunk's findings at file offsets, without those a directive suppresses. In a template,
   * a value read from a masked action is named in messages by the action as written.
   */
  place(results: ChunkResults, base: number, notices: Notice[], template?: TemplateSource): Placed[] {
    // Read from the template only when a finding is placed: most chunks have none.
    let names: [string, string][] | undefined;
    for (const n of results.notices) notices.push({ ...n, span: shiftSpan(n.span, base) });
    const out: Placed[] = [];
    for (const c of results.findings) {
      const span = shiftSpan(c.span, base);
      if (this.directives.length > 0 && this.suppressions.suppressed(c.ruleId, this.lines.position(span.start).line)) continue;
      const finding: Finding = {
        ruleId: c.ruleId,
        severity: c.severity,
        message: template ? renamed(c.message, (names ??= actionNames(template))) : c.message,
        span,
        related: [...c.related.map((rel) => this.related(rel, span, base)), ...(template ? valuesRelated(template, c.ruleId, c.objectSpan) : [])],
        subject: c.subject,
        objectSpan: shiftSpan(c.objectSpan, base),
      };
      out.push({ finding, cached: c });
    }
    return out;
  }

  private related(rel: CachedRelated, span: Span, base: number): RelatedLocation {
    if ('serviceKey' in rel) {
      const s = this.stage.serviceByKey.get(rel.serviceKey);
      return { message: rel.message, span: s?.span ?? span, ...(s?.filePath !== undefined ? { filePath: s.filePath } : {}) };
    }
    return { message: rel.message, span: rel.relative ? shiftSpan(rel.span, base) : rel.span, ...(rel.filePath !== undefined ? { filePath: rel.filePath } : {}) };
  }
}

export function sortFindings(findings: Finding[]): void {
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
}

/** A template chunk: its text, and the masked text and actions it was read through. */
export interface TemplateSource {
  readonly text: string;
  readonly masked: string;
  readonly actions: readonly { readonly start: number; readonly end: number; readonly kind: string; readonly known?: boolean }[];
  /** What the chart's values decided in the template, and the values file. */
  readonly resolved?: readonly ResolvedValue[];
  readonly valuesFile?: string | undefined;
}

/** The rules each field a value decides matters to. */
const FIELD_RULES: Record<string, RegExp> = {
  grace: /grace|exceeds|too-short|drain/,
  lifecycle: /prestop|sleep|drain|grace|exceeds|shell/,
  image: /image|nginx/,
};

/**
 * The values a pod's termination was judged with, where they are written in the values file:
 * the grace period, hooks and images of the finding's object that came from values.
 */
function valuesRelated(t: TemplateSource, ruleId: string, objectSpan: Span): RelatedLocation[] {
  const file = t.valuesFile;
  if (file === undefined || !t.resolved) return [];
  const out: RelatedLocation[] = [];
  // A splice at the end of an object is past its node's end: only blanks lie between them.
  const inObject = (at: number): boolean => at >= objectSpan.start && (at < objectSpan.end || t.masked.slice(objectSpan.end, at).trim() === '');
  for (const r of t.resolved) {
    if (!r.valueSpan || !inObject(r.start) || !(FIELD_RULES[r.field]?.test(ruleId) ?? false)) continue;
    out.push({ message: `default set in values.yaml: ${r.path}`, span: r.valueSpan, filePath: file });
  }
  return out;
}

/** The masked stand-in of each value action, longest first, with the action as written. */
function actionNames(t: TemplateSource): [string, string][] {
  const out = new Map<string, string>();
  for (const a of t.actions) {
    if (a.kind !== 'value' || a.known) continue;
    const stand = t.masked.slice(a.start, a.end).trim();
    if (stand.length >= 4 && /\S/.test(stand)) out.set(stand, t.text.slice(a.start, a.end).replace(/\s+/g, ' '));
  }
  return [...out].sort((x, y) => y[0].length - x[0].length);
}

function renamed(message: string, names: readonly [string, string][]): string {
  let m = message;
  for (const [stand, original] of names) if (m.includes(stand)) m = m.split(stand).join(original);
  return m;
}
