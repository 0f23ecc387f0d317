/**
 * A small read API over `yaml` nodes for the model: map lookups, scalars, sequences, spans
 * in file offsets. Aliases and `<<` merges are followed for reading, and every value says
 * whether it was reached through one: such values are never edited.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../types';
import { LIMITS, parseChunk } from './parse';

export type YNode = Node;
export type YMap = YAMLMap<unknown, unknown>;
export type YSeq = YAMLSeq<unknown>;

/** Per-document reading context: where the chunk starts in the file, alias budget. */
export class DocContext {
  private aliasBudget: number = LIMITS.maxAliasResolutions;
  aliasLimitHit = false;

  constructor(
    readonly doc: Document.Parsed,
    /** Offset of the chunk in the file. */
    readonly base: number,
  ) {}

  span(node: { range?: [number, number, number] | null | undefined } | null | undefined): Span | undefined {
    const r = node?.range;
    if (!r) return undefined;
    return { start: this.base + r[0], end: this.base + r[1] };
  }

  /** Follows an alias (bounded); other nodes come back as they are. */
  deref(node: unknown): { node: YNode | null; viaAlias: boolean } {
    if (isAlias(node)) {
      if (this.aliasBudget <= 0) {
        this.aliasLimitHit = true;
        return { node: null, viaAlias: true };
      }
      this.aliasBudget--;
      let target: unknown;
      try {
        target = node.resolve(this.doc);
      } catch {
        target = undefined;
      }
      if (isAlias(target)) return { node: null, viaAlias: true };
      return { node: (target as YNode | undefined) ?? null, viaAlias: true };
    }
    if (node === null || node === undefined) return { node: null, viaAlias: false };
    return { node: node as YNode, viaAlias: false };
  }
}

export interface Entry {
  readonly key: string;
  readonly pair: Pair<unknown, unknown>;
  /** The key node's span. */
  readonly keySpan: Span;
  /** The value, aliases followed; null for an empty value. */
  readonly value: YNode | null;
  /** True when reached through an alias or a merge: read-only. */
  readonly viaAlias: boolean;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) {
    const v = key.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v === null) return '';
  }
  return undefined;
}

export function asMap(node: YNode | null): YMap | undefined {
  return isMap(node) ? (node) : undefined;
}

export function asSeq(node: YNode | null): YSeq | undefined {
  return isSeq(node) ? (node) : undefined;
}

export function isScalarNode(node: YNode | null): node is Scalar {
  return isScalar(node);
}

/** All entries of a map, own keys first, then keys merged in with `<<` that are not overridden. */
export function entries(ctx: DocContext, map: YMap, viaAlias = false): Entry[] {
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = keyString(item.key);
    if (k === undefined) continue;
    const keySpan = ctx.span(item.key as Node) ?? { start: 0, end: 0 };
    if (k === '<<') {
      const sources = isSeq(item.value) ? (item.value).items : [item.value];
      for (const src of sources) {
        const r = ctx.deref(src);
        const m = asMap(r.node);
        if (m) for (const e of entries(ctx, m, true)) merged.push({ ...e, viaAlias: true });
      }
      continue;
    }
    const r = ctx.deref(item.value);
    own.push({ key: k, pair: item, keySpan, value: r.node, viaAlias: viaAlias || r.viaAlias });
  }
  const seen = new Set(own.map((e) => e.key));
  for (const e of merged) {
    if (!seen.has(e.key)) {
      seen.add(e.key);
      own.push(e);
    }
  }
  return own;
}

export function get(ctx: DocContext, map: YMap | undefined, key: string): Entry | undefined {
  if (!map) return undefined;
  // Fast path: own keys without merges.
  let hasMerge = false;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = keyString(item.key);
    if (k === key) {
      const r = ctx.deref(item.value);
      return {
        key: k,
        pair: item,
        keySpan: ctx.span(item.key as Node) ?? { start: 0, end: 0 },
        value: r.node,
        viaAlias: r.viaAlias,
      };
    }
    if (k === '<<') hasMerge = true;
  }
  if (!hasMerge) return undefined;
  return entries(ctx, map).find((e) => e.key === key);
}

export function getMap(ctx: DocContext, map: YMap | undefined, key: string): YMap | undefined {
  return asMap(get(ctx, map, key)?.value ?? null);
}

export function getSeq(ctx: DocContext, map: YMap | undefined, key: string): YSeq | undefined {
  return asSeq(get(ctx, map, key)?.value ?? null);
}

/** A scalar's value as a string (numbers and booleans stringified); undefined otherwise. */
export function scalarString(node: YNode | null): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function getString(ctx: DocContext, map: YMap | undefined, key: string): string | undefined {
  return scalarString(get(ctx, map, key)?.value ?? null);
}

/** An integer scalar (plain, not quoted); undefined for anything else. */
export function scalarInt(node: YNode | null): number | undefined {
  if (!isScalar(node)) return undefined;
  if (node.type !== Scalar.PLAIN) return undefined;
  const v = node.value;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function isNullNode(node: YNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** Items of a sequence with aliases followed. */
export function items(ctx: DocContext, seq: YSeq | undefined): { node: YNode | null; viaAlias: boolean }[] {
  if (!seq) return [];
  return seq.items.map((it) => ctx.deref(it));
}

/** A string → string map (labels, selectors, annotations); non-string values are skipped. */
export function stringMap(ctx: DocContext, map: YMap | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!map) return out;
  for (const e of entries(ctx, map)) {
    const v = scalarString(e.value);
    if (v !== undefined) out.set(e.key, v);
  }
  return out;
}

/** A sequence of strings (command, args); undefined when any item is not a scalar. */
export function stringList(ctx: DocContext, seq: YSeq | undefined): string[] | undefined {
  if (!seq) return undefined;
  const out: string[] = [];
  for (const it of items(ctx, seq)) {
    const s = scalarString(it.node);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** The source text of a plain scalar (so `1.30` stays "1.30"), else its string value. */
export function scalarSource(node: YNode | null): string | undefined {
  if (isScalar(node) && node.type === Scalar.PLAIN && typeof node.source === 'string') return node.source;
  return scalarString(node);
}

/** A top-level string value of a small YAML or JSON text (an annotation holding a config); undefined when it does not parse. */
export function topLevelString(text: string, key: string): string | undefined {
  const parsed = parseChunk(text);
  const doc = parsed.docs[0];
  if (parsed.error || parsed.tooDeep || !doc) return undefined;
  const ctx = new DocContext(doc, 0);
  return getString(ctx, asMap(ctx.deref(doc.contents).node), key);
}
