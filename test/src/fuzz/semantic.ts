/**
 * The properties a fix must keep on valid input, checked by meaning rather than by findings
 * alone. For every fix of every finding (`fixFor`), for `fixAll`, and (for the meaning and text
 * properties) for the refactorings offered at each workload and hook:
 *  - the output parses, with as many documents as before;
 *  - the documents, as JS values with aliases and merges resolved, equal the originals except
 *    at the intended paths of the intended objects: a container's `lifecycle.preStop`, the
 *    pod's `terminationGracePeriodSeconds` (never lowered), `exec ` put in front of a shell
 *    script; no other object, block scalar or string changes;
 *  - the targeted finding is gone and no new finding appears; a second fix-all changes nothing;
 *  - the API server would still accept every object it accepted before: each `sleep.seconds`
 *    an integer no longer than the pod's grace period, the native sleep action only from
 *    Kubernetes 1.30, no hook added to a pod whose grace period is zero or less;
 *  - a `kube-graceful-disable-next-line` directive stays right above the line it was written
 *    for; comments, line endings, the BOM kept; a document that was JSON stays JSON.
 */
import { isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
import { analyzeText, applyEdits, fixAll, ParseCache, refactoringsAt, type Analysis, type Finding, type Settings, versionAtLeast } from '../../../server/out/core';
import { commentsOf } from './properties';
import { formatPath, sameValue, startsWith, structuralDiff, valueAt, type ValuePath } from './structural';

export type SemanticProperty =
  | 'throws'
  | 'input-invalid'
  | 'breaks-yaml'
  | 'document-count'
  | 'changes-other-paths'
  | 'changes-other-object'
  | 'lowers-grace'
  | 'keeps-finding'
  | 'adds-finding'
  | 'not-idempotent'
  | 'sleep-exceeds-grace'
  | 'native-sleep-unsupported'
  | 'hook-at-zero-grace'
  | 'directive-moved'
  | 'drops-comment'
  | 'line-endings'
  | 'bom'
  | 'json-lost'
  | 'fix-all-not-fixed';

export interface SemanticProblem {
  readonly property: SemanticProperty;
  /** Which fix: `fixFor(rule on subject)` or `fixAll`. */
  readonly fix: string;
  readonly detail: string;
}

interface ObjectRef {
  /** `3` for document 3, `3.1` for item 1 of the List in document 3. */
  readonly id: string;
  readonly docIndex: number;
  /** Path of the object inside its document's JS value. */
  readonly path: ValuePath;
  /** Path of the pod spec inside the object, when it has one. */
  readonly specPath: ValuePath | undefined;
  readonly range: readonly [number, number];
}

interface Parsed {
  readonly docs: Document.Parsed[];
  readonly values: unknown[];
  readonly errors: number;
}

function parse(text: string): Parsed {
  const docs = parseAllDocuments(text, { prettyErrors: false, merge: true });
  if (!Array.isArray(docs)) return { docs: [], values: [], errors: 1 };
  let errors = 0;
  const values: unknown[] = [];
  for (const d of docs) {
    errors += d.errors.length;
    try {
      values.push(d.toJS({ maxAliasCount: 10_000 }));
    } catch {
      errors++;
      values.push(undefined);
    }
  }
  return { docs, values, errors };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Where a workload kind keeps its pod spec. */
export function podSpecPath(o: unknown): ValuePath | undefined {
  if (!isObj(o) || typeof o.kind !== 'string') return undefined;
  if (o.kind === 'Pod') return ['spec'];
  if (o.kind === 'PodTemplate') return ['template', 'spec'];
  if (o.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (TEMPLATE_KINDS.has(o.kind)) return ['spec', 'template', 'spec'];
  return undefined;
}

function objectsOf(p: Parsed): ObjectRef[] {
  const out: ObjectRef[] = [];
  p.docs.forEach((doc, d) => {
    const v = p.values[d];
    const r = doc.contents?.range;
    const range: [number, number] = r ? [r[0], r[2]] : [0, 0];
    if (isObj(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      const seqNode = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      v.items.forEach((item, i) => {
        const node = isSeq(seqNode) ? seqNode.items[i] : undefined;
        const nr = (node as { range?: [number, number, number] } | undefined)?.range;
        out.push({ id: `${d}.${i}`, docIndex: d, path: ['items', i], specPath: podSpecPath(item), range: nr ? [nr[0], nr[2]] : range });
      });
      return;
    }
    out.push({ id: String(d), docIndex: d, path: [], specPath: podSpecPath(v), range });
  });
  return out;
}

function objectAt(objects: readonly ObjectRef[], offset: number): ObjectRef | undefined {
  let best: ObjectRef | undefined;
  for (const o of objects) if (o.range[0] <= offset && offset < o.range[1] && (!best || o.range[0] >= best.range[0])) best = o;
  return best;
}

function key(f: Pick<Finding, 'ruleId' | 'subject'>): string {
  return `${f.ruleId} ${f.subject}`;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers']);

/** True when `after` is `before` with `exec ` put in front of one command of the script. */
function execInserted(before: unknown, after: unknown): boolean {
  if (typeof before !== 'string' || typeof after !== 'string' || after.length !== before.length + 5) return false;
  for (let i = 0; i <= before.length; i++) if (after.startsWith('exec ', i) && after.slice(0, i) + after.slice(i + 5) === before) return true;
  return false;
}

/**
 * Why a difference inside an intended object's pod spec is not an intended one; undefined when
 * it is. `rel` is relative to the pod spec.
 */
function unintended(
  rel: ValuePath,
  before: unknown,
  after: unknown,
  specBefore: unknown,
  specAfter: unknown,
  container: { readonly list: string; readonly name: string } | undefined,
): { property: SemanticProperty; why: string } | undefined {
  if (rel.length === 1 && rel[0] === 'terminationGracePeriodSeconds') {
    if (typeof after !== 'number' || !Number.isInteger(after)) return { property: 'changes-other-paths', why: `grace set to ${JSON.stringify(after)}` };
    const old = typeof before === 'number' ? before : 30;
    if (after < old) return { property: 'lowers-grace', why: `grace ${old} → ${after}` };
    return undefined;
  }
  const [list, index, field, sub] = rel;
  if (typeof list !== 'string' || !CONTAINER_LISTS.has(list) || typeof index !== 'number') return { property: 'changes-other-paths', why: 'outside the containers and the grace period' };
  if (container) {
    const nameOf = (spec: unknown): unknown => valueAt(spec, [list, index, 'name']) ?? `#${index}`;
    if (list !== container.list || (nameOf(specBefore) !== container.name && nameOf(specAfter) !== container.name)) return { property: 'changes-other-paths', why: `another container than ${container.list}/${container.name}` };
  }
  if (field === 'lifecycle') {
    if (sub === 'preStop') return undefined;
    if (rel.length === 3) {
      // lifecycle added, or replaced from null / {}: nothing but preStop may be in it.
      const was = before ?? {};
      if (!isObj(was) || Object.keys(was).length > 0 || !isObj(after)) return { property: 'changes-other-paths', why: 'lifecycle replaced' };
      if (Object.keys(after).some((k) => k !== 'preStop')) return { property: 'changes-other-paths', why: 'lifecycle gets more than preStop' };
      return undefined;
    }
    return { property: 'changes-other-paths', why: 'lifecycle changed besides preStop' };
  }
  if (field === undefined && before === undefined) return { property: 'changes-other-paths', why: 'container added' };
  if ((field === 'command' || field === 'args') && typeof sub === 'number' && rel.length === 4 && execInserted(before, after)) return undefined;
  return { property: 'changes-other-paths', why: 'container changed outside its preStop hook' };
}

interface Hook {
  readonly path: string;
  readonly native: number | undefined;
  readonly present: boolean;
  readonly value: unknown;
}

function hooksOf(spec: unknown): Map<string, Hook> {
  const out = new Map<string, Hook>();
  if (!isObj(spec)) return out;
  for (const list of CONTAINER_LISTS) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    cs.forEach((c: unknown, i) => {
      const name = isObj(c) && typeof c.name === 'string' ? c.name : `#${i}`;
      const pre = valueAt(c, ['lifecycle', 'preStop']);
      const secs = valueAt(pre, ['sleep', 'seconds']);
      out.set(`${list}/${name}`, { path: `${list}[${i}]`, native: valueAt(pre, ['sleep']) === undefined ? undefined : typeof secs === 'number' ? secs : Number.NaN, present: isObj(pre), value: pre });
    });
  }
  return out;
}

/** Seconds a sleep hook waits (native `sleep.seconds`, or the `sleep N` of an exec); 0 for others. */
function sleepLength(pre: unknown): number {
  const secs = valueAt(pre, ['sleep', 'seconds']);
  if (typeof secs === 'number') return secs;
  const cmd = valueAt(pre, ['exec', 'command']);
  if (!Array.isArray(cmd)) return 0;
  const m = /(?:^|\s)sleep\s+(\d+)/.exec(cmd.filter((x) => typeof x === 'string').join(' '));
  return m ? Number(m[1]) : 0;
}

function graceOf(spec: unknown): number {
  const g = isObj(spec) ? spec.terminationGracePeriodSeconds : undefined;
  return typeof g === 'number' ? g : 30;
}

/** Problems the API server would report for the pod spec (only those the fixes could cause). */
function apiProblems(spec: unknown, settings: Settings): { property: SemanticProperty; why: string }[] {
  const out: { property: SemanticProperty; why: string }[] = [];
  const grace = graceOf(spec);
  for (const [name, h] of hooksOf(spec)) {
    if (h.native === undefined) continue;
    if (!Number.isInteger(h.native) || h.native > grace || h.native < 0) out.push({ property: 'sleep-exceeds-grace', why: `${name}: sleep ${h.native} with grace ${grace}` });
    if (!versionAtLeast(settings.kubernetesVersion, 1, 30)) out.push({ property: 'native-sleep-unsupported', why: `${name}: native sleep on ${settings.kubernetesVersion}` });
  }
  return out;
}

/** Each directive line and the line after it (what it was written for). */
function directiveTargets(text: string): { directive: string; target: string }[] {
  const lines = text.split(/\r?\n/);
  const out: { directive: string; target: string }[] = [];
  lines.forEach((l, i) => {
    if (/^\s*#\s*kube-graceful-disable-next-line\b/.test(l)) out.push({ directive: l.trim(), target: (lines[i + 1] ?? '').trim() });
  });
  return out;
}

/** The target line's identity: up to the first `:` (a value may be edited, the key stays). */
function lineKey(line: string): string {
  const i = line.indexOf(':');
  return i === -1 ? line : line.slice(0, i);
}

function chunksOf(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/^---[ \t]*\r?$/m);
}

function isJson(chunk: string): boolean {
  if (chunk.trim() === '') return false;
  try {
    JSON.parse(chunk);
    return true;
  } catch {
    return false;
  }
}

export interface SemanticOptions {
  readonly settings: Settings;
  /** At most this many findings get their fix checked one by one. */
  readonly maxFixChecks?: number;
  /** Skip the one-by-one fixes (fix-all only). */
  readonly fixAllOnly?: boolean;
}

export interface SemanticResult {
  readonly problems: SemanticProblem[];
  readonly findings: number;
  readonly fixesChecked: number;
  readonly fixAllApplied: number;
}

/** Checks one edited text against the original. */
function compare(
  label: string,
  text: string,
  out: string,
  before: Parsed,
  beforeObjects: readonly ObjectRef[],
  intended: ReadonlySet<string>,
  settings: Settings,
  problems: SemanticProblem[],
  container?: { readonly list: string; readonly name: string },
): Parsed | undefined {
  const add = (property: SemanticProperty, detail: string): void => {
    if (!problems.some((p) => p.property === property && p.fix === label)) problems.push({ property, fix: label, detail });
  };
  const after = parse(out);
  if (after.errors > 0) {
    add('breaks-yaml', `${after.errors} parse error(s)`);
    return undefined;
  }
  if (after.docs.length !== before.docs.length) add('document-count', `${before.docs.length} → ${after.docs.length}`);
  // Meaning: differences only at intended paths of intended objects.
  for (let d = 0; d < Math.min(before.values.length, after.values.length); d++) {
    for (const diff of structuralDiff(before.values[d], after.values[d])) {
      const obj = beforeObjects.filter((o) => o.docIndex === d && startsWith(diff.path, o.path)).sort((a, b) => b.path.length - a.path.length)[0];
      const where = `document ${d} ${formatPath(diff.path)}`;
      if (!obj || !intended.has(obj.id)) {
        add('changes-other-object', `${where}: ${JSON.stringify(diff.before)} → ${JSON.stringify(diff.after)}`);
        continue;
      }
      const objBefore = valueAt(before.values[d], obj.path);
      const objAfter = valueAt(after.values[d], obj.path);
      const spec = obj.specPath ? [...obj.path, ...obj.specPath] : undefined;
      if (!spec || !startsWith(diff.path, spec)) {
        add('changes-other-paths', `${where}: ${JSON.stringify(diff.before)} → ${JSON.stringify(diff.after)}`);
        continue;
      }
      const why = unintended(diff.path.slice(spec.length), diff.before, diff.after, valueAt(objBefore, obj.specPath ?? []), valueAt(objAfter, obj.specPath ?? []), container);
      if (why) add(why.property, `${where}: ${why.why}`);
    }
  }
  // API validity, hooks at grace <= 0.
  for (const o of beforeObjects) {
    if (!o.specPath) continue;
    const sb = valueAt(before.values[o.docIndex], [...o.path, ...o.specPath]);
    const sa = valueAt(after.values[o.docIndex], [...o.path, ...o.specPath]);
    if (sameValue(sb, sa)) continue;
    const was = new Set(apiProblems(sb, settings).map((p) => p.why));
    for (const p of apiProblems(sa, settings)) if (!was.has(p.why)) add(p.property, `object ${o.id}: ${p.why}`);
    if (graceOf(sa) <= 0) {
      const hb = hooksOf(sb);
      for (const [name, h] of hooksOf(sa)) {
        if (h.present && !hb.get(name)?.present) add('hook-at-zero-grace', `object ${o.id}: ${name} gets a hook with grace ${graceOf(sa)}`);
        else if (h.present && sleepLength(h.value) > sleepLength(hb.get(name)?.value)) add('hook-at-zero-grace', `object ${o.id}: ${name}'s sleep lengthened with grace ${graceOf(sa)} (it will not run)`);
      }
    }
  }
  // Text: directives, comments, line endings, BOM, JSON.
  const targets = directiveTargets(out);
  for (const t of directiveTargets(text)) {
    const now = targets.find((x) => x.directive === t.directive);
    if (now && lineKey(now.target) !== lineKey(t.target)) add('directive-moved', `${t.directive} now above ${JSON.stringify(now.target)}, was above ${JSON.stringify(t.target)}`);
  }
  const cAfter = commentsOf(out);
  for (const [c, n] of commentsOf(text)) if ((cAfter.get(c) ?? 0) < n) add('drops-comment', JSON.stringify(c));
  const crlf = /\r\n/.test(text);
  if (crlf ? /(^|[^\r])\n/.test(out) : out.includes('\r')) add('line-endings', crlf ? 'a bare \\n in a CRLF file' : 'a \\r in an LF file');
  if (text.startsWith('\uFEFF') !== out.startsWith('\uFEFF')) add('bom', 'BOM added or lost');
  const jb = chunksOf(text);
  const ja = chunksOf(out);
  jb.forEach((c, i) => {
    const a = ja[i];
    if (isJson(c) && a !== undefined && !isJson(a)) add('json-lost', `document chunk ${i} is no longer JSON: ${JSON.stringify(a.slice(0, 300))}`);
  });
  return after;
}

/**
 * Checks one edited text `out` against `text` (no analysis): meaning, API validity and text
 * properties. `intendedAt` are offsets inside the objects the edit was meant for; `container`,
 * when given, is the one container whose hook or script may change.
 */
export function checkOutput(
  text: string,
  out: string,
  intendedAt: readonly number[],
  settings: Settings,
  container?: { readonly list: string; readonly name: string },
): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const before = parse(text);
  if (before.errors > 0) return [{ property: 'input-invalid', fix: '-', detail: 'the input does not parse' }];
  const objects = objectsOf(before);
  const intended = new Set<string>();
  for (const at of intendedAt) {
    const o = objectAt(objects, at);
    if (o) intended.add(o.id);
  }
  compare('edit', text, out, before, objects, intended, settings, problems, container);
  return problems;
}

export function checkSemantics(text: string, opts: SemanticOptions): SemanticResult {
  const problems: SemanticProblem[] = [];
  const { settings } = opts;
  const before = parse(text);
  if (before.errors > 0) return { problems: [{ property: 'input-invalid', fix: '-', detail: 'the generated input does not parse' }], findings: 0, fixesChecked: 0, fixAllApplied: 0 };
  const objects = objectsOf(before);
  // One cache for every analysis of the case: documents a fix leaves alone are parsed once.
  const cache = new ParseCache();
  let a: Analysis;
  try {
    a = analyzeText(text, { settings, cache });
  } catch (e) {
    return { problems: [{ property: 'throws', fix: 'analyzeText', detail: String(e) }], findings: 0, fixesChecked: 0, fixAllApplied: 0 };
  }
  const analysis = a;
  const beforeKeys = new Set(a.findings.map(key));
  let fixesChecked = 0;
  const guard = <T>(label: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      problems.push({ property: 'throws', fix: label, detail: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };
  if (!opts.fixAllOnly) {
    for (const f of a.findings) {
      if (fixesChecked >= (opts.maxFixChecks ?? Number.POSITIVE_INFINITY)) break;
      const label = `fixFor(${f.ruleId} on ${f.subject})`;
      const fix = guard(label, () => analysis.fixFor(f));
      if (!fix) continue;
      fixesChecked++;
      const out = guard(label, () => applyEdits(text, fix.edits));
      if (out === undefined) continue;
      const obj = objectAt(objects, f.objectSpan.start);
      const intended = new Set(obj ? [obj.id] : []);
      // A finding about one container: only that container's hook or script may change.
      const cm = /\/(containers|initContainers)\/([^/]+)$/.exec(f.subject);
      const container = cm?.[1] !== undefined && cm[2] !== undefined ? { list: cm[1], name: cm[2] } : undefined;
      const after = compare(`${label} "${fix.title}"`, text, out, before, objects, intended, settings, problems, container);
      if (!after) continue;
      const b = guard(label, () => analyzeText(out, { settings, cache }));
      if (!b) continue;
      if (b.findings.some((g) => key(g) === key(f))) problems.push({ property: 'keeps-finding', fix: label, detail: fix.title });
      const added = b.findings.filter((g) => !beforeKeys.has(key(g)));
      if (added.length > 0) problems.push({ property: 'adds-finding', fix: label, detail: added.map(key).join(', ') });
    }
  }
  // Refactorings: hook conversions at each hook, "set up graceful shutdown" at each workload's kind.
  let refactoringsChecked = 0;
  if (!opts.fixAllOnly) {
    const seen = new Set<string>();
    for (const pod of a.pods) {
      const offsets = [pod.object.kindSpan.start, ...[...pod.containers, ...pod.sidecars].map((c) => c.preStop?.span.start).filter((x): x is number => x !== undefined)];
      for (const at of offsets) {
        if (refactoringsChecked >= (opts.maxFixChecks ?? Number.POSITIVE_INFINITY)) break;
        const rs = guard('refactoringsAt', () => refactoringsAt(analysis, at, settings)) ?? [];
        for (const r of rs) {
          const id = JSON.stringify(r.edits);
          if (seen.has(id)) continue;
          seen.add(id);
          refactoringsChecked++;
          const out = guard(r.title, () => applyEdits(text, r.edits));
          if (out === undefined) continue;
          const obj = objectAt(objects, pod.object.span.start);
          compare(`refactoring "${r.title}" on ${pod.subject}`, text, out, before, objects, new Set(obj ? [obj.id] : []), settings, problems);
        }
      }
    }
  }
  let applied = 0;
  const all = guard('fixAll', () => fixAll(text, { settings, cache }));
  if (all) {
    applied = all.applied;
    const intended = new Set<string>();
    for (const f of a.findings) {
      const o = objectAt(objects, f.objectSpan.start);
      if (o) intended.add(o.id);
    }
    if (all.output !== text) {
      compare('fixAll', text, all.output, before, objects, intended, settings, problems);
      const added = all.analysis.findings.filter((g) => !beforeKeys.has(key(g)));
      if (added.length > 0) problems.push({ property: 'adds-finding', fix: 'fixAll', detail: added.map(key).join(', ') });
      const again = guard('second fixAll', () => fixAll(all.output, { settings, cache }));
      if (again && again.output !== all.output) problems.push({ property: 'not-idempotent', fix: 'fixAll', detail: `second pass applied ${again.applied}` });
    }
    // Every finding whose own fix was offered should be fixed by fix-all, or say why not.
    if (!opts.fixAllOnly) {
      const left = new Set(all.analysis.findings.map(key));
      const missed = a.findings.filter((f) => left.has(key(f)) && analysis.fixFor(f) !== undefined);
      if (missed.length > 0 && applied === 0) problems.push({ property: 'fix-all-not-fixed', fix: 'fixAll', detail: `nothing applied; fixable: ${missed.map(key).join(', ')}` });
    }
  }
  return { problems, findings: a.findings.length, fixesChecked: fixesChecked + refactoringsChecked, fixAllApplied: applied };
}
