/**
 * A YAML document read as plain values (null, boolean, number, string, list, map), each with
 * the span it came from. Configuration is validated on this shape, the same one editor settings
 * (JSON) are turned into, so both are judged by one validator.
 */
import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Span } from '../types';
import { DocContext, entries, type YNode } from './nodes';
import { LIMITS, parseChunk, parseYamlChunk, type ParsedChunk } from './parse';

export type Plain =
  | { readonly kind: 'null'; readonly span?: Span }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly span?: Span }
  /** `source`: the text of an unquoted YAML scalar (`1.30` stays "1.30"); JSON numbers have none. */
  | { readonly kind: 'number'; readonly value: number; readonly source?: string; readonly span?: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span?: Span }
  | { readonly kind: 'list'; readonly items: readonly Plain[]; readonly span?: Span }
  | { readonly kind: 'map'; readonly entries: readonly PlainEntry[]; readonly span?: Span }
  /** Anything else: a tagged value, a bigint, a function, a structure nested too deep. */
  | { readonly kind: 'other'; readonly span?: Span };

export interface PlainEntry {
  readonly key: string;
  readonly keySpan?: Span;
  readonly value: Plain;
}

export type PlainDocument =
  | { readonly ok: true; readonly value: Plain | undefined }
  | { readonly ok: false; readonly message: string; readonly span: Span };

function toPlain(ctx: DocContext, node: YNode | null, depth: number): Plain {
  if (node === null) return { kind: 'null' };
  const span = ctx.span(node);
  // Objects written out whole (no spread): this runs once per node of every file a build reads.
  if (depth > LIMITS.maxNesting) return span ? { kind: 'other', span } : { kind: 'other' };
  if (isScalar(node)) {
    const v: unknown = node.value;
    if (v === null || v === undefined) return span ? { kind: 'null', span } : { kind: 'null' };
    if (typeof v === 'boolean') return span ? { kind: 'boolean', value: v, span } : { kind: 'boolean', value: v };
    if (typeof v === 'string') return span ? { kind: 'string', value: v, span } : { kind: 'string', value: v };
    if (typeof v === 'number') {
      const source = node.type === Scalar.PLAIN && typeof node.source === 'string' ? node.source : undefined;
      const n: Plain = source !== undefined ? { kind: 'number', value: v, source } : { kind: 'number', value: v };
      return span ? { ...n, span } : n;
    }
    return span ? { kind: 'other', span } : { kind: 'other' };
  }
  if (isSeq(node)) {
    const items = node.items.map((it) => toPlain(ctx, ctx.deref(it).node, depth + 1));
    return span ? { kind: 'list', items, span } : { kind: 'list', items };
  }
  if (isMap(node)) {
    const list: PlainEntry[] = entries(ctx, node).map((e) => ({ key: e.key, keySpan: e.keySpan, value: toPlain(ctx, e.value, depth + 1) }));
    return span ? { kind: 'map', entries: list, span } : { kind: 'map', entries: list };
  }
  return span ? { kind: 'other', span } : { kind: 'other' };
}

/** The first document of `text` as plain values; `value` is undefined for an empty document. `templates`: false reads `{{` as text. */
export function parsePlainDocument(text: string, templates = true): PlainDocument {
  return plainDocumentOf(templates ? parseChunk(text) : parseYamlChunk(text));
}

/** The first document of a parse (`parseChunk`) as plain values, spans shifted by `base` (the error's span is not). */
export function plainDocumentOf(parsed: ParsedChunk, base = 0): PlainDocument {
  if (parsed.error) return { ok: false, message: `YAML syntax error: ${parsed.error.message}`, span: parsed.error.span };
  if (parsed.tooDeep) return { ok: false, message: 'the file is too large or too deeply nested to read.', span: { start: 0, end: 0 } };
  const doc = parsed.docs[0];
  if (!doc || doc.contents === null) return { ok: true, value: undefined };
  const ctx = new DocContext(doc, base);
  return { ok: true, value: toPlain(ctx, ctx.deref(doc.contents).node, 0) };
}

/** Every document of `text` as plain values (undefined for an empty one); undefined when the text does not parse. */
export function parsePlainDocuments(text: string): (Plain | undefined)[] | undefined {
  const parsed = parseChunk(text);
  if (parsed.error || parsed.tooDeep) return undefined;
  return parsed.docs.map((doc) => {
    if (doc.contents === null) return undefined;
    const ctx = new DocContext(doc, 0);
    return toPlain(ctx, ctx.deref(doc.contents).node, 0);
  });
}
