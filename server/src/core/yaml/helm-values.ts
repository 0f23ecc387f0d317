/**
 * A chart's `values.yaml` defaults applied to a masked template (helm.ts), in place and at the
 * same length, so that every span stays a span in the template:
 *
 * - a value action (`{{ .Values.a.b }}`, with `default X`, `quote`, `int`, `toString`, or `.`
 *   inside `with`) whose path resolves is written as the text Helm would render, when the
 *   scalar it stands in (with any literal text around it, quotes kept) fits in its place;
 * - a splice `toYaml <path> | nindent N` whose path resolves to an empty value is left blank
 *   and known; to a non-empty map, written as one JSON flow map when it fits;
 * - an `if`/`with` block around the keys a pod's termination depends on (`lifecycle`,
 *   `preStop`, `terminationGracePeriodSeconds`) whose condition resolves is decided: the branch
 *   not taken is blanked.
 *
 * Anything else is left as the masker made it: unknown, and no claim is made on it.
 */
import type { Span } from '../types';
import type { Plain } from './plain';

/** A chart's values file, read once per chart (`readChartValues`) and given with each of its templates. */
export interface ChartValues {
  readonly text: string;
  readonly filePath: string;
  /** Its values; `root` undefined when the file cannot be read as YAML. */
  readonly tree: ValuesTree;
}

/** The parsed defaults of a chart, as plain values with spans in the values file. */
export interface ValuesTree {
  readonly root: Plain | undefined;
}

/** Which field a resolved action decides, by the key it stands under. */
export type ValueField = 'grace' | 'lifecycle' | 'image' | 'other';

/** A part of a template whose rendering values.yaml decided. */
export interface ResolvedValue {
  /** The region of the template (relative to the chunk) that was rewritten or decided. */
  readonly start: number;
  readonly end: number;
  /** The values path, as written (`.Values.a.b`). */
  readonly path: string;
  /** Where the value is written in values.yaml, when it is. */
  readonly valueSpan: Span | undefined;
  readonly field: ValueField;
}

interface Action {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  readonly keyword: string | undefined;
  readonly indent: number | undefined;
}

/** A value found by a path: `missing` when the last key is absent from a map that exists. */
type Found = { readonly value: Plain | undefined; readonly path: string } | undefined;

function isEmpty(v: Plain | undefined): boolean {
  if (v === undefined) return true;
  switch (v.kind) {
    case 'null':
      return true;
    case 'boolean':
      return !v.value;
    case 'number':
      return v.value === 0;
    case 'string':
      return v.value === '';
    case 'list':
      return v.items.length === 0;
    case 'map':
      return v.entries.length === 0;
    default:
      return false;
  }
}

function child(v: Plain | undefined, key: string): { ok: boolean; value: Plain | undefined } {
  if (v?.kind !== 'map') return { ok: false, value: undefined };
  const e = v.entries.find((x) => x.key === key);
  return { ok: true, value: e?.value };
}

/** Resolution of the dot inside `with`: a found value, or unknown. */
type Dot = Found;

/** Looks up `.Values.a.b`, `$.Values.a.b`, `.` and `.a.b` (from the dot). */
function lookupPath(tree: ValuesTree, dot: Dot, expr: string): Found {
  let base: Plain | undefined;
  let rest: string[];
  let prefix: string;
  const abs = /^\$?\.Values((?:\.[A-Za-z_][\w-]*)*)$/.exec(expr);
  if (abs) {
    base = tree.root;
    rest = (abs[1] ?? '').split('.').filter((s) => s !== '');
    prefix = '.Values';
  } else if (expr === '.' || /^(?:\.[A-Za-z_]\w*)+$/.test(expr)) {
    if (!dot) return undefined;
    base = dot.value;
    rest = expr.split('.').filter((s) => s !== '');
    prefix = dot.path;
  } else return undefined;
  let cur = base;
  for (const key of rest) {
    const c = child(cur, key);
    if (!c.ok) return undefined;
    cur = c.value;
  }
  return { value: cur, path: [prefix, ...rest].join('.') };
}

