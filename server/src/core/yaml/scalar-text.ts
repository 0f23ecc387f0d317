/**
 * Edits inside a string scalar: where a character of the scalar's value sits in the file.
 * Supported are the styles whose text maps one-to-one onto the value, checked by decoding
 * the source and comparing with the parsed value: one-line plain, single- and double-quoted
 * scalars (double-quoted only with `\\`, `\"` and `\/` escapes), and literal block scalars
 * (`|`, `|-`, `|+`) without an indentation indicator. Folded scalars and anything that does
 * not decode to the parsed value get no mapping, so no edit.
 */
import type { Span, TextEdit } from '../types';
import { isScalarNode, type DocContext, type YNode } from './nodes';
import { lineEndOf } from './text';

/** Value offset → file offset, for every offset 0..value.length (the end included). */
export type ScalarMap = readonly number[];

export function scalarTextMap(ctx: DocContext, text: string, node: YNode | null): ScalarMap | undefined {
  if (!isScalarNode(node) || !node.range || typeof node.value !== 'string') return undefined;
  const value = node.value;
  const start = ctx.base + node.range[0];
  const end = ctx.base + node.range[1];
  const src = text.slice(start, end);
  let map: number[] | undefined;
  switch (node.type) {
    case 'PLAIN':
      if (/[\r\n]/.test(src)) return undefined;
      map = [];
      for (let i = 0; i <= src.length; i++) map.push(start + i);
      return src === value ? map : undefined;
    case 'QUOTE_SINGLE':
      map = decodeQuoted(src, start, "'", value);
      return map;
    case 'QUOTE_DOUBLE':
      map = decodeQuoted(src, start, '"', value);
      return map;
    case 'BLOCK_LITERAL':
      return decodeLiteral(text, start, end, value);
    default:
      return undefined;
  }
}

function decodeQuoted(src: string, start: number, q: "'" | '"', value: string): number[] | undefined {
  if (/[\r\n]/.test(src) || src.length < 2 || src[0] !== q || src[src.length - 1] !== q) return undefined;
  const map: number[] = [];
  let out = '';
  let i = 1;
  const last = src.length - 1;
  while (i < last) {
    const c = src[i] as string;
    if (q === "'" && c === "'") {
      if (src[i + 1] !== "'") return undefined;
      map.push(start + i);
      out += "'";
      i += 2;
      continue;
    }
    if (q === '"' && c === '\\') {
      const e = src[i + 1];
      if (e !== '\\' && e !== '"' && e !== '/') return undefined;
      map.push(start + i);
      out += e;
      i += 2;
      continue;
    }
    map.push(start + i);
    out += c;
    i++;
  }
  map.push(start + last);
  return out === value ? map : undefined;
}

function decodeLiteral(text: string, start: number, end: number, value: string): number[] | undefined {
  const headerEnd = lineEndOf(text, start);
  const header = text.slice(start, headerEnd).replace(/\s+#.*$/, '').trimEnd();
  if (!/^\|[+-]?$/.test(header)) return undefined;
  // Content lines: from the line after the header to the end of the node.
  let at = text.indexOf('\n', headerEnd);
  if (at === -1) return undefined;
  at++;
  const lines: { start: number; content: string }[] = [];
  while (at < end) {
    const le = lineEndOf(text, at);
    lines.push({ start: at, content: text.slice(at, le) });
    const nl = text.indexOf('\n', le);
    if (nl === -1) break;
    at = nl + 1;
  }
  const firstText = lines.find((l) => l.content.trim() !== '');
  if (!firstText) return undefined;
  const indent = /^ */.exec(firstText.content)?.[0].length ?? 0;
  if (indent === 0) return undefined;
  const map: number[] = [];
  let out = '';
  for (let li = 0; li < lines.length; li++) {
    const l = lines[li] as { start: number; content: string };
    if (li > 0) {
      const prev = lines[li - 1] as { start: number; content: string };
      map.push(prev.start + prev.content.length);
      out += '\n';
    }
    if (l.content.trim() === '') {
      if (l.content.length > indent) return undefined;
      continue;
    }
    if (!l.content.startsWith(' '.repeat(indent))) return undefined;
    const body = l.content.slice(indent);
    for (let k = 0; k < body.length; k++) map.push(l.start + indent + k);
    out += body;
  }
  const lastLine = lines[lines.length - 1] as { start: number; content: string };
  map.push(lastLine.start + lastLine.content.length);
  // Chomping only changes trailing newlines.
  if (out.replace(/\n+$/, '') !== value.replace(/\n+$/, '')) return undefined;
  return map;
}

/**
 * Value offset → file offset for a literal block scalar (`|`, `|-`, `|+`) whose node spans
 * `span` in `text` and whose parsed value is `value`; undefined when the mapping is not exact.
 */
export function literalBlockMap(text: string, span: Span, value: string): ScalarMap | undefined {
  if (text[span.start] !== '|') return undefined;
  return decodeLiteral(text, span.start, span.end, value);
}

/** Inserts `insert` before the value character at `offset`; undefined when no exact mapping exists. */
export function insertInScalar(ctx: DocContext, text: string, node: YNode | null, offset: number, insert: string): TextEdit | undefined {
  const map = scalarTextMap(ctx, text, node);
  const at = map?.[offset];
  if (at === undefined) return undefined;
  return { start: at, end: at, newText: insert };
}

/** Replaces value characters [from, to) with `replacement` (which must need no escaping in any style). */
export function replaceInScalar(ctx: DocContext, text: string, node: YNode | null, from: number, to: number, replacement: string): TextEdit | undefined {
  if (!/^[A-Za-z0-9 ._-]*$/.test(replacement)) return undefined;
  const map = scalarTextMap(ctx, text, node);
  if (!map || to <= from) return undefined;
  const s = map[from];
  const last = map[to - 1];
  if (s === undefined || last === undefined) return undefined;
  // The replaced characters must be contiguous in the source (no escapes, no line breaks).
  if (last - s !== to - 1 - from) return undefined;
  return { start: s, end: last + 1, newText: replacement };
}
