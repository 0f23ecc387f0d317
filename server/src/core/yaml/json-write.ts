/**
 * Values written as a stream of JSON documents (`---` between them, two spaces per level), with
 * what the YAML parser reads from that text built while writing: for each document, the parse
 * `parseChunk` gives for its chunk of the text (the same nodes, values, scalar types and ranges),
 * so that the text need not be parsed again. Where the writer cannot be sure of that parse (a
 * template action `{{`, a duplicate key, nesting near the limit, a document over the size
 * limit, a character the YAML reader may read otherwise) the chunk has none and is parsed from
 * its text like any other.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Span } from '../types';
import { LIMITS, type ParsedChunk } from './parse';

export type JsonScalar = null | boolean | number | string;

/** A chunk of the written text (as `splitDocuments` cuts it) with its parse when it is certain. */
export interface WrittenChunk {
  readonly start: number;
  readonly text: string;
  readonly parsed: ParsedChunk | undefined;
}

interface Open {
  readonly node: YAMLMap | YAMLSeq;
  readonly start: number;
  readonly indent: string;
  count: number;
  /** A map's key written last, waiting for its value. */
  key?: Scalar | undefined;
  /** A map's keys so far (a duplicate makes the chunk's parse uncertain). */
  keys?: Set<string>;
}

/**
 * Characters the YAML reader reads back exactly from a JSON string: ASCII but DEL (JSON escapes
 * the control characters) and the printable ranges of Unicode, without line or paragraph
 * separators, surrogates and the byte order mark.
 */
