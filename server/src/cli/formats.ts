/** Output formats of the CLI: stylish (people), json (ESLint's shape), sarif (code scanning), github (Actions annotations). */
import * as path from 'node:path';
import { docsUrl, RULES, type Finding, type Notice, type Severity } from '../core';
import { LineIndex } from '../core';

export interface FileReport {
  readonly filePath: string;
  readonly text: string;
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
  /** Findings whose fix is available (counted as fixable). */
  readonly fixable: ReadonlySet<Finding>;
}

export interface Message {
  readonly ruleId: string | null;
  readonly severity: 0 | 1 | 2;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly fatal?: true;
}

function severityNumber(s: Severity): 0 | 1 | 2 {
  return s === 'error' ? 2 : s === 'warning' ? 1 : 0;
}

function positions(lines: LineIndex, span: { start: number; end: number }): { line: number; column: number; endLine: number; endColumn: number } {
  const a = lines.position(span.start);
  const b = lines.position(Math.max(span.start, span.end));
  return { line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

/** Messages of a file: findings, then syntax errors (fatal). Informational notices are not messages. */
export function messagesOf(r: FileReport): Message[] {
  const lines = new LineIndex(r.text);
  const out: Message[] = [];
  for (const n of r.notices) {
    if (n.kind === 'syntax-error' && n.severity === 'error') {
      out.push({ ruleId: null, severity: 2, message: n.message, ...positions(lines, n.span), fatal: true });
    }
  }
  for (const f of r.findings) out.push({ ruleId: f.ruleId, severity: severityNumber(f.severity), message: f.message, ...positions(lines, f.span) });
  out.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}

export interface Counts {
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

export function countsOf(r: FileReport, messages: readonly Message[]): Counts {
  const c: Counts = { errorCount: 0, warningCount: 0, infoCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  for (const m of messages) {
    if (m.severity === 2) c.errorCount++;
    else if (m.severity === 1) c.warningCount++;
    else c.infoCount++;
  }
  for (const f of r.fixable) {
    if (f.severity === 'error') c.fixableErrorCount++;
    else if (f.severity === 'warning') c.fixableWarningCount++;
  }
  return c;
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(
    reports.map((r) => {
      const messages = messagesOf(r);
      return { filePath: r.filePath, messages, ...countsOf(r, messages) };
    }),
  );
}

interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  underline(s: string): string;
}

function colors(on: boolean): Colors {
  const wrap = (a: number, b: number) => (s: string) => (on ? `\u001b[${a}m${s}\u001b[${b}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), dim: wrap(2, 22), bold: wrap(1, 22), underline: wrap(4, 24) };
}

export function formatStylish(reports: readonly FileReport[], color: boolean): string {
  const c = colors(color);
  let out = '';
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const r of reports) {
    const messages = messagesOf(r);
    const lines = new LineIndex(r.text);
    const notes = r.notices.filter((n) => !(n.kind === 'syntax-error' && n.severity === 'error'));
    if (messages.length === 0 && notes.length === 0) continue;
    const counts = countsOf(r, messages);
    errors += counts.errorCount;
    warnings += counts.warningCount;
    infos += counts.infoCount;
    fixableErrors += counts.fixableErrorCount;
    fixableWarnings += counts.fixableWarningCount;
    out += `\n${c.underline(r.filePath)}\n`;
    const rows: [string, string, string, string][] = [];
    for (const m of messages) {
      const sev = m.severity === 2 ? c.red('error') : m.severity === 1 ? c.yellow('warning') : c.blue('info');
      rows.push([`${m.line}:${m.column}`, sev, m.message, c.dim(m.ruleId ?? '')]);
    }
    for (const n of notes) {
      const p = lines.position(n.span.start);
      rows.push([`${p.line + 1}:${p.character + 1}`, c.dim('note'), n.message, '']);
    }
    const w0 = Math.max(...rows.map((r0) => r0[0].length));
    const w1 = Math.max(...rows.map((r0) => visibleLength(r0[1])));
    for (const [pos, sev, msg, rule] of rows) {
      out += `  ${c.dim(pos.padEnd(w0))}  ${sev}${' '.repeat(w1 - visibleLength(sev))}  ${msg}  ${rule}\n`;
    }
  }
  const total = errors + warnings + infos;
  if (total > 0) {
    const summary = `${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${infos > 0 ? `, ${infos} info` : ''})`;
    const mark = errors > 0 ? c.red(c.bold(`\u2716 ${summary}`)) : c.yellow(c.bold(`\u2716 ${summary}`));
    out += `\n${mark}\n`;
    if (fixableErrors + fixableWarnings > 0) {
      out += c.dim(`  ${fixableErrors} error${fixableErrors === 1 ? '' : 's'} and ${fixableWarnings} warning${fixableWarnings === 1 ? '' : 's'} can be fixed with the \`--fix\` option.`) + '\n';
    }
  }
  return out;
}

function visibleLength(s: string): number {
  return s.replace(/\u001b\[\d+m/g, '').length;
}

function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function toUri(filePath: string, cwd: string): string {
  if (filePath === '<stdin>') return 'stdin';
  const rel = path.relative(cwd, path.resolve(filePath));
  const p = rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(filePath) : rel;
  return p.split(path.sep).map(encodeURIComponent).join('/');
}

export function formatSarif(reports: readonly FileReport[], version: string, cwd: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const r of reports) {
    const lines = new LineIndex(r.text);
    const uri = toUri(r.filePath, cwd);
    const region = (span: { start: number; end: number }) => {
      const p = positions(lines, span);
      return { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn };
    };
    for (const f of r.findings) {
      results.push({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
        level: sarifLevel(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(f.span) } }],
        relatedLocations: f.related
          .filter((x) => x.filePath === undefined)
          .map((x, i) => ({ id: i, message: { text: x.message }, physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(x.span) } })),
      });
    }
    for (const n of r.notices) {
      notifications.push({
        level: n.severity === 'error' ? 'error' : 'note',
        message: { text: n.message },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(n.span) } }],
      });
    }
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-graceful',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/kube-graceful/kube-graceful',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id
                .split('-')
                .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: { text: `${r.description}\n\n${r.remediation}`, markdown: `${r.description}\n\n**Fix:** ${r.remediation}\n\n[Documentation](${docsUrl(r.id)})` },
              helpUri: docsUrl(r.id),
              defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
              properties: { tags: ['kubernetes', 'reliability'] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(cwd) } },
        results,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