/** Splits a command into arguments (double-quoted strings kept whole). */
function words(cmd: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[^\s"()]+)/y;
  let at = 0;
  while (at < cmd.length) {
    re.lastIndex = at;
    const m = re.exec(cmd);
    if (!m) return /^\s*$/.test(cmd.slice(at)) ? out : undefined;
    out.push(m[1] ?? '');
    at = re.lastIndex;
  }
  return out;
}

/** An argument: a literal (number, string, true/false) or a path. */
function argOf(tree: ValuesTree, dot: Dot, w: string): Found {
  if (/^-?\d+(\.\d+)?$/.test(w)) return { value: { kind: 'number', value: Number(w), source: w }, path: '' };
  if (/^"(?:[^"\\]|\\.)*"$/.test(w)) {
    if (w.includes('\\')) return undefined;
    return { value: { kind: 'string', value: w.slice(1, -1) }, path: '' };
  }
  if (w === 'true' || w === 'false') return { value: { kind: 'boolean', value: w === 'true' }, path: '' };
  return lookupPath(tree, dot, w);
}

/** Applies one function of a pipeline to a value (the piped value is the last argument). */
function apply(tree: ValuesTree, dot: Dot, fn: string, args: readonly string[], input: Found | null): { found: Found; quoted: boolean } | undefined {
  const last = input === null ? undefined : input;
  if (fn === 'default') {
    const d = args[0] !== undefined ? argOf(tree, dot, args[0]) : undefined;
    const v = input === null ? (args[1] !== undefined ? argOf(tree, dot, args[1]) : undefined) : last;
    if (!d || (input === null && args.length !== 2) || (input !== null && args.length !== 1)) return undefined;
    if (v === undefined) return undefined;
    return { found: isEmpty(v.value) ? d : v, quoted: false };
  }
  const v = input === null ? (args.length === 1 && args[0] !== undefined ? argOf(tree, dot, args[0]) : undefined) : args.length === 0 ? last : undefined;
  if (!v) return undefined;
  if (fn === 'quote') return { found: v, quoted: true };
  if (fn === 'toString') return { found: v, quoted: false };
  if (fn === 'int' || fn === 'int64') {
    const n = v.value?.kind === 'number' ? v.value.value : v.value?.kind === 'string' && /^-?\d+$/.test(v.value.value) ? Number(v.value.value) : undefined;
    return n === undefined ? undefined : { found: { value: { kind: 'number', value: Math.trunc(n) }, path: v.path }, quoted: false };
  }
  return undefined;
}

/** The scalar a value action's pipeline gives, and whether `quote` wraps it. */
function evaluate(tree: ValuesTree, dot: Dot, inner: string): { found: Found; quoted: boolean } | undefined {
  let cur: { found: Found; quoted: boolean } | undefined;
  for (const [i, cmd] of inner.split('|').entries()) {
    const w = words(cmd.trim());
    if (!w || w.length === 0) return undefined;
    const [head, ...args] = w;
    if (head === undefined) return undefined;
    if (i === 0 && args.length === 0 && (head.startsWith('.') || head.startsWith('$.'))) {
      cur = { found: lookupPath(tree, dot, head), quoted: false };
    } else {
      const next = apply(tree, dot, head, args, i === 0 ? null : (cur?.found ?? undefined));
      if (!next) return undefined;
      cur = { found: next.found, quoted: next.quoted || (cur?.quoted ?? false) };
    }
    if (!cur.found) return undefined;
  }
  return cur;
}

/** The text Go's template renders for a scalar, or undefined when it is not a plain scalar. */
function scalarText(v: Plain | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.kind === 'string') return /[\n\r]|\{\{|\}\}/.test(v.value) ? undefined : v.value;
  if (v.kind === 'boolean') return v.value ? 'true' : 'false';
  if (v.kind === 'number') return Number.isInteger(v.value) && Math.abs(v.value) < 1e21 ? String(v.value) : undefined;
  return undefined;
}