const SAFE_STRING = /^[\x00-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;

export class JsonStreamWriter {
  /** The text of the chunk being written (kept apart: cutting a chunk off one long string would copy it each time). */
  private text = '';
  private readonly out: WrittenChunk[] = [];
  private readonly stack: Open[] = [];
  /** Where the chunk being written starts in the whole text. */
  private chunkStart = 0;
  private docs = 0;
  private contents: YAMLMap | YAMLSeq | Scalar | undefined;
  private sure = true;
  /** The parser's nesting check (`parse.ts`) run along: the depth of brackets, in strings too, and its maximum. */
  private depth = 0;
  private deepest = 0;

  /** `marker`: the first document, too, comes after a `---` line (it is not the first of the stream it goes into). */
  constructor(private readonly marker = false) {}

  /** Where the next character goes in the whole text. */
  get offset(): number {
    return this.chunkStart + this.text.length;
  }

  /** Starts a document (after a `---` line when it is not the first). */
  beginDocument(): void {
    if (this.docs > 0) {
      this.text += '\n';
      this.cut();
      this.text += '---\n';
    } else if (this.marker) this.text += '---\n';
    this.docs++;
    this.contents = undefined;
    this.sure = true;
    this.depth = 0;
    this.deepest = 0;
  }

  beginMap(): number {
    return this.open(new YAMLMap(), '{');
  }

  beginList(): number {
    return this.open(new YAMLSeq(), '[');
  }

  /** Writes a map's key; its span. */
  key(k: string): Span {
    const top = this.stack[this.stack.length - 1];
    // Only a map takes a key: anywhere else the writer's caller is wrong and the chunk is parsed from its text.
    if (!top || !(top.node instanceof YAMLMap)) {
      this.sure = false;
      return { start: this.offset, end: this.offset };
    }
    this.separate(top);
    if (top.count > 8) {
      top.keys ??= new Set(top.node.items.map((p) => String((p.key as Scalar).value)));
      if (top.keys.has(k)) this.sure = false;
      top.keys.add(k);
    } else if (top.node.items.some((p) => (p.key as Scalar).value === k)) this.sure = false;
    const start = this.offset;
    this.text += JSON.stringify(k);
    const end = this.offset;
    this.checkString(k);
    top.key = this.node(k, start, end, k, Scalar.QUOTE_DOUBLE);
    this.text += ': ';
    return { start, end };
  }

  /** Writes a scalar (a number that is not finite is written as null, as JSON does); its span. */
  scalar(v: JsonScalar): Span {
    const top = this.stack[this.stack.length - 1];
    if (top && top.node instanceof YAMLSeq) this.separate(top);
    const start = this.offset;
    if (typeof v === 'string') {
      this.text += JSON.stringify(v);
      this.checkString(v);
      this.place(this.node(v, start, this.offset, v, Scalar.QUOTE_DOUBLE));
    } else {
      const source = v === null || (typeof v === 'number' && !Number.isFinite(v)) ? 'null' : String(v);
      this.text += source;
      this.place(this.node(source === 'null' ? null : typeof v === 'number' ? Number(source) : v, start, this.offset, source, Scalar.PLAIN));
    }
    return { start, end: this.offset };
  }

  /** A scalar node, its fields set in the order the parser sets them (so both kinds of node share one shape). */
  private node(value: JsonScalar, start: number, end: number, source: string, type: Scalar.Type): Scalar {
    const node = new Scalar(value);
    node.range = this.range(start, end);
    node.source = source;
    node.type = type;
    return node;
  }

  endMap(): Span {
    return this.close('}');
  }

  endList(): Span {
    return this.close(']');
  }

  /** Ends the document; a collection left open makes its parse uncertain. */
  endDocument(): void {
    if (this.stack.length > 0) this.sure = false;
  }

  /** The text (with a final newline) and its chunks. */
  finish(): { text: string; chunks: readonly WrittenChunk[] } {
    this.text += '\n';
    this.cut();
    return { text: this.out.map((c) => c.text).join(''), chunks: this.out };
  }

  private open(node: YAMLMap | YAMLSeq, bracket: string): number {
    const top = this.stack[this.stack.length - 1];
    if (top && top.node instanceof YAMLSeq) this.separate(top);
    const start = this.offset;
    this.text += bracket;
    node.flow = true;
    this.stack.push({ node, start, indent: (top?.indent ?? '') + (top ? '  ' : ''), count: 0 });
    this.bracket(91);
    return start;
  }

  private close(bracket: string): Span {
    const top = this.stack.pop();
    if (!top) return { start: this.offset, end: this.offset };
    this.bracket(93);
    if (top.count === 0) this.text += bracket;
    else this.text += `\n${top.indent}${bracket}`;
    const end = this.offset;
    top.node.range = this.range(top.start, end);
    this.place(top.node);
    return { start: top.start, end };
  }

  /** The comma, newline and indentation before an entry or item. */
  private separate(top: Open): void {
    this.text += `${top.count === 0 ? '' : ','}\n${top.indent}  `;
    top.count++;
  }

  private place(node: YAMLMap | YAMLSeq | Scalar): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.contents = node;
    else if (top.node instanceof YAMLSeq) top.node.items.push(node);
    else if (top.key) {
      top.node.items.push(new Pair(top.key, node));
      top.key = undefined;
    }
  }

  /** A node's range in its chunk, from offsets in the whole text. */
  private range(start: number, end: number): [number, number, number] {
    return [start - this.chunkStart, end - this.chunkStart, end - this.chunkStart];
  }

  private checkString(s: string): void {
    if (!SAFE_STRING.test(s)) this.sure = false;
    if (/[[\]{}]/.test(s)) for (let i = 0; i < s.length; i++) this.bracket(s.charCodeAt(i));
  }

  /** One character as the nesting check counts it: an opening bracket nests, a closing one (never below 0) returns. */
  private bracket(c: number): void {
    if (c === 91 || c === 123) {
      this.depth++;
      if (this.depth > this.deepest) this.deepest = this.depth;
    } else if ((c === 93 || c === 125) && this.depth > 0) this.depth--;
  }

  /** Ends the chunk written so far, with its parse when it is certain. */
  private cut(): void {
    const text = this.text;
    let parsed: ParsedChunk | undefined;
    const contents = this.contents;
    // Lines are indented two spaces per open collection, never deeper than the brackets counted: the check's column bound holds too.
    if (contents && this.sure && this.deepest < LIMITS.maxNesting && text.length <= LIMITS.maxDocumentChars && !text.includes('{{')) {
      const doc = new Document(null) as Document.Parsed;
      doc.contents = contents as Document.Parsed['contents'];
      doc.range = [0, text.length, text.length];
      if (text.startsWith('---')) doc.directives.docStart = true;
      parsed = { docs: [doc], error: undefined, tooDeep: false };
    }
    this.out.push({ start: this.chunkStart, text, parsed });
    this.chunkStart += text.length;
    this.text = '';
  }
}
