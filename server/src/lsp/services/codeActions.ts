/**
 * Code actions for the findings in a range, in the order vscode-eslint offers them: the
 * verified fix of each finding (preferred), "fix all problems of this rule", then the
 * suppressions (line, object, file) and the rule's documentation. `source.fixAll.kube-graceful`
 * fixes the whole document (fix on save); `refactor.rewrite` offers the core's refactorings at
 * the cursor. Whole-file fixes are sent as a small diff.
 */
import { CodeActionKind, TextDocumentEdit, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { fixAll, refactoringsAt, RULES_BY_ID, type Finding, type Fix, type TextEdit } from '../../core';
import { diffEdits } from '../util/textDiff';
import type { DocumentAnalysis } from './analyzer';
import { findingToDiagnostic, rangesEqual, SOURCE, spanToRange, type DiagnosticData, type OtherFilePosition } from './diagnostics';
import { disableFileEdits, disableLineEdits, disableObjectEdits, verifySuppression } from './suppress';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kube-graceful`;
export const SHOW_DOCS_COMMAND = 'kube-graceful.showRuleDocumentation';

/** Carried by actions whose edit is computed on codeAction/resolve. */
export interface ActionData {
  readonly action: 'fixAllRule';
  readonly uri: string;
  readonly version: number;
  readonly ruleId: string;
}

export function isActionData(v: unknown): v is ActionData {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return o['action'] === 'fixAllRule' && typeof o['ruleId'] === 'string' && typeof o['uri'] === 'string' && typeof o['version'] === 'number';
}

export interface CodeActionRequest {
  /** Offsets of the requested range in the analysed text. */
  readonly start: number;
  readonly end: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly only: readonly string[] | undefined;
  /** The client resolves `edit` lazily (codeAction/resolve): expensive edits are left out. */
  readonly lazy: boolean;
  /** The client takes versioned `documentChanges`. */
  readonly documentChanges: boolean;
  readonly other: OtherFilePosition;
  readonly cancelled: () => boolean;
  /** The client shows disabled code actions with their reason. */
  readonly disabledSupport?: boolean;
  /** Where an internal error while building a fix is logged (it is never silently dropped). */
  readonly logError?: (message: string) => void;
}

function wanted(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return kind !== FIX_ALL_KIND && !kind.startsWith(`${CodeActionKind.Source}.`);
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function workspaceEdit(da: DocumentAnalysis, edits: readonly TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const lsp: LspTextEdit[] = edits.map((e) => ({ range: spanToRange(da.doc, e), newText: e.newText }));
  if (documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri: da.uri, version: da.version }, lsp)] };
  return { changes: { [da.uri]: lsp } };
}

/** A fix as a workspace edit, with its edits of the chart's values.yaml; undefined when another file's edit cannot be placed. */
export function fixEdit(da: DocumentAnalysis, fix: Fix, documentChanges: boolean): WorkspaceEdit | undefined {
  const own = workspaceEdit(da, fix.edits, documentChanges);
  if (!fix.files || fix.files.length === 0) return own;
  const changes: Record<string, LspTextEdit[]> = fix.edits.length > 0 ? { [da.uri]: fix.edits.map((e) => ({ range: spanToRange(da.doc, e), newText: e.newText })) } : {};
  const docs: TextDocumentEdit[] = own.documentChanges?.filter((d): d is TextDocumentEdit => 'textDocument' in d && fix.edits.length > 0) ?? [];
  for (const f of fix.files) {
    const lines = da.chartValues?.uri === f.filePath ? da.chartValues.lines : undefined;
    if (!lines) return undefined;
    const lsp = f.edits.map((e) => ({ range: { start: lines.position(e.start), end: lines.position(e.end) }, newText: e.newText }));
    changes[f.filePath] = lsp;
    docs.push(TextDocumentEdit.create({ uri: f.filePath, version: null }, lsp));
  }
  return documentChanges ? { documentChanges: docs } : { changes };
}

/** The whole-file fix (all rules, or one) as a workspace edit; undefined when nothing changes. */
export function fixAllEdit(da: DocumentAnalysis, ruleId: string | undefined, documentChanges: boolean): WorkspaceEdit | undefined {
  const keeps = da.keeps ?? (() => true);
  const include = (id: string, f: Finding): boolean => (ruleId === undefined || id === ruleId) && keeps(f);
  const result = fixAll(da.text, { settings: da.effective.settings, services: da.services, excludeFile: da.excludeFile, cache: da.cache }, include);
  if (result.applied === 0 || result.output === da.text) return undefined;
  return workspaceEdit(da, diffEdits(da.text, result.output), documentChanges);
}

/** The findings the request is about: those behind the client's diagnostics, else those in the range. */
function findingsFor(da: DocumentAnalysis, req: CodeActionRequest): { finding: Finding; diagnostic: Diagnostic }[] {
  const out: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const seen = new Set<Finding>();
  const ours = req.diagnostics.filter((d) => d.source === SOURCE && typeof d.code === 'string');
  for (const d of ours) {
    const candidates = da.analysis.findings.filter((f) => f.ruleId === d.code && !seen.has(f));
    const subject = (d.data as Partial<DiagnosticData> | undefined)?.subject;
    const f =
      candidates.find((c) => rangesEqual(spanToRange(da.doc, c.span), d.range) && (subject === undefined || c.subject === subject)) ??
      candidates.find((c) => subject !== undefined && c.subject === subject);
    if (!f) continue;
    seen.add(f);
    out.push({ finding: f, diagnostic: d });
  }
  if (ours.length === 0) {
    for (const f of da.analysis.findings) {
      if (f.span.start <= req.end && req.start <= f.span.end) out.push({ finding: f, diagnostic: findingToDiagnostic(da, f, req.other) });
    }
  }
  return out;
}

export function codeActions(da: DocumentAnalysis, req: CodeActionRequest): CodeAction[] {
  const fixes: CodeAction[] = [];
  const fixAllRule: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const quickfix = wanted(CodeActionKind.QuickFix, req.only);
  const rulesDone = new Set<string>();
  if (quickfix) {
    for (const { finding: f, diagnostic } of findingsFor(da, req)) {
      if (req.cancelled()) return [];
      const fix = da.analysis.fixFor(f);
      const problem = fix ? undefined : da.analysis.fixProblem(f);
      if (problem?.startsWith('internal error')) req.logError?.(`kube-graceful: no fix for ${f.ruleId} on ${f.subject}: ${problem}`);
      const edit = fix ? fixEdit(da, fix, req.documentChanges) : undefined;
      if (fix && edit) {
        fixes.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: true,
          diagnostics: [diagnostic],
          edit,
        });
      } else if (problem !== undefined && req.disabledSupport === true && da.analysis.hasFix(f)) {
        // The rule has a fix, but not here: say why, as a disabled action (the editor shows the reason).
        fixes.push({ title: `Fix ${f.ruleId}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], disabled: { reason: `Not offered: ${problem}.` } });
      }
      const line = disableLineEdits(da, f);
      if (line && verifySuppression(da, line, f)) {
        disables.push({ title: `Disable ${f.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(da, line, req.documentChanges) });
      }
      const object = disableObjectEdits(da, f);
      if (object) {
        disables.push({ title: `Disable ${f.ruleId} for this object`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(da, object, req.documentChanges) });
      }
      if (rulesDone.has(f.ruleId)) continue;
      rulesDone.add(f.ruleId);
      const fixable = da.analysis.findings.filter((g) => g.ruleId === f.ruleId && da.analysis.hasFix(g));
      if (fixable.length > 1) {
        const title = `Fix all ${f.ruleId} problems in this file`;
        if (req.lazy) {
          const data: ActionData = { action: 'fixAllRule', uri: da.uri, version: da.version, ruleId: f.ruleId };
          fixAllRule.push({ title, kind: CodeActionKind.QuickFix, data });
        } else {
          const edit = fixAllEdit(da, f.ruleId, req.documentChanges);
          if (edit) fixAllRule.push({ title, kind: CodeActionKind.QuickFix, edit });
        }
      }
      const file = disableFileEdits(da, f.ruleId);
      if (file && verifySuppression(da, file, f)) {
        disables.push({ title: `Disable ${f.ruleId} for the entire file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(da, file, req.documentChanges) });
      }
      if (RULES_BY_ID.has(f.ruleId)) {
        docs.push({
          title: `Show documentation for ${f.ruleId}`,
          kind: CodeActionKind.QuickFix,
          command: { title: `Show documentation for ${f.ruleId}`, command: SHOW_DOCS_COMMAND, arguments: [f.ruleId] },
        });
      }
    }
  }
  const out = [...fixes, ...fixAllRule, ...disables, ...docs];
  if (wanted(CodeActionKind.RefactorRewrite, req.only) && !req.cancelled()) {
    // Rewrites at the cursor (hook form conversions, graceful shutdown set-up); each verified by the core.
    for (const r of refactoringsAt(da.analysis, req.start, da.effective.settings)) {
      out.push({ title: r.title, kind: r.kind, edit: workspaceEdit(da, r.edits, req.documentChanges) });
    }
  }
  if (wanted(FIX_ALL_KIND, req.only) && da.analysis.findings.some((f) => da.analysis.hasFix(f))) {
    // Only sent when asked for by kind (Source Action menu, codeActionsOnSave): computed at once,
    // since fix-on-save has no time for a second round trip.
    const edit = fixAllEdit(da, undefined, req.documentChanges);
    if (edit) out.push({ title: 'Fix all auto-fixable kube-graceful problems', kind: FIX_ALL_KIND, edit });
  }
  return out;
}
