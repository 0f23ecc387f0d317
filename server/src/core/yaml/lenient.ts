/**
 * Where the `yaml` library is stricter than the Go YAML parser that kubectl and the API
 * server use, so that a file the cluster accepts gets no error.
 *
 * The case handled: a quoted scalar in block context whose continuation lines sit at (or
 * left of) the indentation of the key it belongs to:
 *
 *     annotations:
 *       example.com/init: '[
 *         {"name": "wait"}
 *       ]'
 *
 * The YAML spec wants those lines indented further; `yaml` reports "Missing closing quote",
 * while go-yaml (like libyaml and PyYAML) reads a quoted scalar up to its closing quote
 * whatever the indentation. Such a scalar is masked with a same-length stand-in (an empty
 * quoted scalar followed by blank lines) so that every offset stays where it was, the
 * document is parsed again, and the scalar's node gets the value go-yaml reads.
 *
 * The same holds for a flow collection (`command: ["sh", "-c",` with the next item on a line
 * at the key's indentation): go-yaml reads it to its closing bracket. Its line breaks between
 * items are turned into spaces (same length, same value) and the document is parsed again.
 * A plain scalar continued at its key's indentation is an error for go-yaml too, and stays one.
 */
import { isScalar, Lexer, parseAllDocuments, visit, type Document } from 'yaml';
import type { Span } from '../types';

export interface LenientSpot extends Span {
  readonly kind: 'quoted' | 'flow';
}

export interface LenientParse {
  readonly docs: Document.Parsed[];
  /** The spots `yaml` rejects and go-yaml accepts. */
  readonly spots: readonly LenientSpot[];
}

const OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: false } as const;

/** Where the quoted scalar that `yaml` stopped reading at `pos` opens: the last quoted-scalar token starting at or before it. */
function quoteStartBefore(text: string, pos: number): number | undefined {
  let offset = 0;
  let found: number | undefined;
  for (const token of new Lexer().lex(text)) {
    if (offset > pos) break;
    // Control tokens (document start, scalar marker, flow error end) are not source text.
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    if (token[0] === "'" || token[0] === '"') found = offset;
    offset += token.length;
  }
  return found;
}

/** Where the outermost flow collection that `yaml` stopped reading at `pos` opens. */
function flowStartBefore(text: string, pos: number): number | undefined {
  let offset = 0;
  let depth = 0;
  let found: number | undefined;
  for (const token of new Lexer().lex(text)) {
    if (offset > pos) break;
    if (token === '\x18') depth = 0; // flow error end
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    if (token === '[' || token === '{') {
      if (depth === 0) found = offset;
      depth++;
    } else if ((token === ']' || token === '}') && depth > 0) depth--;
    offset += token.length;
  }
  return found;
}

/**
 * The flow collection opening at `start` with its line breaks between items turned into spaces,
 * and where it ends; undefined when it has a comment, a line break inside a scalar, or no end.
 */
function joinedFlow(text: string, start: number): { end: number; joined: string } | undefined {
  let depth = 0;
  let out = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text[j];
        if (d === '\n') return undefined;
        if (c === '"' && d === '\\') j++;
        else if (d === c) {
          if (c === "'" && text[j + 1] === "'") j++;
          else break;
        }
      }
      if (j >= text.length) return undefined;
      out += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '#' && /\s/.test(text[i - 1] ?? '')) return undefined;
    if (c === '\n' || c === '\r') {
      // Only between items: after an opening bracket or a separator, or before a closing one.
      const before = out.replace(/[ \t\r]+$/, '').slice(-1);
      const after = /^[\s]*(.)/.exec(text.slice(i + 1))?.[1] ?? '';
      if (!'[{,:'.includes(before) && !']},'.includes(after)) return undefined;
      if (/^(---|\.\.\.)(\s|$)/.test(text.slice(i + 1, i + 5))) return undefined;
      out += ' ';
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return { end: i + 1, joined: out + c };
    }
    out += c;
  }
  return undefined;
}

