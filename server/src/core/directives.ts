/**
 * Suppression: directive comments and object annotations.
 *
 *   # kube-graceful-disable-next-line rule-a, rule-b -- reason
 *   image: x  # kube-graceful-disable-line rule-a
 *   # kube-graceful-disable rule-a          (whole file)
 *   metadata.annotations: ignore-check.kube-graceful.io/<rule-id>: "reason"
 *
 * A directive without rule ids applies to every rule.
 */
import { LineIndex } from './yaml/text';

export const DIRECTIVE_PREFIX = 'kube-graceful-disable';
export const IGNORE_ANNOTATION_PREFIX = 'ignore-check.kube-graceful.io/';

export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface Directive {
  readonly kind: DirectiveKind;
  /** Empty: all rules. */
  readonly rules: readonly string[];
  /** Zero-based line of the comment. */
  readonly line: number;
  /** Offsets of the comment's rule list end, where another id can be appended. */
  readonly rulesEnd: number;
  /** Offset where the comment starts ('#'). */
  readonly commentStart: number;
}

const RE = /(^|\s)#\s*kube-graceful-disable(-next-line|-line)?(?=\s|$)([^\r\n]*)/;

export function parseDirectives(text: string, lines: LineIndex): Directive[] {
  const out: Directive[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(DIRECTIVE_PREFIX, from);
    if (at === -1) break;
    from = at + DIRECTIVE_PREFIX.length;
    const { line } = lines.position(at);
    const lineStart = lines.lineStart(line);
    const lineText = text.slice(lineStart, lines.lineEnd(line));
    const m = RE.exec(lineText);
    if (!m || m.index + m[0].length < at - lineStart) continue;
    const hashAt = lineStart + lineText.indexOf('#', m.index);
    const fullLine = /^\s*$/.test(lineText.slice(0, hashAt - lineStart));
    const kind: DirectiveKind = m[2] === '-next-line' ? 'next-line' : m[2] === '-line' ? 'line' : 'file';
    if (kind !== 'line' && !fullLine) continue;
    const rest = m[3] ?? '';
    const reasonAt = rest.indexOf('--');
    const list = reasonAt === -1 ? rest : rest.slice(0, reasonAt);
    const rules = list
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const listStart = lineStart + m.index + m[0].length - rest.length;
    const rulesEnd = listStart + list.replace(/\s+$/, '').length;
    out.push({ kind, rules, line, rulesEnd, commentStart: hashAt });
    from = lineStart + lineText.length;
  }
  return out;
}

export class Suppressions {
  private readonly file = new Set<string>();
  private fileAll = false;
  private readonly byLine = new Map<number, { all: boolean; rules: Set<string> }>();

  constructor(readonly directives: readonly Directive[]) {
    for (const d of directives) {
      if (d.kind === 'file') {
        if (d.rules.length === 0) this.fileAll = true;
        for (const r of d.rules) this.file.add(r);
        continue;
      }
      const target = d.kind === 'next-line' ? d.line + 1 : d.line;
      const entry = this.byLine.get(target) ?? { all: false, rules: new Set<string>() };
      if (d.rules.length === 0) entry.all = true;
      for (const r of d.rules) entry.rules.add(r);
      this.byLine.set(target, entry);
    }
  }

  suppressed(ruleId: string, line: number): boolean {
    if (this.fileAll || this.file.has(ruleId)) return true;
    const e = this.byLine.get(line);
    return e !== undefined && (e.all || e.rules.has(ruleId));
  }
}

export function ignoredByAnnotations(ruleId: string, ...annotationMaps: ReadonlyMap<string, string>[]): boolean {
  for (const m of annotationMaps) {
    if (m.has(IGNORE_ANNOTATION_PREFIX + ruleId) || m.has(`${IGNORE_ANNOTATION_PREFIX}all`)) return true;
  }
  return false;
}