/** The text of a value action, as Helm renders it. */
function renderValue(tree: ValuesTree, dot: Dot, inner: string): { text: string; found: Found } | undefined {
  const r = evaluate(tree, dot, inner);
  const s = scalarText(r?.found?.value);
  if (!r || s === undefined) return undefined;
  return { text: r.quoted ? (/["\\]/.test(s) ? undefined : `"${s}"`) ?? '\u0000' : s, found: r.found };
}

function toJs(v: Plain): unknown {
  switch (v.kind) {
    case 'map':
      return Object.fromEntries(v.entries.map((e) => [e.key, toJs(e.value)]));
    case 'list':
      return v.items.map(toJs);
    case 'null':
      return null;
    case 'other':
      return undefined;
    default:
      return v.value;
  }
}

function fieldOfKey(key: string): ValueField {
  if (key === 'terminationGracePeriodSeconds') return 'grace';
  if (['lifecycle', 'preStop', 'sleep', 'seconds', 'exec', 'command', 'httpGet'].includes(key)) return 'lifecycle';
  if (key === 'image') return 'image';
  return 'other';
}

const GUARDED_KEYS = ['lifecycle', 'preStop', 'terminationGracePeriodSeconds'] as const;
const GUARDED_AT_RE = /[ \t]*(?:- +)?(lifecycle|preStop|terminationGracePeriodSeconds):/y;
const KEY_PREFIX_RE = /^[ \t]*(?:- +)?$/;

/** The start of the line `at` is on, lines ending as a regular expression's `^` sees them. */
function regexLineStart(text: string, at: number): number {
  let i = at;
  for (; i > 0; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) break;
  }
  return i;
}

/**
 * Where a guarded key at or after `from` starts a line of the text (`^[ \t]*(?:- +)?key:`), as
 * the start of that line, in order: found by looking for each key, which is rare, not by trying
 * every line.
 */
function guardedKeys(text: string, from: number): { at: number; key: string }[] {
  const out: { at: number; key: string }[] = [];
  for (const key of GUARDED_KEYS) {
    const word = `${key}:`;
    for (let i = text.indexOf(word, from); i !== -1; i = text.indexOf(word, i + word.length)) {
      const ls = regexLineStart(text, i);
      if (KEY_PREFIX_RE.test(text.slice(ls, i))) out.push({ at: ls, key });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface ValuesApplied {
  readonly masked: string;
  /** The indices of actions whose output is known (written, empty or in a branch not taken). */
  readonly known: ReadonlySet<number>;
  readonly resolved: readonly ResolvedValue[];
}

interface Block {
  readonly open: number;
  readonly decided: boolean | undefined;
  readonly found: Found;
  readonly field: ValueField;
  /** The dot inside the block; null: the enclosing one. */
  readonly dot: Dot | null;
  /** The part of the block being read: before `else` (true) or after (false). */
  branch: boolean;
  /** Where the current branch started (end of its control action). */
  from: number;
}

class Applier {
  /** The masked text; what is written goes to `patches`, applied at the end (same length). */
  private readonly out: string;
  private readonly patches: { at: number; text: string }[] = [];
  private readonly ends: number[];
  readonly known = new Set<number>();
  readonly resolved: ResolvedValue[] = [];
  private readonly stack: Block[] = [];
  /** The dot at each action. */
  private readonly dots: Dot[] = [];
  private guarded: { at: number; key: string }[] | undefined;

  constructor(
    private readonly text: string,
    masked: string,
    private readonly actions: readonly Action[],
    private readonly tree: ValuesTree,
  ) {
    this.out = masked;
    this.ends = matchingEnds(actions, text.length);
  }

  /** The masked text with what was written. */
  result(): string {
    if (this.patches.length === 0) return this.out;
    const parts: string[] = [];
    let last = 0;
    for (const p of this.patches.sort((a, b) => a.at - b.at)) {
      if (p.at < last) continue;
      parts.push(this.out.slice(last, p.at), p.text);
      last = p.at + p.text.length;
    }
    parts.push(this.out.slice(last));
    return parts.join('');
  }

  private dot(): Dot {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i];
      if (b && b.dot !== null) return b.dot;
    }
    return undefined;
  }

  /** True when some enclosing decided block has its current branch not taken. */
  private inactive(): boolean {
    return this.stack.some((b) => b.decided !== undefined && b.decided !== b.branch);
  }

  private blankRange(from: number, to: number): void {
    if (to > from) this.patches.push({ at: from, text: this.out.slice(from, to).replace(/[^\r\n]/g, ' ') });
  }

  private write(at: number, s: string, to: number): void {
    this.patches.push({ at, text: s.padEnd(to - at, ' ') });
  }

  run(inners: readonly string[]): void {
    this.actions.forEach((a, k) => {
      const inner = inners[k] ?? '';
      this.dots[k] = this.dot();
      if (a.kind === 'control') this.control(a, k, inner);
      else if (this.inactive()) this.known.add(k);
      else if (a.kind === 'splice' || (a.kind === 'value' && /\btoYaml\b/.test(inner))) this.splice(a, k, inner);
    });
    this.values(inners);
  }

  private control(a: Action, k: number, inner: string): void {
    const kw = a.keyword;
    if (kw === 'if' || kw === 'with') {
      const cond = /^(?:if|with)\s+(not\s+)?(\$?\.[\w.$-]*)\s*$/.exec(inner);
      // Only a block whose condition can be decided looks for the keys it guards.
      const guarded = cond && !(kw === 'with' && cond[1]) && !this.inactive() ? this.guardedKey(a.end, this.ends[k] ?? this.text.length) : undefined;
      const found = cond && guarded !== undefined ? lookupPath(this.tree, this.dot(), cond[2] ?? '') : undefined;
      const decided = found ? (cond?.[1] ? isEmpty(found.value) : !isEmpty(found.value)) : undefined;
      const dot: Dot | null = kw === 'with' ? (found && decided ? found : undefined) : null;
      this.stack.push({ open: a.start, decided, found, field: fieldOfKey(guarded ?? ''), dot, branch: true, from: a.end });
      if (decided !== undefined) this.known.add(k);
    } else if (kw === 'range' || kw === 'define' || kw === 'block') {
      this.stack.push({ open: a.start, decided: undefined, found: undefined, field: 'other', dot: undefined, branch: true, from: a.end });
    } else if (kw === 'else') {
      const b = this.stack[this.stack.length - 1];
      if (!b || b.decided === undefined) return;
      if (!/^else\s*$/.test(inner)) {
        // `else if`/`else with`: the chain is not decided past here.
        this.close(b, a.start);
        this.stack[this.stack.length - 1] = { ...b, decided: undefined };
        return;
      }
      this.close(b, a.start);
      b.branch = false;
      b.from = a.end;
      this.known.add(k);
    } else if (kw === 'end') {
      const b = this.stack.pop();
      if (!b || b.decided === undefined) return;
      this.close(b, a.start);
      this.known.add(k);
      this.resolved.push({ start: b.open, end: a.end, path: b.found?.path ?? '', valueSpan: b.found?.value?.span, field: b.field });
    }
  }

  /**
   * The first key a pod's termination depends on that starts a line of `text[from, to)` (or
   * stands at `from`), as a search of that text alone finds it; the keys of the whole text are
   * found once.
   */
  private guardedKey(from: number, to: number): string | undefined {
    GUARDED_AT_RE.lastIndex = from;
    const here = GUARDED_AT_RE.exec(this.text);
    if (here) return here[1];
    // Blocks are read in order: no later one starts before the first one asked about.
    const keys = (this.guarded ??= guardedKeys(this.text, from));
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid]?.at ?? 0) < from) lo = mid + 1;
      else hi = mid;
    }
    const first = keys[lo];
    return first && first.at < to ? first.key : undefined;
  }

  /** Blanks the branch just read when it is not taken. */
  private close(b: Block, at: number): void {
    if (b.decided !== b.branch) this.blankRange(b.from, at);
  }

  private splice(a: Action, k: number, inner: string): void {
    const m = /^toYaml\s+(\$?\.[\w.$-]*)\s*(?:\|\s*n?indent\s+\d+\s*)?$/.exec(inner);
    const found = m ? lookupPath(this.tree, this.dot(), m[1] ?? '') : undefined;
    if (!found) return;
    const field = fieldOfKey(this.ownerKey(a.start, a.indent));
    if (isEmpty(found.value)) {
      this.known.add(k);
      this.resolved.push({ start: a.start, end: a.end, path: found.path, valueSpan: found.value?.span, field });
      return;
    }
    // A map is written only as the value of a hook's key, never among a map's own keys.
    if (found.value?.kind !== 'map' || field !== 'lifecycle' || !this.underKey(a.start)) return;
    const json = JSON.stringify(toJs(found.value));
    // Written where the action starts: deeper than its key when the splice is on its own line.
    const ls = this.text.lastIndexOf('\n', a.start - 1) + 1;
    const keyLine = this.text.slice(ls, a.start).trim() !== '';
    if (json === undefined || json.length > a.end - a.start || (!keyLine && !(a.start - ls > this.ownerColumn(a.start)))) return;
    this.write(a.start, json, a.end);
    this.known.add(k);
    this.resolved.push({ start: a.start, end: a.end, path: found.path, valueSpan: found.value.span, field });
  }

  /** True when the action is a key's value: after `key:` on its line, or alone under a line that ends in `key:`. */
  private underKey(at: number): boolean {
    const ls = this.text.lastIndexOf('\n', at - 1) + 1;
    if (/^[ \t]*(?:- +)?[\w.-]+:[ \t]*$/.test(this.out.slice(ls, at))) return true;
    if (this.out.slice(ls, at).trim() !== '') return false;
    let end = ls - 1;
    while (end > 0) {
      const start = this.text.lastIndexOf('\n', end - 1) + 1;
      const line = this.out.slice(start, end);
      if (line.trim() !== '') return /^[ \t]*(?:- +)?[\w.-]+:[ \t]*$/.test(line);
      end = start - 1;
    }
    return false;
  }

  /** The key of the line the action stands on, else of the nearest line above indented less. */
  private ownerKey(at: number, indent: number | undefined): string {
    const ls = this.text.lastIndexOf('\n', at - 1) + 1;
    const own = /^[ \t]*(?:- +)?([\w.-]+):/.exec(this.out.slice(ls, at));
    if (own?.[1]) return own[1];
    const line = this.lineAbove(at, indent ?? at - ls);
    return /^[ \t]*(?:- +)?([\w.-]+):/.exec(line)?.[1] ?? '';
  }

  private ownerColumn(at: number): number {
    const line = this.lineAbove(at, Number.MAX_SAFE_INTEGER);
    return line.length - line.trimStart().length;
  }

  /** The nearest non-blank line of the masked text above `at`'s line indented less than `col`. */
  private lineAbove(at: number, col: number): string {
    let end = this.text.lastIndexOf('\n', at - 1);
    while (end > 0) {
      const start = this.text.lastIndexOf('\n', end - 1) + 1;
      const line = this.out.slice(start, end);
      const indent = line.length - line.trimStart().length;
      if (line.trim() !== '' && !line.trim().startsWith('#') && indent < col) return line;
      end = start - 1;
    }
    return '';
  }

  /** Value actions: each line's scalar written whole when every action in it resolves. */
  private values(inners: readonly string[]): void {
    const byLine = new Map<number, number[]>();
    this.actions.forEach((a, k) => {
      if (a.kind !== 'value' || this.known.has(k)) return;
      const nl = this.text.indexOf('\n', a.start);
      if (nl !== -1 && nl < a.end) return;
      const ls = this.text.lastIndexOf('\n', a.start - 1) + 1;
      const line = byLine.get(ls);
      if (line) line.push(k);
      else byLine.set(ls, [k]);
    });
    for (const [ls, ks] of byLine) this.valueLine(ls, ks, inners);
  }

  private valueLine(ls: number, ks: readonly number[], inners: readonly string[]): void {
    const le = this.text.indexOf('\n', ls);
    const lineEnd = le === -1 ? this.text.length : le;
    const first = this.actions[ks[0] ?? 0];
    const lastA = this.actions[ks[ks.length - 1] ?? 0];
    if (!first || !lastA) return;
    // Every action on the line must be one of these value actions: they are in order, so those
    // are a run of actions with none of the line's before or after it.
    const k0 = ks[0] ?? 0;
    const k1 = ks[ks.length - 1] ?? 0;
    const prev = this.actions[k0 - 1];
    const next = this.actions[k1 + 1];
    if (k1 - k0 + 1 !== ks.length || (prev && prev.start >= ls) || (next && next.start < lineEnd)) return;
    const head = /^([ \t]*(?:- +)*(?:([\w./-]+):[ \t]+)?)/.exec(this.text.slice(ls, first.start));
    if (!head) return;
    const from = ls + (head[1]?.length ?? 0);
    const tail = this.text.slice(lastA.end, lineEnd);
    const to = lastA.end + tail.trimEnd().length;
    if (/#/.test(tail) || from > first.start) return;
    let rendered = '';
    let at = from;
    const founds: Found[] = [];
    for (const k of ks) {
      const a = this.actions[k];
      const r = a ? renderValue(this.tree, this.dots[k], inners[k] ?? '') : undefined;
      if (!a || !r || r.text.includes('\u0000')) return;
      rendered += this.text.slice(at, a.start) + r.text;
      founds.push(r.found);
      at = a.end;
    }
    rendered += this.text.slice(at, to);
    const q = rendered[0];
    if ((q === '"' || q === "'") && (rendered[rendered.length - 1] !== q || rendered.slice(1, -1).includes(q) || rendered.includes('\\'))) return;
    if (/^[[{&*!|>%@`]/.test(rendered) || rendered.length > to - from) return;
    this.write(from, rendered, to);
    const field = fieldOfKey(head[2] ?? this.ownerKey(first.start, undefined));
    ks.forEach((k, i) => {
      this.known.add(k);
      const a = this.actions[k];
      const f = founds[i];
      if (a && f && f.path !== '') this.resolved.push({ start: a.start, end: a.end, path: f.path, valueSpan: f.value?.span, field });
    });
  }
}

/** For each opening action, the start of the `end` that closes it (or the text's end). */
function matchingEnds(actions: readonly Action[], length: number): number[] {
  const ends: number[] = [];
  const stack: number[] = [];
  actions.forEach((a, k) => {
    if (a.kind !== 'control') return;
    if (['if', 'with', 'range', 'define', 'block'].includes(a.keyword ?? '')) stack.push(k);
    else if (a.keyword === 'end') {
      const o = stack.pop();
      if (o !== undefined) ends[o] = a.start;
    }
  });
  for (const o of stack) ends[o] = length;
  return ends;
}

/** Applies the defaults to a masked template; `inners` are the actions' pipelines. */
export function applyValues(text: string, masked: string, actions: readonly Action[], inners: readonly string[], tree: ValuesTree): ValuesApplied {
  const ap = new Applier(text, masked, actions, tree);
  ap.run(inners);
  return { masked: ap.result(), known: ap.known, resolved: ap.resolved.sort((a, b) => a.start - b.start) };
}
