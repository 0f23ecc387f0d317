/**
 * What a Go template leaves unknown about a pod. The template is read from its masked text
 * (yaml/templates.ts), where a block spliced in (`toYaml`, `include`, `| nindent N` on its own
 * line) is a blank line and a conditional block (`if`, `with`, `range`) is read with all its
 * branches. A pod is treated as partial (nothing reported) when a field a rule depends on may
 * come from or be changed by the template: a splice directly in the pod spec or in a container,
 * any action in a container's `lifecycle`, or a conditional block around a `lifecycle` or
 * `terminationGracePeriodSeconds` key.
 */
import type { TemplateAction } from '../yaml/helm';
import type { ResolvedValue } from '../yaml/helm-values';
import type { ServiceLookup } from './serving';
import type { PodView, ServiceInfo } from './workloads';

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function indentAt(text: string, start: number): number {
  let i = start;
  while (text.charCodeAt(i) === 32) i++;
  return i - start;
}

function blankLine(text: string, start: number): boolean {
  const e = text.indexOf('\n', start);
  const line = text.slice(start, e === -1 ? text.length : e).trim();
  return line === '' || line.startsWith('#');
}

/** The start of the nearest line above `at`'s line that is indented less than `column`, or -1. */
function ownerLine(text: string, at: number, column: number): number {
  let s = lineStart(text, at);
  while (s > 0) {
    s = lineStart(text, s - 1);
    if (!blankLine(text, s) && indentAt(text, s) < column) return s;
  }
  return -1;
}

/** The line that owns a block map starting at `mapStart` (its key's line, or its own `- ` line). */
function mapOwner(text: string, mapStart: number): number {
  const ls = lineStart(text, mapStart);
  return text.slice(ls, mapStart).trim() !== '' ? ls : ownerLine(text, mapStart, mapStart - ls);
}

/** The column a splice writes at: its `nindent`/`indent` when given, else where it stands. */
function spliceColumn(masked: string, a: TemplateAction): number {
  return a.indent ?? a.start - lineStart(masked, a.start);
}

function directlyIn(masked: string, at: number, column: number, mapStart: number): boolean {
  if (mapStart - lineStart(masked, mapStart) !== column) return false;
  return ownerLine(masked, at, column) === mapOwner(masked, mapStart);
}

/** The end of the block under a key: the last line indented deeper than the key's line. */
function blockEnd(text: string, keyStart: number): number {
  const ls = lineStart(text, keyStart);
  const column = indentAt(text, ls);
  let end = text.indexOf('\n', keyStart);
  if (end === -1) return text.length;
  for (;;) {
    const next = end + 1;
    if (next >= text.length) return text.length;
    if (!blankLine(text, next) && indentAt(text, next) <= column) return end;
    const e = text.indexOf('\n', next);
    if (e === -1) return text.length;
    end = e;
  }
}

/**
 * Conditional blocks (`if`, `with`, `range`) as [start of the opening action, end of `end`];
 * `undecided`: only those the chart's values do not decide.
 */
function conditionalBlocks(actions: readonly TemplateAction[], undecided = false): { open: number; close: number }[] {
  const out: { open: number; close: number }[] = [];
  const stack: { keyword: string; open: number; known: boolean }[] = [];
  for (const a of actions) {
    if (a.kind !== 'control' || a.keyword === undefined) continue;
    if (['if', 'with', 'range', 'define', 'block'].includes(a.keyword)) stack.push({ keyword: a.keyword, open: a.start, known: a.known === true });
    else if (a.keyword === 'end') {
      const o = stack.pop();
      if (o && o.keyword !== 'define' && o.keyword !== 'block' && !(undecided && o.known)) out.push({ open: o.open, close: a.end });
    }
  }
  return out;
}

export interface TemplateText {
  readonly masked: string;
  readonly actions: readonly TemplateAction[];
  /** What the chart's values decided (helm-values.ts). */
  readonly resolved?: readonly ResolvedValue[];
}

/**
 * A bare Pod whose annotations the template splices in may be a Helm hook (a test pod with
 * `helm.sh/hook` from values): a one-off pod, never reported.
 */
function podMayBeHook(pod: PodView, t: TemplateText, base: number): boolean {
  if (pod.object.kind !== 'Pod') return false;
  const from = pod.object.span.start - base;
  const to = pod.specSpan.start - base;
  return t.actions.some((a) => {
    if (a.kind !== 'splice' || a.known || a.start < from || a.start >= to) return false;
    const owner = ownerLine(t.masked, a.start, spliceColumn(t.masked, a));
    return owner !== -1 && /^\s*annotations:\s*$/.test(t.masked.slice(owner, t.masked.indexOf('\n', owner)));
  });
}

