/**
 * The objects a kustomize build emits, written out as a YAML stream of JSON documents that the
 * analyzer reads like any file, with an index from every rendered key and value back to the
 * node it came from, so a finding on the rendered text can be placed in the file that wrote it.
 */
import type { Span } from '../types';
import type { Src, Traced } from '../kustomize';

interface RenderedNode {
  readonly start: number;
  readonly end: number;
  readonly src: Src | undefined;
  readonly parent: number;
  readonly depth: number;
  /** A number value (not a key): what a fix may rewrite in the file that wrote it. */
  readonly number?: boolean;
}

export interface Rendered {
  readonly text: string;
  /** The innermost rendered node at `offset` mapped to where it was written (its closest written ancestor). */
  sourceAt(offset: number): Src | undefined;
  /** Where the number rendered exactly at `span` was written, when a file wrote it there. */
  numberAt(span: Span): Src | undefined;
}

/** Writes `value` at `out`, recording each node; returns nothing, `nodes` grows. */
class Writer {
  text = '';
  readonly nodes: RenderedNode[] = [];

  object(t: Traced, indent: string, parent: number, depth: number): void {
    const start = this.text.length;
    const self = this.nodes.length;
    this.nodes.push({ start, end: start, src: t.src, parent, depth, ...(t.kind === 'number' ? { number: true } : {}) });
    if (t.kind === 'map') this.map(t.entries, indent, self, depth);
    else if (t.kind === 'list') this.list(t.items, indent, self, depth);
    else this.text += scalarText(t);
    (this.nodes[self] as { end: number }).end = this.text.length;
  }

  private map(entries: Extract<Traced, { kind: 'map' }>['entries'], indent: string, self: number, depth: number): void {
    if (entries.length === 0) {
      this.text += '{}';
      return;
    }
    const inner = indent + '  ';
    this.text += '{';
    entries.forEach((e, i) => {
      this.text += `${i === 0 ? '' : ','}\n${inner}`;
      const keyStart = this.text.length;
      this.text += JSON.stringify(e.key);
      this.nodes.push({ start: keyStart, end: this.text.length, src: e.keySrc, parent: self, depth: depth + 1 });
      this.text += ': ';
      this.object(e.value, inner, self, depth + 1);
    });
    this.text += `\n${indent}}`;
  }

  private list(items: readonly Traced[], indent: string, self: number, depth: number): void {
    if (items.length === 0) {
      this.text += '[]';
      return;
    }
    const inner = indent + '  ';
    this.text += '[';
    items.forEach((it, i) => {
      this.text += `${i === 0 ? '' : ','}\n${inner}`;
      this.object(it, inner, self, depth + 1);
    });
    this.text += `\n${indent}]`;
  }
}

function scalarText(t: Traced): string {
  switch (t.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return t.value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(t.value) ? String(t.value) : 'null';
    case 'string':
      return JSON.stringify(t.value);
    default:
      return 'null';
  }
}

/** The objects as one text, a document each. */
export function renderObjects(objects: readonly Traced[]): Rendered {
  const w = new Writer();
  objects.forEach((o, i) => {
    if (i > 0) w.text += '\n---\n';
    w.object(o, '', -1, 0);
  });
  w.text += '\n';
  const nodes = w.nodes;
  return {
    text: w.text,
    sourceAt(offset: number): Src | undefined {
      let best = -1;
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i] as RenderedNode;
        if (n.start <= offset && offset < Math.max(n.end, n.start + 1) && (best < 0 || n.depth > (nodes[best] as RenderedNode).depth)) best = i;
      }
      for (let i = best; i >= 0; i = (nodes[i] as RenderedNode).parent) {
        const src = (nodes[i] as RenderedNode).src;
        if (src?.span) return src;
      }
      return undefined;
    },
    numberAt(span: Span): Src | undefined {
      const n = nodes.find((x) => x.number === true && x.start === span.start && x.end === span.end);
      return n?.src?.span ? n.src : undefined;
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
