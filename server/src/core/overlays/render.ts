/**
 * The objects a kustomize build emits, written out as a YAML stream of JSON documents that the
 * analyzer reads like any file, with an index from every rendered key and value back to the
 * node it came from, so a finding on the rendered text can be placed in the file that wrote it.
 * The text's parse is built while writing (`yaml/json-write.ts`), so the analysis does not parse
 * the text again.
 */
import type { Span } from '../types';
import type { Src, Traced } from '../kustomize';
import { JsonStreamWriter, type WrittenChunk } from '../yaml/json-write';

interface RenderedNode {
  readonly start: number;
  readonly end: number;
  readonly src: Src | undefined;
  readonly parent: number;
}

export interface Rendered {
  readonly text: string;
  /** The text's chunks (as `splitDocuments` cuts it), each with its parse where the writer is sure of it. */
  readonly chunks: readonly WrittenChunk[];
  /** The innermost rendered node at `offset` mapped to where it was written (its closest written ancestor). */
  sourceAt(offset: number): Src | undefined;
  /** Where the number rendered exactly at `span` was written, when a file wrote it there. */
  numberAt(span: Span): Src | undefined;
}

/** Writes traced values, recording each node in document order (so starts never decrease). */
class Writer {
  readonly w = new JsonStreamWriter();
  readonly nodes: RenderedNode[] = [];
  /** Number values (not keys) by their start: what a fix may rewrite in the file that wrote them. */
  readonly numbers = new Map<number, number>();

  object(t: Traced, parent: number): void {
    const self = this.nodes.length;
    const node = { start: this.w.offset, end: 0, src: t.src, parent };
    this.nodes.push(node);
    let span: Span;
    if (t.kind === 'map') {
      node.start = this.w.beginMap();
      for (const e of t.entries) {
        const k = this.w.key(e.key);
        this.nodes.push({ start: k.start, end: k.end, src: e.keySrc, parent: self });
        this.object(e.value, self);
      }
      span = this.w.endMap();
    } else if (t.kind === 'list') {
      node.start = this.w.beginList();
      for (const it of t.items) this.object(it, self);
      span = this.w.endList();
    } else {
      span = this.w.scalar(t.kind === 'null' ? null : t.value);
      if (t.kind === 'number') this.numbers.set(span.start, self);
    }
    node.start = span.start;
    node.end = span.end;
  }
}

/** The objects as one text, a document each. */
export function renderObjects(objects: readonly Traced[]): Rendered {
  const writer = new Writer();
  for (const o of objects) {
    writer.w.beginDocument();
    writer.object(o, -1);
    writer.w.endDocument();
  }
  const { text, chunks } = writer.w.finish();
  const { nodes, numbers } = writer;
  const starts = Int32Array.from(nodes, (n) => n.start);
  return {
    text,
    chunks,
    sourceAt(offset: number): Src | undefined {
      // The last node that starts at or before `offset`, then its ancestors: the first that holds `offset` is the innermost.
      let lo = 0;
      let hi = starts.length - 1;
      let i = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((starts[mid] as number) <= offset) {
          i = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      while (i >= 0) {
        const n = nodes[i] as RenderedNode;
        if (offset < Math.max(n.end, n.start + 1)) break;
        i = n.parent;
      }
      for (; i >= 0; i = (nodes[i] as RenderedNode).parent) {
        const src = (nodes[i] as RenderedNode).src;
        if (src?.span) return src;
      }
      return undefined;
    },
    numberAt(span: Span): Src | undefined {
      const i = numbers.get(span.start);
      const n = i === undefined ? undefined : nodes[i];
      return n && n.end === span.end && n.src?.span ? n.src : undefined;
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