/** True when the template may set or change a field the rules read on this pod, whose spans are `base` past the chunk's. */
export function templateLeavesUnknown(pod: PodView, t: TemplateText, base: number): boolean {
  if (podMayBeHook(pod, t, base)) return true;
  const { masked, actions } = t;
  const containers = [...pod.containers, ...pod.sidecars].map((c) => ({
    map: c.mapSpan.start - base,
    lifecycle: c.lifecycleKeySpan ? c.lifecycleKeySpan.start - base : undefined,
  }));
  const spec = pod.specSpan.start - base;
  const maps = [spec, ...containers.map((c) => c.map)];
  for (const a of actions) {
    if (a.kind !== 'splice' || a.known) continue;
    const column = spliceColumn(masked, a);
    if (maps.some((m) => directlyIn(masked, a.start, column, m))) return true;
  }
  for (const c of containers) {
    if (c.lifecycle === undefined) continue;
    const from = c.lifecycle;
    const to = blockEnd(masked, from);
    if (actions.some((a) => a.kind !== 'comment' && !a.known && a.end > from && a.start < to)) return true;
  }
  const specOwner = mapOwner(masked, spec);
  const grace = pod.grace.keySpan ? pod.grace.keySpan.start - base : undefined;
  const keys = [...containers.map((c) => ({ key: c.lifecycle, after: c.map })), { key: grace, after: specOwner + 1 }];
  const blocks = conditionalBlocks(actions, true);
  for (const { key, after } of keys) {
    if (key === undefined) continue;
    if (blocks.some((b) => b.open >= after && b.open < key && b.close > key)) return true;
  }
  return false;
}

/** The conditional blocks that hold a position. */
function blocksAt(blocks: readonly { open: number; close: number }[], at: number): string {
  return blocks
    .filter((b) => b.open < at && at < b.close)
    .map((b) => b.open)
    .join(',');
}

/**
 * Why an edit of a template would not be what its author writes, if it would not: it touches an
 * action, or it lands inside a conditional block (or before a splice) that the map it writes
 * into is not inside, so that the value would only exist in one branch or be split from its map.
 */
export function templateEditProblem(t: TemplateText, edits: readonly { start: number; end: number; newText: string }[]): string | undefined {
  if (edits.some((e) => fromValues(t, e))) return 'the value comes from values.yaml: change it there';
  const { masked, actions } = t;
  const blocks = conditionalBlocks(actions);
  for (const e of edits) {
    if (actions.some((a) => a.start < Math.max(e.end, e.start + 1) && e.start < a.end)) return 'the edit would change a template action';
    // Inserted after a line ("\n  key: …") or at the start of one ("  key: …\n").
    const atLineStart = e.start === 0 || masked[e.start - 1] === '\n';
    const firstLine = (atLineStart ? /^( *)\S/ : /\n( *)\S/).exec(e.newText);
    if (!firstLine) continue;
    const column = firstLine[1]?.length ?? 0;
    const eol = masked.indexOf('\n', e.start);
    const below = atLineStart ? e.start : eol === -1 ? masked.length : eol + 1;
    const owner = ownerLine(masked, below, column);
    if (owner === -1 || blocksAt(blocks, e.start) !== blocksAt(blocks, owner)) return 'the edit would land inside a template block';
    if (spliceBelow(t, below, column)) return 'the edit would split a template block from its key';
  }
  return undefined;
}

const FIELD_TEXT: Record<string, RegExp> = {
  grace: /terminationGracePeriodSeconds/,
  lifecycle: /\b(lifecycle|preStop|sleep|exec|command)\b/,
};

/**
 * True when an edit writes a field (grace period, hooks) the chart's values decided in this
 * document, or touches text the values decided: the template is not where that field is set.
 */
function fromValues(t: TemplateText, e: { start: number; end: number; newText: string }): boolean {
  return (t.resolved ?? []).some((r) => {
    const re = FIELD_TEXT[r.field];
    if (!re) return false;
    return (r.start < Math.max(e.end, e.start + 1) && e.start < r.end) || re.test(e.newText);
  });
}

/** True when the first line below `from` that writes something is a splice deeper than `column`. */
function spliceBelow(t: TemplateText, from: number, column: number): boolean {
  const { masked, actions } = t;
  for (let s = from; s < masked.length; ) {
    const e = masked.indexOf('\n', s);
    const end = e === -1 ? masked.length : e;
    const splice = actions.find((a) => a.kind === 'splice' && a.start >= s && a.start < end);
    if (splice) return (splice.indent ?? splice.start - s) > column;
    if (!blankLine(masked, s)) return false;
    s = end + 1;
  }
  return false;
}

const INCLUDE_PREFIX = 'helm.include/';

/**
 * A Service lookup that sees, on each pod, the labels its labels includes include in turn (a pod
 * template that includes `x.labels`, which includes `x.selectorLabels`, is selected by a
 * Service whose selector includes `x.selectorLabels`).
 */
export class HelperLabels implements ServiceLookup {
  constructor(
    private readonly inner: ServiceLookup,
    private readonly includes: ReadonlyMap<string, readonly string[]>,
  ) {}

  hasNamespace(ns: string): boolean {
    return this.inner.hasNamespace(ns);
  }

  selecting(pod: PodView): ServiceInfo[] {
    const start = [...pod.labels.keys()].filter((k) => k.startsWith(INCLUDE_PREFIX)).map((k) => k.slice(INCLUDE_PREFIX.length));
    if (start.length === 0) return this.inner.selecting(pod);
    const seen = new Set(start);
    for (let i = 0; i < start.length; i++) {
      for (const next of this.includes.get(start[i] ?? '') ?? []) {
        if (seen.has(next) || seen.size > 1000) continue;
        seen.add(next);
        start.push(next);
      }
    }
    const labels = new Map(pod.labels);
    for (const name of seen) labels.set(`${INCLUDE_PREFIX}${name}`, 'i');
    return this.inner.selecting({ ...pod, labels });
  }
}
