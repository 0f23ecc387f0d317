/**
 * Splitting a file into YAML documents and parsing each one with positions. Documents are
 * parsed one by one so that a front end can cache them by their text and re-parse only
 * what an edit touched.
 */
import { isMap, isSeq, isScalar, parseAllDocuments, type Document } from 'yaml';
import type { Span } from '../types';
import { parseLenient } from './lenient';
import { hasTemplateSyntax, maskTemplate, type TemplateAction } from './helm';
import type { ResolvedValue, ValuesTree } from './helm-values';

/** Hard limits that keep analysis bounded on hostile input. */
export const LIMITS = {
  /** Files longer than this (UTF-16 units) are not analysed. */
  maxFileChars: 8 * 1024 * 1024,
  /** Alias resolutions per document before the rest are treated as absent. */
  maxAliasResolutions: 1000,
  /** Deeper flow/block nesting than this is not parsed (the parser recurses). */
  maxNesting: 500,
  /** One YAML document longer than this is not parsed: it bounds the time one parse can take. */
  maxDocumentChars: 1024 * 1024,
} as const;

export interface Chunk {
  /** Offset of the chunk in the file. */
  readonly start: number;
  readonly text: string;
}

/**
 * Splits at lines that start with the document marker `---`. The YAML spec forbids such a
 * line inside any scalar, so the split never cuts a value. Files with `%` directives are
 * kept whole (the directive belongs to the document after the next marker).
 */
export function splitDocuments(text: string): Chunk[] {
  if (/^%/m.test(text)) return [{ start: 0, text }];
  const chunks: Chunk[] = [];
  const re = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index === 0) continue;
    chunks.push({ start, text: text.slice(start, m.index) });
    start = m.index;
  }
  chunks.push({ start, text: text.slice(start) });
  return chunks;
}

export interface SyntaxProblem {
  readonly message: string;
  /** Relative to the chunk. */
  readonly span: Span;
}

export interface ParsedChunk {
  readonly docs: readonly Document.Parsed[];
  readonly error: SyntaxProblem | undefined;
  /** Not parsed at all: see `skipReason`. */
  readonly tooDeep: boolean;
  readonly skipReason?: 'nesting' | 'size';
  /** Spots the `yaml` library rejects but the Go YAML parser of kubectl accepts (the documents were read as go-yaml reads them). */
  readonly lenient?: readonly SyntaxProblem[];
  /** A Go template: parsed from its masked text (same offsets); its actions, relative to the chunk. */
  readonly template?: { readonly actions: readonly TemplateAction[]; readonly masked: string; readonly resolved?: readonly ResolvedValue[] };
}

/**
 * Column where a line's content starts, counting block indicators (`- `, `? `, `: `) as
 * indentation: `- - - x` nests three sequences on one line, and the parser recurses per level.
 */
function contentColumn(text: string, lineStart: number): number {
  let j = lineStart;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 32) j++;
    else if ((c === 45 || c === 63 || c === 58) && (text.charCodeAt(j + 1) === 32 || text.charCodeAt(j + 1) === 9)) j += 2;
    else if (c === 9 && j > lineStart) j++;
    else break;
  }
  return j - lineStart;
}

/** Rough nesting depth: the deepest run of open brackets or the widest indentation step count. */
function nestingTooDeep(text: string): boolean {
  let depth = 0;
  let max = 0;
  if (contentColumn(text, 0) > LIMITS.maxNesting * 2) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 10) {
      if (contentColumn(text, i + 1) > LIMITS.maxNesting * 2) return true;
    }
  }
  return max > LIMITS.maxNesting;
}

/**
 * Parses a document; a Go template is parsed from its masked text (helm.ts), where
 * duplicate keys are allowed: `if`/`else` branches may each write the same key. With a chart's
 * values, the template is read with them applied (helm-values.ts).
 */
export function parseChunk(text: string, values?: ValuesTree): ParsedChunk {
  if (!hasTemplateSyntax(text)) return parsePlain(text, true);
  const m = maskTemplate(text, values);
  if (!m.complete) return { docs: [], error: { message: 'template action not closed', span: { start: 0, end: 0 } }, tooDeep: false, template: m };
  return { ...parsePlain(m.masked, false), template: m };
}

/** Parses a document as YAML only, never as a template (a chart's values file). */
export function parseYamlChunk(text: string): ParsedChunk {
  return parsePlain(text, true);
}

function parsePlain(text: string, uniqueKeys: boolean): ParsedChunk {
  if (text.length > LIMITS.maxDocumentChars) return { docs: [], error: undefined, tooDeep: true, skipReason: 'size' };
  if (nestingTooDeep(text)) return { docs: [], error: undefined, tooDeep: true, skipReason: 'nesting' };
  let docs: Document.Parsed[];
  try {
    // Unique keys are checked below in one pass: `yaml` scans the map once per key, which takes
    // minutes on a map of 100,000 keys.
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: false }) as Document.Parsed[];
  } catch (e) {
    // parseAllDocuments returns an EmptyStream or documents; it should not throw, but a stack
    // overflow on pathological input must not escape.
    return {
      docs: [],
      error: { message: `YAML could not be parsed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } },
      tooDeep: false,
    };
  }
  if (!Array.isArray(docs)) docs = [];
  let lenient: SyntaxProblem[] | undefined;
  const firstError = docs.find((d) => d.errors.length > 0)?.errors[0];
  if (firstError) {
    const l = parseLenient(text, firstError);
    if (l) {
      docs = l.docs;
      lenient = l.spots.map((spot) => ({
        message:
          `${spot.kind === 'quoted' ? 'A quoted value' : 'A flow collection ([ ] or { })'} continues on a line indented no further than its key. ` +
          'kubectl accepts this, but the YAML spec and stricter tools do not: indent the continuation lines.',
        span: { start: spot.start, end: spot.end },
      }));
    }
  }
  for (const d of docs) {
    const err = d.errors[0];
    if (err) {
      const [s, e] = err.pos;
      return { docs, error: { message: cleanMessage(err.message), span: { start: s, end: Math.max(s, e) } }, tooDeep: false };
    }
    const dup = uniqueKeys ? firstDuplicateKey(d.contents, 0) : undefined;
    if (dup) return { docs, error: { message: 'Map keys must be unique', span: dup }, tooDeep: false };
  }
  return lenient ? { docs, error: undefined, tooDeep: false, lenient } : { docs, error: undefined, tooDeep: false };
}

/**
 * The first scalar key that repeats within one map, in document order, as `yaml` would report it
 * with `uniqueKeys: true` (keys equal when their values are ===; aliases and collections as keys
 * never are). One set per map: linear in the size of the document.
 */
function firstDuplicateKey(node: unknown, depth: number): Span | undefined {
  if (depth > LIMITS.maxNesting * 2) return undefined;
  if (isMap(node)) {
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const k = pair.key;
      if (isScalar(k) && !(typeof k.value === 'number' && Number.isNaN(k.value))) {
        if (seen.has(k.value)) {
          const at = k.range?.[0] ?? 0;
          return { start: at, end: at + 1 };
        }
        seen.add(k.value);
      }
      const inner = firstDuplicateKey(k, depth + 1) ?? firstDuplicateKey(pair.value, depth + 1);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = firstDuplicateKey(item, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

function cleanMessage(m: string): string {
  const first = m.split('\n')[0] ?? m;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}
