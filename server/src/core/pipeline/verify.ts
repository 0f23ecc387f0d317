/**
 * The one check of every edit: fixes, fix-all, refactorings and suppressions all go through
 * `checkChunkEdits`. An edit set passes only when
 * - it is well-formed: inside the text, not overlapping, no comment or BOM replaced, the
 *   file's line endings kept;
 * - each document it touches still parses, into as many documents as before;
 * - the documents mean what they meant except at the paths the edit declares it changes
 *   (a structural comparison of the values, aliases resolved): an edit that reaches another
 *   object through an anchor, or cuts lines off a block scalar, changes a value it did not
 *   declare, and fails;
 * - no pod's grace period is lowered, no hook is added where hooks do not run (grace <= 0),
 *   and no native sleep is longer than its pod's grace period (the API server rejects it);
 * - the findings it targets are gone and no new finding appears (raw rule results, or the
 *   reported ones, suppression included, for suppressions). An edit of what sits in front of a
 *   pod (a load balancer's draining time in another document) changes the findings of pods
 *   elsewhere in the file: those are judged on the whole file analysed again (`FileJudge`).
 */
import { templateEditProblem } from '../model/templates';
import type { PodView } from '../model/workloads';
import type { TextEdit } from '../types';
import { EditableChunk, targetPath, type EditTarget } from '../yaml/targets';
import type { Style } from '../yaml/edit';
import type { ParsedChunk } from '../yaml/parse';
import { applyEdits } from '../yaml/text';
import { readChunk, type ChunkModel, type ParseCache } from './cache';
import type { PreparedChunkImpl } from './prepare';
import { findingKey, type RuleStage } from './rules';

export type CheckResult = { readonly ok: true; readonly after: ChunkModel } | { readonly ok: false; readonly reason: string };

/** Edits of one chunk, relative to it, with what they may change and which findings they remove. */
export interface ChunkEditRequest {
  readonly chunk: PreparedChunkImpl;
  readonly edits: readonly TextEdit[];
  readonly touches: readonly EditTarget[];
  /** Raw finding keys (rule + subject) that must be gone. */
  readonly gone: ReadonlySet<string>;
  /** Further findings that may appear (refactorings that mean to change what is reported). */
  readonly allowNew?: boolean;
}

/** Well-formed edits: inside the text, sorted apart, no comment or BOM replaced, line endings kept. */
export function editsWellFormed(text: string, edits: readonly TextEdit[], style: Style): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let last = -1;
  for (const e of sorted) {
    if (e.start < 0 || e.end > text.length || e.start > e.end) return 'edit outside the text';
    if (e.start < last) return 'overlapping edits';
    last = e.end;
    const replaced = text.slice(e.start, e.end);
    if (replaced.includes('#')) return 'the edit would replace a comment';
    if (replaced.includes('\uFEFF')) return 'the edit would remove the byte order mark';
    if (style.eol === '\r\n' ? /(^|[^\r])\n/.test(e.newText) : e.newText.includes('\r')) return 'the edit would mix line endings';
  }
  return undefined;
}

type Step = string | number;

