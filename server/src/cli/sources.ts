/**
 * Rendered charts mapped back: `helm template … | kube-graceful -` output carries a
 * `# Source: <chart>/templates/<file>` comment before each document. A finding in such a
 * document is reported against that template file, at the line where the template's own
 * analysis finds it (the same rule on the same container), when the file can be read from the
 * working directory (as `<chart>/templates/<file>`, or `templates/<file>` inside the chart);
 * otherwise it stays on the rendered line and names its template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, type Finding, type Settings } from '../core';
import type { FileReport } from './formats';

const SOURCE_RE = /^# Source: (\S+)[ \t]*$/gm;

/** The `# Source:` path of the document at `offset`, if the text has such comments. */
function sourceAt(sources: readonly { at: number; file: string }[], offset: number): string | undefined {
  let found: string | undefined;
  for (const s of sources) {
    if (s.at > offset) break;
    found = s.file;
  }
  return found;
}

function readTemplate(cwd: string, source: string): { file: string; text: string } | undefined {
  const parts = source.split('/');
  for (const rel of [source, parts.slice(1).join('/')]) {
    if (rel === '') continue;
    const file = path.join(cwd, rel);
    try {
      return { file, text: fs.readFileSync(file, 'utf8') };
    } catch {
      // Try the next place.
    }
  }
  return undefined;
}

/** The container (or pod) part of a subject: what stays the same between the rendered object and its template. */
function tail(subject: string): string {
  const m = /\/(containers|initContainers)\/[^/]*$/.exec(subject);
  return m ? m[0] : '';
}

/** Splits the rendered report: findings of templates that can be read move to their template files. */
export function mapRenderedSources(report: FileReport, settings: Settings, cwd: string): FileReport[] {
  const sources = [...report.text.matchAll(SOURCE_RE)].map((m) => ({ at: m.index, file: m[1] ?? '' }));
  if (sources.length === 0) return [report];
  const kept: Finding[] = [];
  const moved = new Map<string, { file: string; text: string; findings: Finding[] }>();
  const templates = new Map<string, { file: string; text: string; findings: readonly Finding[] } | null>();
  for (const f of report.findings) {
    const source = sourceAt(sources, f.span.start);
    if (source === undefined) {
      kept.push(f);
      continue;
    }
    let t = templates.get(source);
    if (t === undefined) {
      const read = readTemplate(cwd, source);
      t = read ? { ...read, findings: analyzeText(read.text, { settings }).findings } : null;
      templates.set(source, t);
    }
    const candidates = t ? t.findings.filter((x) => x.ruleId === f.ruleId && (tail(f.subject) === '' || tail(x.subject).split('/')[1] === tail(f.subject).split('/')[1])) : [];
    const match = candidates.find((x) => tail(x.subject) === tail(f.subject)) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!t || !match) {
      kept.push({ ...f, message: `${f.message} (rendered from ${source})` });
      continue;
    }
    const entry = moved.get(t.file) ?? { file: t.file, text: t.text, findings: [] };
    entry.findings.push({ ...f, span: match.span, related: match.related, objectSpan: match.objectSpan });
    moved.set(t.file, entry);
  }
  const out: FileReport[] = [{ ...report, findings: kept, fixable: new Set([...report.fixable].filter((f) => kept.includes(f))) }];
  for (const m of moved.values()) out.push({ filePath: m.file, text: m.text, findings: m.findings, notices: [], fixable: new Set() });
  return out;
}
