/** Files and inline strings read as traced documents, every span placed in the file that holds it. */
import type { Span } from '../types';
import { parseChunk, splitDocuments, type ParsedChunk } from '../yaml/parse';
import { plainDocumentOf } from '../yaml/plain';
import { literalBlockMap } from '../yaml/scalar-text';
import type { KustomizeHost, Src, Traced } from './index';
import { fromPlain } from './traced';

export interface TracedDoc {
  readonly value: Traced;
  /** The document's span in the file. */
  readonly span?: Span;
}

export type ReadResult =
  | { readonly ok: true; readonly docs: readonly TracedDoc[] }
  | { readonly ok: false; readonly message: string; readonly span?: Span };

/** The parse of a document's text, through the caller's shared parses when it keeps them. */
function parseShared(text: string, parses: Map<string, ParsedChunk> | undefined): ParsedChunk {
  let p = parses?.get(text);
  if (!p) {
    p = parseChunk(text);
    parses?.set(text, p);
  }
  return p;
}

/** Every non-empty document of `text`; `place` maps a span in `text` to a span in `file` (without it, `text` is the file's). */
export function readDocuments(text: string, file: string, place?: (s: Span) => Span | undefined, parses?: Map<string, ParsedChunk>): ReadResult {
  const docs: TracedDoc[] = [];
  for (const chunk of splitDocuments(text)) {
    const shift = (s: Span): Span => ({ start: s.start + chunk.start, end: s.end + chunk.start });
    const inChunk = place ? (s: Span): Span | undefined => place(shift(s)) : shift;
    // A file's own spans are read at its offsets at once.
    const parsed = plainDocumentOf(parseShared(chunk.text, parses), place ? 0 : chunk.start);
    if (!parsed.ok) {
      const span = inChunk(parsed.span);
      return span ? { ok: false, message: parsed.message, span } : { ok: false, message: parsed.message };
    }
    if (!parsed.value) continue;
    const value = place ? fromPlain(parsed.value, file, inChunk) : fromPlain(parsed.value, file);
    const span = value.src?.span;
    docs.push(span ? { value, span } : { value });
  }
  return { ok: true, docs };
}

/** `readDocuments` of a whole file, through the caller's memo of files already read. */
export function readFileDocuments(text: string, file: string, host: KustomizeHost): ReadResult {
  const memo = host.parsed;
  const hit = memo?.get(file);
  if (hit && hit.text === text) return hit.docs as ReadResult;
  const read = readDocuments(text, file, undefined, host.parses);
  memo?.set(file, { text, docs: read });
  return read;
}

/**
 * The documents of a string written inside `file` (an inline patch): spans map to the text's own
 * characters when the string is a literal block scalar read exactly, else to the whole value.
 * Read once while the file's text is the same (a component's inline patch, applied wherever it is used).
 */
export function readInline(node: Traced, fileText: string, host: KustomizeHost): ReadResult | undefined {
  if (node.kind !== 'string' || !node.src) return undefined;
  const whole = node.src.span;
  const memo = host.parsed;
  if (!memo || !whole) return readInlineNow(node, node.src, fileText, host);
  // One entry per file: its inline patches by span, forgotten when the file's text changes.
  const key = `${node.src.file}\u0000inline`;
  let entry = memo.get(key);
  if (!entry || entry.text !== fileText) {
    entry = { text: fileText, docs: new Map<string, ReadResult>() };
    memo.set(key, entry);
  }
  const bySpan = entry.docs as Map<string, ReadResult>;
  const at = `${whole.start}:${whole.end}`;
  let read = bySpan.get(at);
  if (!read) {
    read = readInlineNow(node, node.src, fileText, host);
    bySpan.set(at, read);
  }
  return read;
}

function readInlineNow(node: Extract<Traced, { kind: 'string' }>, src: Src, fileText: string, host: KustomizeHost): ReadResult {
  const whole = src.span;
  const map = whole ? literalBlockMap(fileText, whole, node.value) : undefined;
  const place = (s: Span): Span | undefined => {
    if (!map || map.length === 0) return whole;
    const at = (i: number): number => map[Math.max(0, Math.min(i, map.length - 1))] ?? 0;
    return { start: at(s.start), end: at(s.end) };
  };
  return readDocuments(node.value, src.file, place, host.parses);
}
