/**
 * Go templates (Helm charts) read without Helm: every action `{{ … }}` is found (trim markers,
 * comments, quoted and raw strings, nested pipelines) and masked with text of the same length,
 * newlines kept, so that every YAML token left sits exactly where it is in the source and
 * spans found on the masked text are spans in the template.
 *
 * An action is classified by where it stands: `control` (if, else, with, range, define, block,
 * end, break, continue, variable assignments: no output), `comment`, `splice` (alone on its
 * line: `include`, `toYaml`, `tpl`, `| nindent N` put a block there) or `value` (inside a line:
 * after `key:`, in a string, in a list item). Values are masked with a plain filler so that the
 * key stays present with a value nothing is claimed on; the rest with blanks. A splice of an
 * include whose name ends in `labels` is masked as one synthetic label `helm.include/<name>`, so
 * that a Service and a pod template that include the same labels select each other.
 */

import { applyValues, type ResolvedValue, type ValuesTree } from './helm-values';

export type ActionKind = 'control' | 'comment' | 'splice' | 'value';

export interface TemplateAction {
  readonly start: number;
  readonly end: number;
  readonly kind: ActionKind;
  /** For control actions: if, else, with, range, define, block, end, assign, … */
  readonly keyword: string | undefined;
  /** The `nindent N` / `indent N` of the pipeline, if any: the column a splice writes at. */
  readonly indent: number | undefined;
  /** Its output is known from the chart's values (written in place, empty, or in a branch not taken). */
  readonly known?: boolean;
}

export interface MaskedTemplate {
  readonly masked: string;
  readonly actions: readonly TemplateAction[];
  /** What the chart's values decided, with where each value is written in the values file. */
  readonly resolved?: readonly ResolvedValue[];
  /** False when an action is not closed: the text cannot be read as a template. */
  readonly complete: boolean;
}

const CONTROL = new Set(['if', 'else', 'with', 'range', 'define', 'block', 'end', 'break', 'continue']);
/** A pipeline that writes a block (after `key:` or `- ` it stands for a nested map or list). */
const BLOCK_RE = /\b(toYaml|nindent|indent)\b/;
const INCLUDE_RE = /^(?:include|template)\s+"([\w.\-/]+)"/;
/** A templated `namespace:` is the release namespace: masked as absent, so that a chart's objects share one namespace. */
const NAMESPACE_KEY_RE = /^\s*namespace:\s*$/;
const LABELS_KEY_RE = /^(labels|matchLabels|selector):$/;
/** Prefix of the synthetic label a masked labels include becomes. */
export const INCLUDE_LABEL_PREFIX = 'helm.include/';

export function hasTemplateSyntax(text: string): boolean {
  return text.includes('{{');
}

const COMMENT_START = /\s*\/\*/y;

/** End of the action that starts at `at` (the index after `}}`), or -1 when it is not closed. */
function actionEnd(text: string, at: number): number {
  let i = at + 2;
  if (text.startsWith('-', i)) i++;
  COMMENT_START.lastIndex = i;
  if (COMMENT_START.test(text)) {
    const close = text.indexOf('*/', i);
    if (close === -1) return -1;
    const end = text.indexOf('}}', close + 2);
    return end === -1 ? -1 : end + 2;
  }
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close === -1) return -1;
      i = close + 1;
    } else if (c === '}' && text[i + 1] === '}') {
      return i + 2;
    } else i++;
  }
  return -1;
}

/** The pipeline of the action `text[start, end)` without delimiters and trim markers. */
function innerOf(text: string, start: number, end: number): string {
  let from = start + 2;
  let to = end - 2;
  if (text.charCodeAt(from) === 45) from++;
  if (to > from && text.charCodeAt(to - 1) === 45) to--;
  return text.slice(from, to).trim();
}

function keywordOf(inner: string): string | undefined {
  if (/^\$[\w]*\s*:?=/.test(inner)) return 'assign';
  const w = /^[a-z]+/.exec(inner)?.[0];
  return w !== undefined && CONTROL.has(w) ? w : undefined;
}

