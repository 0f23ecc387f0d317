/**
 * Findings and notices as LSP diagnostics. Rule findings carry source "kube-graceful", the
 * rule id as code and its documentation as codeDescription; YAML syntax errors come without
 * a code. Skipped input (templates, files too large) is not reported: templates are skipped
 * quietly, as the CLI does.
 */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docsUrl, type ConfigProblem, type Finding, type Notice, type Severity, type Span } from '../../core';
import type { Logger } from '../util/guard';
import type { DocumentAnalysis, PositionMap } from './analyzer';
import type { Position } from './workspaceIndex';

export const SOURCE = 'kube-graceful';

/** What a diagnostic carries back to code actions, to find its finding again. */
export interface DiagnosticData {
  readonly subject: string;
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
  }
}

export function spanToRange(doc: PositionMap, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** Where related locations in other files are: their URI and a position lookup for their indexed text. */
export type OtherFilePosition = (uri: string, offset: number) => Position | undefined;

export function findingToDiagnostic(da: DocumentAnalysis, f: Finding, other: OtherFilePosition): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of f.related) {
    if (r.filePath === undefined) {
      related.push({ message: r.message, location: { uri: da.uri, range: spanToRange(da.doc, r.span) } });
      continue;
    }
    const values = da.chartValues?.uri === r.filePath ? da.chartValues.lines : undefined;
    const at = (offset: number): Position | undefined => (values ? values.position(offset) : other(r.filePath ?? '', offset));
    const start = at(r.span.start);
    const end = at(r.span.end);
    if (start && end) related.push({ message: r.message, location: { uri: r.filePath, range: { start, end } } });
  }
  const data: DiagnosticData = { subject: f.subject };
  const d: Diagnostic = {
    range: spanToRange(da.doc, f.span),
    severity: toSeverity(f.severity),
    source: SOURCE,
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    message: f.message,
    data,
  };
  if (related.length > 0) d.relatedInformation = related;
  return d;
}

function noticeToDiagnostic(da: DocumentAnalysis, n: Notice, log: Logger): Diagnostic | undefined {
  switch (n.kind) {
    case 'syntax-error':
    case 'too-deep':
      return { range: spanToRange(da.doc, n.span), severity: toSeverity(n.severity), source: SOURCE, message: n.message };
    case 'internal-error':
      log.error(`kube-graceful: ${da.uri}: ${n.message}`);
      return undefined;
    case 'template':
    case 'too-large':
    case 'config':
    case 'kustomize':
      return undefined;
  }
}

/** Garbage input can have a syntax error in every YAML document; the first ones say enough. */
export const MAX_NOTICE_DIAGNOSTICS = 100;

export function analysisDiagnostics(da: DocumentAnalysis, other: OtherFilePosition, log: Logger): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const n of da.analysis.notices) {
    const d = noticeToDiagnostic(da, n, log);
    if (d) out.push(d);
    if (out.length >= MAX_NOTICE_DIAGNOSTICS) break;
  }
  for (const f of da.analysis.findings) out.push(findingToDiagnostic(da, f, other));
  return out;
}

/** Problems of an open `.kube-graceful.yaml`, on the file itself. */
export function configDiagnostics(doc: TextDocument, problems: readonly ConfigProblem[]): Diagnostic[] {
  return problems.map((p) => ({
    range: spanToRange(doc, p.span),
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: p.message,
  }));
}

export function rangesEqual(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
