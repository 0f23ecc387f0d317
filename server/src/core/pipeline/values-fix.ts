/**
 * A Helm template's fix where values.yaml decides the value: the edits the check refused on the
 * template (a grace period or a sleep written from `.Values.x`) become the same numbers written
 * at the value's own line in values.yaml, and the template read again with the edited values
 * must lose the finding and gain none.
 */
import type { BuiltFix } from '../fixes/types';
import type { Finding, Fix, TextEdit } from '../types';
import type { ChartValues } from '../yaml/helm-values';
import { applyEdits } from '../yaml/text';
import type { FixSource } from './fixing';

const NUMBER = /^\d+$/;

/** The refused edits as edits of values.yaml, when each rewrites a number values.yaml wrote; else undefined. */
function valuesEdits(src: FixSource, refused: BuiltFix, values: ChartValues): TextEdit[] | undefined {
  const template = src.chunk.parsed?.template;
  const resolved = template?.resolved;
  // Edits of another document of the file are not the template's own values.
  if (!template || !resolved || refused.inDocument !== undefined) return undefined;
  const edits: TextEdit[] = [];
  for (const e of refused.edits) {
    const r = resolved.find((x) => x.valueSpan !== undefined && x.start <= e.start && e.end <= x.end);
    const span = r?.valueSpan;
    if (!span) return undefined;
    const written = values.text.slice(span.start, span.end);
    if (!NUMBER.test(e.newText) || !NUMBER.test(written) || template.masked.slice(e.start, e.end) !== written) return undefined;
    if (edits.some((x) => x.start === span.start)) continue;
    edits.push({ start: span.start, end: span.end, newText: e.newText });
  }
  return edits.length > 0 ? edits : undefined;
}

/**
 * The fix in values.yaml for `finding`, checked: `reanalyse` reads the file again with the
 * edited values and returns its findings.
 */
export function valuesFix(
  finding: Finding,
  src: FixSource,
  refused: BuiltFix,
  values: ChartValues,
  reanalyse: (text: string) => readonly Finding[],
): Fix | undefined {
  const edits = valuesEdits(src, refused, values);
  if (!edits) return undefined;
  const key = (f: Finding): string => `${f.ruleId}\u0000${f.subject}`;
  const before = new Set<string>();
  for (const f of reanalyse(values.text)) before.add(key(f));
  const after = reanalyse(applyEdits(values.text, edits)).map(key);
  if (after.includes(key(finding)) || after.some((k) => !before.has(k))) return undefined;
  return { title: `${refused.title} in values.yaml`, edits: [], files: [{ filePath: values.filePath, edits }] };
}