/** The end (after the closing quote) of the quoted scalar opening at `start`, as go-yaml reads it; undefined when it never closes. */
function quotedEnd(text: string, start: number): number | undefined {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      // A document marker ends the scalar in every parser.
      const rest = text.slice(i + 1, i + 5);
      if (/^(---|\.\.\.)(\s|$)/.test(rest)) return undefined;
      continue;
    }
    if (q === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return undefined;
}

/** The value go-yaml gives a multi-line quoted scalar: lines folded (a break becomes a space, an empty line a newline), continuation lines trimmed. */
function foldedValue(raw: string): string | undefined {
  const q = raw[0];
  let body = raw.slice(1, -1);
  if (q === '"') {
    if (body.includes('\\')) return undefined;
  } else body = body.replace(/''/g, "'");
  const lines = body.split(/\r?\n/);
  let out = (lines[0] ?? '').replace(/[ \t]+$/, '');
  let pendingBreaks = 0;
  for (const line of lines.slice(1)) {
    const t = line.trim();
    if (t === '') {
      pendingBreaks++;
      continue;
    }
    out += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
    pendingBreaks = 0;
    out += line.replace(/^[ \t]+/, '');
  }
  return out;
}

/**
 * Parses `text` again with every under-indented quoted scalar that go-yaml accepts masked, when
 * the first error is one. Undefined when the text has an error go-yaml would report too (as far
 * as this module knows), so that the caller keeps the error.
 */
export function parseLenient(text: string, firstError: { code: string; message: string; pos: readonly [number, number] }): LenientParse | undefined {
  let masked = text;
  const spots: LenientSpot[] = [];
  const values = new Map<number, string>();
  let error: { code: string; message: string; pos: readonly [number, number] } | undefined = firstError;
  for (let round = 0; error && round < 20; round++) {
    if (error.code === 'BAD_INDENT' && /^Flow (sequence|map) in block collection must be sufficiently indented/.test(error.message)) {
      const start = flowStartBefore(masked, error.pos[0]);
      if (start === undefined) return undefined;
      const flow = joinedFlow(masked, start);
      if (!flow || flow.joined === masked.slice(start, flow.end)) return undefined;
      masked = masked.slice(0, start) + flow.joined + masked.slice(flow.end);
      spots.push({ start, end: flow.end, kind: 'flow' });
    } else {
      if (error.code !== 'MISSING_CHAR' || !/^Missing closing ["']quote/.test(error.message)) return undefined;
      const start = quoteStartBefore(masked, error.pos[0]);
      if (start === undefined) return undefined;
      const q = masked[start];
      if (q !== "'" && q !== '"') return undefined;
      const end = quotedEnd(masked, start);
      if (end === undefined || !masked.slice(start, end).includes('\n')) return undefined;
      const raw = text.slice(start, end);
      const stand = `${q}${q}${raw.slice(2).replace(/[^\r\n]/g, ' ')}`;
      masked = masked.slice(0, start) + stand + masked.slice(end);
      spots.push({ start, end, kind: 'quoted' });
      const v = foldedValue(raw);
      if (v !== undefined) values.set(start, v);
    }
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(masked, OPTIONS) as Document.Parsed[];
    } catch {
      return undefined;
    }
    if (!Array.isArray(docs)) return undefined;
    error = undefined;
    for (const d of docs) {
      const e = d.errors[0];
      if (e) {
        error = { code: e.code, message: e.message, pos: e.pos };
        break;
      }
    }
    if (!error) {
      for (const d of docs) {
        visit(d, {
          Scalar(_key, node) {
            const at = node.range?.[0];
            if (at !== undefined && values.has(at) && isScalar(node)) node.value = values.get(at);
          },
        });
      }
      return { docs, spots };
    }
  }
  return undefined;
}
