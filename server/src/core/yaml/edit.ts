/**
 * Minimal text edits on YAML source: insert a key into a map, set a scalar. Only the new
 * snippet is rendered; it follows the file's indentation step, quote style and line ending.
 * Every builder returns undefined when it cannot show the edit is safe (aliases, merges,
 * keep-chomped block scalars, comments inside flow collections, ...).
 */
import { isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import type { TextEdit } from '../types';
import type { DocContext, YMap } from './nodes';
import { emptyFlowToBlock } from './placement';
import { columnOf, detectEol, lineEndOf, lineStartOf, onlyIndentBefore } from './text';

/** Values a snippet may hold: nested maps of scalars, and lists of strings rendered in flow style. */
export type SnippetValue = number | string | readonly string[] | { readonly [key: string]: SnippetValue };

/** File-wide formatting conventions, inferred once per file. */
export interface Style {
  readonly eol: '\n' | '\r\n';
  readonly indentStep: number;
  readonly quote: '"' | "'";
}

export function inferStyle(text: string): Style {
  return { eol: detectEol(text), indentStep: inferIndentStep(text), quote: inferQuote(text) };
}

/** The most common indentation increase after a line that ends with a bare key ("key:"). */
function inferIndentStep(text: string): number {
  const counts = new Map<number, number>();
  // A byte order mark is not indentation.
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n', 4000);
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (!/^\s*(- )?[^#\s][^#]*:\s*(#.*)?$/.test(line)) continue;
    let j = i + 1;
    while (j < lines.length && /^\s*(#.*)?\r?$/.test(lines[j] ?? '')) j++;
    const next = lines[j];
    if (next === undefined || /^\s*- /.test(next)) continue;
    const keyCol = line.search(/[^\s-]/) === -1 ? 0 : keyColumn(line);
    const nextCol = next.search(/\S/);
    const d = nextCol - keyCol;
    if (d > 0 && d <= 8) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 2;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

function keyColumn(line: string): number {
  const m = /^(\s*)(?:-\s+)*/.exec(line);
  return m ? m[0].length : 0;
}

function inferQuote(text: string): '"' | "'" {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const dq = (sample.match(/[:\-[,]\s*"/g) ?? []).length;
  const sq = (sample.match(/[:\-[,]\s*'/g) ?? []).length;
  return sq > dq ? "'" : '"';
}

function quoteString(s: string, q: '"' | "'"): string {
  if (q === "'") return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function renderScalar(v: number | string, style: Style): string {
  if (typeof v === 'number') return String(v);
  return /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v) ? v : quoteString(v, style.quote);
}

function renderKey(k: string, quoted: boolean, style: Style): string {
  return quoted ? quoteString(k, style.quote) : k;
}

export function renderFlow(v: SnippetValue, style: Style, quoteKeys = false): string {
  if (typeof v === 'number' || typeof v === 'string') return renderScalar(v, style);
  if (Array.isArray(v)) return `[${(v as readonly string[]).map((s) => quoteString(s, style.quote)).join(', ')}]`;
  const obj = v as { readonly [key: string]: SnippetValue };
  return `{${Object.keys(obj)
    .map((k) => `${renderKey(k, quoteKeys, style)}: ${renderFlow(obj[k] as SnippetValue, style, quoteKeys)}`)
    .join(', ')}}`;
}

/**
 * True when the document is written in JSON: its root is a flow collection whose keys are
 * double-quoted. Edits in such a document are rendered as JSON (quoted keys and strings,
 * `{ }` / `[ ]`, commas), so that it stays JSON.
 */
export function jsonDocument(ctx: DocContext): boolean {
  const root = ctx.doc.contents;
  if (isSeq(root) && root.flow) return true;
  if (!isMap(root) || !root.flow) return false;
  const first = root.items[0] as { key?: unknown } | undefined;
  return first === undefined || (isScalar(first.key) && first.key.type === Scalar.QUOTE_DOUBLE);
}

/** A snippet as JSON with YAML flow spacing: `{"a": 1, "b": ["x", "y"]}`. */
export function renderJson(v: SnippetValue): string {
  if (typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${(v as readonly string[]).map((s) => JSON.stringify(s)).join(', ')}]`;
  const obj = v as { readonly [key: string]: SnippetValue };
  return `{${Object.keys(obj)
    .map((k) => `${JSON.stringify(k)}: ${renderJson(obj[k] as SnippetValue)}`)
    .join(', ')}}`;
}

/** `key: value` in flow style: JSON in a JSON document. */
export function renderFlowEntry(ctx: DocContext, key: string, v: SnippetValue, style: Style, quoteKeys = false): string {
  if (jsonDocument(ctx)) return `${JSON.stringify(key)}: ${renderJson(v)}`;
  return `${renderKey(key, quoteKeys, style)}: ${renderFlow(v, style, quoteKeys)}`;
}

/** Renders `key: value` as block lines; the first line carries no indentation, the rest `indent + step*depth`. */
function renderBlockEntry(key: string, v: SnippetValue, indent: number, style: Style): string {
  if (typeof v === 'number' || typeof v === 'string' || Array.isArray(v)) return `${key}: ${renderFlow(v, style)}`;
  const obj = v as { readonly [key: string]: SnippetValue };
  const inner = indent + style.indentStep;
  return (
    `${key}:` +
    Object.keys(obj)
      .map((k) => `${style.eol}${' '.repeat(inner)}${renderBlockEntry(k, obj[k] as SnippetValue, inner, style)}`)
      .join('')
  );
}

/**
 * Where the content of a node ends: the last non-blank character that belongs to it.
 * Undefined when the node ends with a block scalar that keeps trailing newlines.
 */
function contentEnd(ctx: DocContext, node: unknown, text: string): number | undefined {
  if (isScalar(node)) {
    const r = node.range;
    if (!r) return undefined;
    if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
      const header = text.slice(ctx.base + r[0], lineEndOf(text, ctx.base + r[0]));
      if (/^[|>][0-9]*\+|^[|>]\+/.test(header)) return undefined;
    }
    let end = ctx.base + r[1];
    while (end > ctx.base + r[0] && /\s/.test(text[end - 1] ?? '')) end--;
    return end;
  }
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items[node.items.length - 1];
    if (last === undefined) return undefined;
    if (isMap(node)) {
      const pair = last as { key: unknown; value: unknown };
      const v = pair.value;
      if (v === null || v === undefined || (isScalar(v) && v.value === null && !v.range?.[1])) {
        const k = contentEnd(ctx, pair.key, text);
        return k === undefined ? undefined : lineEndOf(text, k);
      }
      if (isScalar(v) && v.value === null) {
        const k = contentEnd(ctx, pair.key, text);
        return k === undefined ? undefined : Math.max(k, ctx.base + (v.range?.[0] ?? 0));
      }
      return contentEnd(ctx, v, text);
    }
    return contentEnd(ctx, last, text);
  }
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? ctx.base + r[1] : undefined;
}

export interface InsertOptions {
  /** Insert before the first of these keys that exists and starts its own line. */
  readonly before?: readonly string[];
}

/** Inserts `key: value` into a map (block or flow). Undefined when no safe place exists. */
export function insertEntry(
  ctx: DocContext,
  text: string,
  map: YMap,
  key: string,
  value: SnippetValue,
  style: Style,
  opts: InsertOptions = {},
): TextEdit | undefined {
  if (map.flow) return insertIntoFlowMap(ctx, text, map, key, value, style);
  const pairs = map.items as { key: unknown; value: unknown }[];
  const first = pairs[0];
  if (!first || !isScalar(first.key) || !first.key.range) return undefined;
  const firstKeyStart = ctx.base + first.key.range[0];
  const col = columnOf(text, firstKeyStart);
  for (const name of opts.before ?? []) {
    const index = pairs.findIndex((p) => isScalar(p.key) && p.key.value === name);
    const pair = pairs[index];
    const kr = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (!kr) continue;
    const at = ctx.base + kr[0];
    if (!onlyIndentBefore(text, at) || columnOf(text, at) !== col) continue;
    // Comments right above the key stay attached to it (a disable-next-line directive among
    // them keeps its target), but only those after the previous entry's content: `#` lines at
    // the end of a block scalar belong to the scalar.
    const prev = pairs[index - 1];
    const floor = prev === undefined ? 0 : contentEnd(ctx, prev.value ?? prev.key, text);
    if (floor === undefined) continue;
    let lineStart = lineStartOf(text, at);
    while (lineStart > floor) {
      const prevStart = lineStartOf(text, lineStart - 1);
      if (prevStart <= floor) break;
      const prevLine = text.slice(prevStart, lineStart).trim();
      if (!prevLine.startsWith('#')) break;
      lineStart = prevStart;
    }
    return { start: lineStart, end: lineStart, newText: `${' '.repeat(col)}${renderBlockEntry(key, value, col, style)}${style.eol}` };
  }
  const end = contentEnd(ctx, map, text);
  if (end === undefined) return undefined;
  const at = lineEndOf(text, end);
  return { start: at, end: at, newText: `${style.eol}${' '.repeat(col)}${renderBlockEntry(key, value, col, style)}` };
}

function insertIntoFlowMap(ctx: DocContext, text: string, map: YMap, key: string, value: SnippetValue, style: Style): TextEdit | undefined {
  const r = map.range;
  if (!r) return undefined;
  let close = ctx.base + r[1] - 1;
  while (close > ctx.base + r[0] && /\s/.test(text[close] ?? '')) close--;
  if (text[close] !== '}') return undefined;
  const inner = text.slice(ctx.base + r[0] + 1, close);
  if (inner.includes('#')) {
    // A comment inside the flow map (or a '#' in a scalar): do not risk it.
    return undefined;
  }
  const pairs = map.items as { key: unknown; value: unknown }[];
  const quoteKeys = pairs.some((p) => isScalar(p.key) && (p.key.type === Scalar.QUOTE_DOUBLE || p.key.type === Scalar.QUOTE_SINGLE));
  const entry = renderFlowEntry(ctx, key, value, style, quoteKeys);
  if (pairs.length === 0) return { start: close, end: close, newText: entry };
  // After the last non-blank character before the closing brace.
  let last = close - 1;
  while (last > ctx.base + r[0] && /\s/.test(text[last] ?? '')) last--;
  const trailingComma = text[last] === ',';
  const multiline = inner.includes('\n');
  if (multiline) {
    const lastPair = pairs[pairs.length - 1];
    const lk = lastPair && isScalar(lastPair.key) ? lastPair.key.range : undefined;
    if (!lk) return undefined;
    const keyAt = ctx.base + lk[0];
    if (!onlyIndentBefore(text, keyAt)) return { start: last + 1, end: last + 1, newText: `${trailingComma ? '' : ','} ${entry}` };
    const col = columnOf(text, keyAt);
    return { start: last + 1, end: last + 1, newText: `${trailingComma ? '' : ','}${style.eol}${' '.repeat(col)}${entry}${trailingComma ? ',' : ''}` };
  }
  return { start: last + 1, end: last + 1, newText: trailingComma ? ` ${entry},` : `, ${entry}` };
}

/** Replaces an empty value (`key:` or `key: {}`) with a map. */
export function fillEmptyValue(
  ctx: DocContext,
  text: string,
  pair: { key: unknown; value: unknown },
  value: { readonly [key: string]: SnippetValue },
  style: Style,
): TextEdit | undefined {
  if (!isScalar(pair.key) || !pair.key.range) return undefined;
  const keyStart = ctx.base + pair.key.range[0];
  const col = columnOf(text, keyStart);
  const v = pair.value;
  const asBlock = Object.keys(value)
    .map((k) => `${style.eol}${' '.repeat(col + style.indentStep)}${renderBlockEntry(k, value[k] as SnippetValue, col + style.indentStep, style)}`)
    .join('');
  if (v === null || v === undefined || (isScalar(v) && v.value === null && (v.source === '' || v.source === undefined))) {
    const colon = text.indexOf(':', ctx.base + pair.key.range[1]);
    if (colon === -1) return undefined;
    const rest = text.slice(colon + 1, lineEndOf(text, colon));
    if (!/^\s*(#.*)?$/.test(rest)) return undefined;
    if (!onlyIndentBefore(text, keyStart) && !/^\s*-\s+$/.test(text.slice(lineStartOf(text, keyStart), keyStart))) return undefined;
    const at = lineEndOf(text, colon);
    return { start: at, end: at, newText: asBlock };
  }
  const flow = jsonDocument(ctx) ? renderJson(value) : renderFlow(value, style);
  if (isScalar(v) && v.value === null && v.range) {
    // An explicit null such as `~` or `null`.
    const s = ctx.base + v.range[0];
    const e = ctx.base + v.range[1];
    return { start: s, end: e, newText: flow };
  }
  if (isMap(v) && v.flow && v.items.length === 0 && v.range) {
    const block = emptyFlowToBlock(ctx, text, pair, asBlock);
    if (block) return block;
    const s = ctx.base + v.range[0];
    const e = ctx.base + v.range[1];
    return { start: s, end: e, newText: flow };
  }
  return undefined;
}

/** Replaces a plain scalar's text, keeping everything around it. */
export function replaceScalar(ctx: DocContext, node: Node | null, newText: string): TextEdit | undefined {
  if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) return undefined;
  return { start: ctx.base + node.range[0], end: ctx.base + node.range[1], newText };
}

/** Sets an existing pair's empty value (`key:`) to a scalar. */
export function fillEmptyScalar(ctx: DocContext, text: string, pair: { key: unknown; value: unknown }, newText: string): TextEdit | undefined {
  if (!isScalar(pair.key) || !pair.key.range) return undefined;
  const v = pair.value;
  if (v !== null && v !== undefined && !(isScalar(v) && v.value === null)) return undefined;
  if (isScalar(v) && v.value === null && v.range && v.range[1] > v.range[0]) {
    return { start: ctx.base + v.range[0], end: ctx.base + v.range[1], newText };
  }
  const colon = text.indexOf(':', ctx.base + pair.key.range[1]);
  if (colon === -1) return undefined;
  return { start: colon + 1, end: colon + 1, newText: ` ${newText}` };
}