function isPrefix(prefix: readonly Step[], path: readonly Step[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * True when `a` and `b` are equal except at the allowed paths (and where an allowed path runs
 * through a key that was absent or empty: that becomes an empty map to compare into).
 */
export function sameExcept(a: unknown, b: unknown, allowed: readonly (readonly Step[])[], path: Step[] = []): boolean {
  if (allowed.some((p) => p.length === path.length && isPrefix(p, path))) return true;
  const through = allowed.some((p) => isPrefix(path, p));
  if (through) {
    if (a === null || a === undefined) a = {};
    if (b === null || b === undefined) b = {};
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameExcept(x, b[i], allowed, [...path, i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!sameExcept(a[k], b[k], allowed, [...path, k])) return false;
    return true;
  }
  return Object.is(a, b) || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());
}

/** Pod-level sanity after an edit, for the pods it touched: what the API server or the kubelet would make of it. */
function podProblem(before: PodView | undefined, after: PodView): string | undefined {
  if (before && before.grace.raw !== undefined && before.grace.raw > 0 && after.grace.seconds < before.grace.seconds) return 'the edit would lower the grace period';
  const hooksRun = after.grace.raw === undefined || after.grace.raw > 0;
  const all = [...after.containers, ...after.sidecars];
  for (const c of all) {
    const had = before ? [...before.containers, ...before.sidecars].find((x) => x.subject === c.subject)?.preStop : undefined;
    if (c.preStop && !had && !hooksRun) return 'hooks do not run at a grace period of 0 or less';
    const s = c.preStop?.sleepSeconds;
    if (c.preStop?.form === 'sleep' && s !== undefined && s > after.grace.seconds && (had?.sleepSeconds ?? -1) !== s) return 'the API server rejects a sleep longer than the grace period';
  }
  return undefined;
}

/** The findings of the whole file, now and after edits (file offsets): finding keys, or undefined when the edited file does not read. */
export interface FileJudge {
  readonly before: ReadonlySet<string>;
  after(edits: readonly TextEdit[]): ReadonlySet<string> | undefined;
}

/**
 * The findings part of the check for an edit whose effect reaches beyond its document: on the
 * whole file again, the targeted findings gone and none new. Undefined when it holds.
 */
export function checkFileFindings(judge: FileJudge, edits: readonly TextEdit[], gone: ReadonlySet<string>): { ok: false; reason: string } | undefined {
  const after = judge.after(edits);
  if (!after) return { ok: false, reason: 'the edited file would not parse' };
  for (const k of gone) if (after.has(k)) return { ok: false, reason: 'the finding would remain' };
  for (const k of after) if (!judge.before.has(k)) return { ok: false, reason: 'the edit would cause a new finding' };
  return undefined;
}

/** A chunk's values before any edit: the same for every fix checked on it, so read once (parses are never changed). */
const valuesBefore = new WeakMap<object, unknown[]>();

function beforeValues(docs: ParsedChunk['docs'], text: string, style: Style): unknown[] {
  let v = valuesBefore.get(docs);
  if (!v) {
    v = new EditableChunk(docs, text, style).values();
    valuesBefore.set(docs, v);
  }
  return v;
}

/** The chunk's finding keys before the edit: from the rule results its analysis already has (the same rules on the same pods). */
function beforeKeys(stage: RuleStage, chunk: PreparedChunkImpl, model: ChunkModel): ReadonlySet<string> {
  if (!chunk.entry) return stage.findingKeys(model.pods);
  return new Set(stage.results(chunk.entry, model).findings.map(findingKey));
}

/** Checks edits of one chunk; see the module comment. */
export function checkChunkEdits(stage: RuleStage, cache: ParseCache, style: Style, req: ChunkEditRequest): CheckResult {
  const { chunk } = req;
  const text = chunk.chunk.text;
  const before = chunk.model;
  const parsedBefore = chunk.parsed;
  if (!before || !parsedBefore) return { ok: false, reason: 'the document was not analysed' };
  const bad = editsWellFormed(text, req.edits, style) ?? (parsedBefore.template && templateEditProblem(parsedBefore.template, req.edits));
  if (bad) return { ok: false, reason: bad };
  const next = applyEdits(text, req.edits);
  const parsed = cache.parse(next);
  if (parsed.error || parsed.tooDeep) return { ok: false, reason: 'the edited document would not parse' };
  if (parsed.docs.length !== parsedBefore.docs.length) return { ok: false, reason: 'the edit would change the number of documents' };
  const oldValues = beforeValues(parsedBefore.docs, text, style);
  const newValues = new EditableChunk(parsed.docs, next, style).values();
  for (let i = 0; i < oldValues.length; i++) {
    const allowed = req.touches.map(targetPath).filter((t) => t.doc === i).map((t) => t.path);
    if (!sameExcept(oldValues[i], newValues[i], allowed)) return { ok: false, reason: 'the edit would change more than the fields it is for (a value shared through an alias, or another field)' };
  }
  const after = readChunk(parsed, 0, before.docIndex);
  const touchedPods = new Set(req.touches.map((t) => JSON.stringify(targetPath(t))));
  for (const pod of after.pods) {
    const pod0 = before.pods.find((p) => p.subject === pod.subject);
    const spec = JSON.stringify(targetPath(pod.specTarget)).slice(0, -1);
    if (![...touchedPods].some((t) => t.startsWith(spec))) continue;
    const problem = podProblem(pod0, pod);
    if (problem) return { ok: false, reason: problem };
  }
  const keysBefore = beforeKeys(stage, chunk, before);
  const keysAfter = stage.findingKeys(after.pods);
  for (const k of req.gone) if (keysAfter.has(k)) return { ok: false, reason: 'the finding would remain' };
  if (!req.allowNew) for (const k of keysAfter) if (!keysBefore.has(k)) return { ok: false, reason: 'the edit would cause a new finding' };
  return { ok: true, after };
}