/** Finds every action; `complete` is false when one is not closed. */
export function tokenise(text: string): { spans: { start: number; end: number; inner: string }[]; complete: boolean } {
  const spans: { start: number; end: number; inner: string }[] = [];
  let at = text.indexOf('{{');
  while (at !== -1) {
    const end = actionEnd(text, at);
    if (end === -1) return { spans, complete: false };
    spans.push({ start: at, end, inner: innerOf(text, at, end) });
    at = text.indexOf('{{', end);
  }
  return { spans, complete: true };
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEndOf(text: string, at: number): number {
  const e = text.indexOf('\n', at);
  return e === -1 ? text.length : e;
}

const SPACES = ' '.repeat(256);

/** `n` blanks. */
function spaces(n: number): string {
  return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}

/** Same length, newlines (and carriage returns) kept. */
function blank(s: string): string {
  return s.indexOf('\n') === -1 && s.indexOf('\r') === -1 ? spaces(s.length) : s.replace(/[^\r\n]/g, ' ');
}

/**
 * The synthetic label for an include of labels on its own line, written at the column the
 * include indents to (`nindent N`, else where it stands), when it fits in the action.
 */
function includeLabel(inner: string, length: number, column: number, indent: number | undefined, inLabels: () => boolean): string | undefined {
  const m = INCLUDE_RE.exec(inner);
  if (!m || m[1] === undefined || !(/labels$/i.test(m[1]) || inLabels())) return undefined;
  const pad = indent !== undefined && indent > column ? indent - column : 0;
  const entry = `${' '.repeat(pad)}${INCLUDE_LABEL_PREFIX}${m[1]}: i`;
  return entry.length <= length ? entry.padEnd(length, ' ') : undefined;
}

/** True when the last line written that is not blank is a `labels:`, `matchLabels:` or `selector:` key, or a label. */
function afterLabelsKey(out: string): boolean {
  // The last line is the one the action stands on: only the lines before it count.
  let end = out.lastIndexOf('\n');
  while (end !== -1) {
    const prev = end === 0 ? -1 : out.lastIndexOf('\n', end - 1);
    const l = out.slice(prev + 1, end).trim();
    if (l !== '') return LABELS_KEY_RE.test(l) || l.startsWith(INCLUDE_LABEL_PREFIX);
    end = prev;
  }
  return false;
}

/** A plain scalar standing for a value action: the same for the same action, and readable in messages. */
function valueFiller(inner: string, length: number): string {
  // The letters, digits, dots and underscores of the pipeline, from its first letter or digit.
  let word = '';
  for (let i = 0; i < inner.length && word.length < length; i++) {
    const c = inner.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (alnum || ((c === 46 || c === 95) && word !== '')) word += inner[i];
  }
  return word.padEnd(length, '_');
}

/** True when `text[from, to)` holds only blanks once the actions `spans[lo..hi]` are left out. */
function blankOutside(text: string, from: number, to: number, spans: readonly { start: number; end: number }[], lo: number, hi: number): boolean {
  let k = lo;
  for (let j = from; j < to; ) {
    while (k <= hi && (spans[k]?.end ?? 0) <= j) k++;
    const sp = k <= hi ? spans[k] : undefined;
    if (sp && sp.start <= j) {
      j = sp.end;
      continue;
    }
    const c = text.charCodeAt(j);
    if (c !== 32 && c !== 9 && c !== 13) return false;
    j++;
  }
  return true;
}

/** The masked text just before an action: the last parts written, up to a few KiB. */
function tailOf(out: readonly string[], before: string): string {
  let tail = before;
  for (let i = out.length - 1; i >= 0 && tail.length < 4096; i--) tail = (out[i] ?? '') + tail;
  return tail;
}

/** Masks every action with same-length text; see the module comment. With a chart's values, applies them (helm-values.ts). */
export function maskTemplate(text: string, values?: ValuesTree): MaskedTemplate {
  const tokens = tokenise(text);
  const m = maskActions(text, tokens);
  if (!values || !m.complete) return m;
  const inners = tokens.spans.map((s) => s.inner);
  const v = applyValues(text, m.masked, m.actions, inners, values);
  if (v.known.size === 0) return m;
  const actions = m.actions.map((a, k) => (v.known.has(k) ? { ...a, known: true } : a));
  return { masked: v.masked, actions, complete: true, resolved: v.resolved };
}

/** The `nindent N` / `indent N` of a pipeline. */
function indentOf(inner: string): number | undefined {
  if (!inner.includes('indent')) return undefined;
  const ind = /\|\s*n?indent\s+(\d+)/.exec(inner)?.[1];
  return ind === undefined ? undefined : Number(ind);
}

function kindOf(inner: string, keyword: string | undefined, alone: boolean): ActionKind {
  return inner.startsWith('/*') ? 'comment' : keyword !== undefined ? 'control' : alone ? 'splice' : 'value';
}

/**
 * One pass over the actions in order. Whether an action stands alone on its line is decided by
 * the text outside every action; the actions that end before its line are skipped once for all.
 */
function maskActions(text: string, { spans, complete }: ReturnType<typeof tokenise>): MaskedTemplate {
  const actions: TemplateAction[] = [];
  const out: string[] = [];
  let last = 0;
  /** The first action that ends after the current line's start. */
  let open = 0;
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k] as (typeof spans)[number];
    const length = s.end - s.start;
    const nl = text.indexOf('\n', s.start);
    const multiLine = nl !== -1 && nl < s.end;
    const lineStart = lineStartOf(text, s.start);
    while (open < k && (spans[open]?.end ?? 0) <= lineStart) open++;
    const endsLine = blankOutside(text, s.end, lineEndOf(text, s.end), spans, k + 1, spans.length - 1);
    const alone = endsLine && blankOutside(text, lineStart, s.start, spans, open, k - 1);
    const keyword = s.inner.startsWith('/*') ? undefined : keywordOf(s.inner);
    const kind = kindOf(s.inner, keyword, alone);
    const indent = indentOf(s.inner);
    let masked: string | undefined;
    const before = text.slice(last, s.start);
    if (kind === 'splice' && !multiLine && INCLUDE_RE.test(s.inner)) {
      masked = includeLabel(s.inner, length, s.start - lineStart, indent, () => afterLabelsKey(tailOf(out, before)));
    } else if (kind === 'value' && !multiLine && !(endsLine && (BLOCK_RE.test(s.inner) || NAMESPACE_KEY_RE.test(text.slice(lineStart, s.start))))) {
      masked = valueFiller(s.inner, length);
    }
    out.push(before, masked ?? blank(text.slice(s.start, s.end)));
    last = s.end;
    actions.push({ start: s.start, end: s.end, kind, keyword, indent });
  }
  out.push(text.slice(last));
  return { masked: out.join(''), actions, complete };
}

/**
 * The named templates each `define` includes (`include`/`template` "name" in its body), from the
 * texts of a chart's helper files: what a labels include expands to.
 */
export function helperIncludes(texts: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const text of texts) {
    const stack: (string | undefined)[] = [];
    for (const s of tokenise(text).spans) {
      const define = /^define\s+"([^"]+)"/.exec(s.inner)?.[1];
      const keyword = keywordOf(s.inner);
      if (define !== undefined) stack.push(define);
      else if (keyword === 'end') stack.pop();
      else if (keyword !== undefined && ['if', 'with', 'range', 'block'].includes(keyword)) stack.push(undefined);
      const current = stack.find((x) => x !== undefined);
      const included = /\b(?:include|template)\s+"([^"]+)"/.exec(s.inner)?.[1];
      if (current !== undefined && included !== undefined && define === undefined) {
        const list = out.get(current) ?? [];
        if (!list.includes(included)) list.push(included);
        out.set(current, list);
      }
    }
  }
  return out;
}
