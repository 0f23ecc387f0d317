/**
 * Suppression edits: a directive comment for one line or the whole file, or the ignore
 * annotation on the object. A directive is appended to an existing one instead of stacking a
 * second comment. Every edit goes through the core's check before it is offered: the finding is
 * gone, nothing new is reported, no value changes but the annotation, and the YAML still parses.
 */
import { DIRECTIVE_PREFIX, type Finding, type TextEdit } from '../../core';
import type { DocumentAnalysis } from './analyzer';

/** The value the annotation gets: a placeholder the user is meant to replace. */
export const ANNOTATION_REASON = 'TODO: why this check does not apply';


/** `# kube-graceful-disable-next-line <rule>` above the finding's line, or `, <rule>` on an existing directive. */
export function disableLineEdits(da: DocumentAnalysis, f: Finding): TextEdit[] | undefined {
  const { lines } = da.analysis.prepared;
  const line = lines.position(f.span.start).line;
  for (const d of da.analysis.directives) {
    if (d.rules.length === 0 || d.rules.includes(f.ruleId)) continue;
    if ((d.kind === 'next-line' && d.line === line - 1) || (d.kind === 'line' && d.line === line)) {
      return [{ start: d.rulesEnd, end: d.rulesEnd, newText: `, ${f.ruleId}` }];
    }
  }
  const start = lines.lineStart(line);
  const indent = /^[ \t]*/.exec(lines.lineText(line))?.[0] ?? '';
  return [{ start, end: start, newText: `${indent}# ${DIRECTIVE_PREFIX}-next-line ${f.ruleId}${da.analysis.style.eol}` }];
}

/** `# kube-graceful-disable <rule>` after the file's leading comment header, or `, <rule>` on an existing file directive. */
export function disableFileEdits(da: DocumentAnalysis, ruleId: string): TextEdit[] | undefined {
  const existing = da.analysis.directives.find((d) => d.kind === 'file' && d.rules.length > 0);
  if (existing) {
    if (existing.rules.includes(ruleId)) return undefined;
    return [{ start: existing.rulesEnd, end: existing.rulesEnd, newText: `, ${ruleId}` }];
  }
  const { lines } = da.analysis.prepared;
  const eol = da.analysis.style.eol;
  let line = 0;
  while (line < lines.lineCount) {
    const t = lines.lineText(line);
    if (!/^\s*#/.test(t) || t.includes(DIRECTIVE_PREFIX)) break;
    line++;
  }
  const comment = `# ${DIRECTIVE_PREFIX} ${ruleId}`;
  if (line >= lines.lineCount) {
    // Only comments (or nothing): append at the end.
    const end = da.text.length;
    const needsEol = end > 0 && !da.text.endsWith('\n');
    return [{ start: end, end, newText: `${needsEol ? eol : ''}${comment}${eol}` }];
  }
  const at = lines.lineStart(line);
  return [{ start: at, end: at, newText: `${comment}${eol}` }];
}

/** The ignore annotation on the finding's object. */
export function disableObjectEdits(da: DocumentAnalysis, f: Finding): TextEdit[] | undefined {
  const e = da.analysis.ignoreAnnotationFor(f, ANNOTATION_REASON);
  return e ? [e] : undefined;
}

/** True when the directive edits silence `target` and change nothing else that is reported (the core's check). */
export function verifySuppression(da: DocumentAnalysis, edits: readonly TextEdit[], target: Finding): boolean {
  return da.analysis.suppresses(edits, target);
}