function pathToFileUri(dir: string): string {
  const p = path.resolve(dir).split(path.sep).map(encodeURIComponent).join('/');
  return `file://${p.startsWith('/') ? '' : '/'}${p}/`;
}

/** GitHub Actions workflow commands escape these in the message part. */
function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** ... and these as well in property values (`file=…,title=…`). */
function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A path as GitHub matches annotations to files: relative to the workspace, with `/`. */
function githubPath(filePath: string, cwd: string): string {
  const abs = path.resolve(cwd, filePath);
  const rel = path.relative(cwd, abs);
  const p = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  return p.split(path.sep).join('/');
}

/**
 * GitHub Actions annotations: one workflow command per message,
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<rule>::message`; warnings become
 * `::warning`, informational findings `::notice`. Paths are relative to `cwd` (the workspace).
 */
export function formatGithub(reports: readonly FileReport[], cwd: string): string {
  let out = '';
  for (const r of reports) {
    for (const m of messagesOf(r)) {
      const command = m.severity === 2 ? 'error' : m.severity === 1 ? 'warning' : 'notice';
      const props: [string, string][] = [];
      if (r.filePath !== '<stdin>') props.push(['file', githubPath(r.filePath, cwd)]);
      props.push(['line', String(m.line)], ['col', String(m.column)], ['endLine', String(m.endLine)], ['endColumn', String(m.endColumn)]);
      props.push(['title', m.ruleId ?? 'YAML syntax error']);
      const message = m.ruleId !== null ? `${m.message}\n${docsUrl(m.ruleId)}` : m.message;
      out += `::${command} ${props.map(([k, v]) => `${k}=${escapeCommandProperty(v)}`).join(',')}::${escapeCommandData(message)}\n`;
    }
  }
  return out;
}
