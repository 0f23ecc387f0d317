/**
 * The objects a kustomize build emits, written out as a YAML stream of JSON documents that the
 * analyzer reads like any file, with an index from every rendered key and value back to the
 * node it came from, so a finding on the rendered text can be placed in the file that wrote it.
 * The text's parse is built while writing (`yaml/json-write.ts`), so the analysis does not parse
 * the text again; an object several builds emit alike (the same value) is written once.
 */
import type { Span } from '../types';
import type { Src, Traced } from '../kustomize';
import { JsonStreamWriter, type WrittenChunk } from '../yaml/json-write';

/** One object written as a chunk of the stream, its nodes in document order (so starts never decrease), offsets in the chunk. */
interface RenderedObject {
  readonly chunk: WrittenChunk;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly parents: readonly number[];
  readonly srcs: readonly (Src | undefined)[];
  /** Number values (not keys) by their start: what a fix may rewrite in the file that wrote them. */
  readonly numbers: ReadonlyMap<number, number>;
}

/** Objects already written, by value, as the first document of a stream and as a later one. */
export type RenderCache = Map<Traced, { first?: RenderedObject; later?: RenderedObject }>;

export interface Rendered {
  readonly text: string;
  /** The text's chunks (as `splitDocuments` cuts it), each with its parse where the writer is sure of it. */
  readonly chunks: readonly WrittenChunk[];
  /** The innermost rendered node at `offset` mapped to where it was written (its closest written ancestor). */
  sourceAt(offset: number): Src | undefined;
  /** Where the number rendered exactly at `span` was written, when a file wrote it there. */
  numberAt(span: Span): Src | undefined;
}

/** Writes one traced value as a document, recording each node. */
class Writer {
  readonly w: JsonStreamWriter;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly parents: number[] = [];
  readonly srcs: (Src | undefined)[] = [];
  readonly numbers = new Map<number, number>();

  constructor(later: boolean) {
    this.w = new JsonStreamWriter(later);
  }

  private push(start: number, src: Src | undefined, parent: number): number {
    this.starts.push(start);
    this.ends.push(start);
    this.parents.push(parent);
    this.srcs.push(src);
    return this.starts.length - 1;
  }

  object(t: Traced, parent: number): void {
    const self = this.push(this.w.offset, t.src, parent);
    let span: Span;
    if (t.kind === 'map') {
      this.starts[self] = this.w.beginMap();
      for (const e of t.entries) {
        const k = this.w.key(e.key);
        this.ends[this.push(k.start, e.keySrc, self)] = k.end;
        this.object(e.value, self);
      }
      span = this.w.endMap();
    } else if (t.kind === 'list') {
      this.starts[self] = this.w.beginList();
      for (const it of t.items) this.object(it, self);
      span = this.w.endList();
    } else {
      span = this.w.scalar(t.kind === 'null' ? null : t.value);
      if (t.kind === 'number') this.numbers.set(span.start, self);
    }
    this.starts[self] = span.start;
    this.ends[self] = span.end;
  }

  done(): RenderedObject {
    const chunk = this.w.finish().chunks[0] ?? { start: 0, text: '', parsed: undefined };
    return { chunk, starts: this.starts, ends: this.ends, parents: this.parents, srcs: this.srcs, numbers: this.numbers };
  }
}

function renderOne(t: Traced, later: boolean, cache: RenderCache | undefined): RenderedObject {
  const seen = cache?.get(t);
  const known = later ? seen?.later : seen?.first;
  if (known) return known;
  const w = new Writer(later);
  w.w.beginDocument();
  w.object(t, -1);
  w.w.endDocument();
  const r = w.done();
  if (cache) cache.set(t, { ...seen, ...(later ? { later: r } : { first: r }) });
  return r;
}

/** The last index whose value is at most `x` (-1 when none is). */
function lastAtMost(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let i = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) <= x) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return i;
}

/** The innermost node of `o` holding `offset` (in the chunk), then its closest written ancestor. */
function sourceIn(o: RenderedObject, offset: number): Src | undefined {
  // The last node that starts at or before `offset`, then its ancestors: the first that holds `offset` is the innermost.
  let i = lastAtMost(o.starts, offset);
  while (i >= 0 && offset >= Math.max(o.ends[i] as number, (o.starts[i] as number) + 1)) i = o.parents[i] as number;
  for (; i >= 0; i = o.parents[i] as number) {
    const src = o.srcs[i];
    if (src?.span) return src;
  }
  return undefined;
}

/** The objects as one text, a document each; `cache` keeps what was written for other builds of the same run. */
export function renderObjects(objects: readonly Traced[], cache?: RenderCache): Rendered {
  const parts = objects.map((o, i) => renderOne(o, i > 0, cache));
  const chunks: WrittenChunk[] = [];
  let at = 0;
  for (const p of parts) {
    chunks.push({ start: at, text: p.chunk.text, parsed: p.chunk.parsed });
    at += p.chunk.text.length;
  }
  if (chunks.length === 0) chunks.push({ start: 0, text: '\n', parsed: undefined });
  const starts = chunks.map((c) => c.start);
  const partAt = (offset: number): { part: RenderedObject; local: number } | undefined => {
    const i = lastAtMost(starts, offset);
    const part = parts[i];
    return part ? { part, local: offset - (starts[i] as number) } : undefined;
  };
  return {
    text: chunks.map((c) => c.text).join(''),
    chunks,
    sourceAt(offset: number): Src | undefined {
      const p = partAt(offset);
      return p ? sourceIn(p.part, p.local) : undefined;
    },
    numberAt(span: Span): Src | undefined {
      const p = partAt(span.start);
      const i = p?.part.numbers.get(p.local);
      const src = i === undefined ? undefined : p?.part.srcs[i];
      return p && i !== undefined && p.part.ends[i] === span.end - span.start + p.local && src?.span ? src : undefined;
    },
  };
}

/** A rendered span placed in the file that wrote it: where its first and last characters came from. */
export function placeSpan(r: Rendered, span: Span): { file: string; span: Span } | undefined {
  const first = r.sourceAt(span.start);
  if (!first?.span) return undefined;
  const last = span.end > span.start ? r.sourceAt(span.end - 1) : first;
  if (last?.span && last.file === first.file && last.span.end >= first.span.start) return { file: first.file, span: { start: first.span.start, end: Math.max(first.span.end, last.span.end) } };
  return { file: first.file, span: first.span };
}
