/**
 * Edit targets: where in a document a fix means to write, as a path of map keys and sequence
 * indices from the document's root. The model records them while it reads; they are plain,
 * opaque values that outlive the parse. Only this module turns a target back into a node, on
 * a parse of the text the fix is built for, and it refuses any node that is not the target's
 * own: a step through an alias or a `<<` merge, or a node (or one of its ancestors) whose
 * anchor an alias elsewhere in the document reads. Such a node is shared with another object,
 * so an edit there would change that object too.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair } from 'yaml';
import type { TextEdit } from '../types';
import { fillEmptyScalar, fillEmptyValue, insertEntry, jsonDocument, renderFlow, renderFlowEntry, replaceScalar, type InsertOptions, type SnippetValue, type Style } from './edit';
import { DocContext, type YMap } from './nodes';
import { keyShapes, type KeyShape } from './placement';
import { insertInScalar, replaceInScalar } from './scalar-text';
import { columnOf, onlyIndentBefore } from './text';

declare const targetBrand: unique symbol;

/** Where a fix means to write. Opaque outside the YAML layer. */
export interface EditTarget {
  readonly [targetBrand]: true;
}

type Step = string | number;

interface TargetData {
  /** Index of the document within its chunk. */
  readonly doc: number;
  readonly path: readonly Step[];
}

export function rootTarget(doc: number): EditTarget {
  return { doc, path: [] } as TargetData as unknown as EditTarget;
}

function data(t: EditTarget): TargetData {
  return t as unknown as TargetData;
}

export function childTarget(t: EditTarget, ...steps: readonly Step[]): EditTarget {
  const d = data(t);
  return { doc: d.doc, path: [...d.path, ...steps] } as TargetData as unknown as EditTarget;
}

/** The target's steps, for tests and for comparing documents outside the intended paths. */
export function targetPath(t: EditTarget): { readonly doc: number; readonly path: readonly Step[] } {
  return data(t);
}

/** A node a target resolved to, with the pair that holds it when the last step is a map key. */
interface Resolved {
  readonly node: Node | null;
  readonly pair: Pair<unknown, unknown> | undefined;
  /** The map that holds the last key (for inserting it when it is absent). */
  readonly parent: YMap | undefined;
  readonly lastKey: string | undefined;
}

function keyOf(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Anchors that some alias of the document reads. */
function aliasedAnchors(doc: Document.Parsed): Set<string> {
  const out = new Set<string>();
  visit(doc, {
    Alias(_k, n) {
      out.add(n.source);
    },
  });
  return out;
}

/**
 * A parsed chunk opened for editing: resolves targets on its documents and renders edits with
 * the edit layer. Offsets are relative to the chunk's text.
 */
export class EditableChunk {
  private readonly shared = new Map<number, Set<string>>();

  constructor(
    private readonly docs: readonly Document.Parsed[],
    readonly text: string,
    readonly style: Style,
    /** Where `insertEntry` inserts when its caller names no place: before this key (a template's fix tries several). */
    private readonly insertBefore?: string,
  ) {}

  private sharedAnchors(i: number, doc: Document.Parsed): Set<string> {
    let s = this.shared.get(i);
    if (!s) {
      s = aliasedAnchors(doc);
      this.shared.set(i, s);
    }
    return s;
  }

  /**
   * The node at the target, or undefined when a step is missing (except a missing last key,
   * reported with its parent map), goes through an alias or a merge, or touches a shared anchor.
   */
  private resolve(t: EditTarget): Resolved | undefined {
    const { doc: i, path } = data(t);
    const doc = this.docs[i];
    if (!doc) return undefined;
    const anchors = this.sharedAnchors(i, doc);
    const owned = (n: unknown): boolean => {
      if (isAlias(n)) return false;
      const a = (n as { anchor?: string } | null)?.anchor;
      return !(a !== undefined && anchors.has(a));
    };
    let node: unknown = doc.contents;
    if (!owned(node)) return undefined;
    let pair: Pair<unknown, unknown> | undefined;
    let parent: YMap | undefined;
    let lastKey: string | undefined;
    for (let s = 0; s < path.length; s++) {
      const step = path[s];
      pair = undefined;
      if (typeof step === 'number') {
        if (!isSeq(node)) return undefined;
        node = node.items[step];
        if (node === undefined || !owned(node)) return undefined;
        parent = undefined;
        continue;
      }
      if (!isMap(node)) return undefined;
      const map = node;
      const found = map.items.find((p) => isPair(p) && keyOf(p.key) === step);
      if (!found) {
        // Only the last key may be absent; a merge could supply it, and then it is not ours.
        if (s !== path.length - 1 || map.items.some((p) => isPair(p) && keyOf(p.key) === '<<')) return undefined;
        return { node: null, pair: undefined, parent: map, lastKey: step };
      }
      pair = found;
      parent = map;
      lastKey = step;
      node = found.value ?? null;
      if (node !== null && !owned(node)) return undefined;
    }
    return { node: (node as Node | null) ?? null, pair, parent, lastKey };
  }

  private ctx(t: EditTarget): DocContext | undefined {
    const doc = this.docs[data(t).doc];
    return doc ? new DocContext(doc, 0) : undefined;
  }

  /**
   * What is at the target: an absent key, an empty value (nothing, `~`, `null`, `{}`), a
   * non-empty map, something else; undefined when it is not the document's own to edit.
   */
  shape(t: EditTarget): 'absent' | 'empty' | 'map' | 'other' | undefined {
    const r = this.resolve(t);
    if (!r) return undefined;
    if (!r.pair) return r.parent ? 'absent' : undefined;
    const v = r.node;
    if (v === null || (isScalar(v) && v.value === null)) return 'empty';
    if (isMap(v)) return v.items.length === 0 ? 'empty' : 'map';
    return 'other';
  }

  /** The keys of the map at the target, in order, with whether each value is a scalar (for placing a new key). */
  keyShapes(t: EditTarget): KeyShape[] {
    const r = this.resolve(t);
    return r && isMap(r.node) ? keyShapes(r.node) : [];
  }

  /** The keys of the map that holds the target's last key (the target itself may be absent). */
  parentKeyShapes(t: EditTarget): KeyShape[] {
    const r = this.resolve(t);
    return r?.parent ? keyShapes(r.parent) : [];
  }

  /** True when the target resolves to a node the document owns (present or an absent last key). */
  editable(t: EditTarget): boolean {
    return this.resolve(t) !== undefined;
  }

  /** Inserts `key: value` into the map at the target. */
  insertEntry(t: EditTarget, key: string, value: SnippetValue, opts: InsertOptions = {}): TextEdit | undefined {
    const r = this.resolve(t);
    const ctx = this.ctx(t);
    if (!r || !ctx || !isMap(r.node)) return undefined;
    if (r.node.items.some((p) => isPair(p) && keyOf(p.key) === key)) return undefined;
    const place = (opts.before === undefined || opts.before.length === 0) && this.insertBefore !== undefined ? { before: [this.insertBefore] } : opts;
    return insertEntry(ctx, this.text, r.node, key, value, this.style, place);
  }

  /** Replaces the empty value (`key:`, `key: ~`, `key: {}`) of the entry at the target with a map. */
  fillEmptyValue(t: EditTarget, value: { readonly [key: string]: SnippetValue }): TextEdit | undefined {
    const r = this.resolve(t);
    const ctx = this.ctx(t);
    if (!r?.pair || !ctx) return undefined;
    return fillEmptyValue(ctx, this.text, r.pair, value, this.style);
  }

  /**
   * Sets the scalar at the target: replaces a plain scalar, fills an empty value, or inserts
   * the key into its parent map when it is absent.
   */
  setScalar(t: EditTarget, value: number, opts: InsertOptions = {}): TextEdit | undefined {
    const r = this.resolve(t);
    const ctx = this.ctx(t);
    if (!r || !ctx) return undefined;
    if (!r.pair) {
      if (!r.parent || r.lastKey === undefined) return undefined;
      return insertEntry(ctx, this.text, r.parent, r.lastKey, value, this.style, opts);
    }
    const v = r.node;
    if (v === null || (isScalar(v) && v.value === null)) return fillEmptyScalar(ctx, this.text, r.pair, String(value));
    return replaceScalar(ctx, v, String(value));
  }

  /** Inserts text into the string scalar at the target, at an offset of its value. */
  insertInScalar(t: EditTarget, offset: number, insert: string): TextEdit | undefined {
    const r = this.resolve(t);
    const ctx = this.ctx(t);
    if (!r || !ctx || !isScalar(r.node)) return undefined;
    return insertInScalar(ctx, this.text, r.node, offset, insert);
  }

  /** Replaces characters `from`–`to` of the string scalar at the target. */
  replaceInScalar(t: EditTarget, from: number, to: number, replacement: string): TextEdit | undefined {
    const r = this.resolve(t);
    const ctx = this.ctx(t);
    if (!r || !ctx || !isScalar(r.node)) return undefined;
    return replaceInScalar(ctx, this.text, r.node, from, to, replacement);
  }

  /**
   * Replaces the only entry `key: {…}` of the map at the target (a preStop handler) with
   * `newKey:` and a one-key child map, in the style it was written in (block or flow).
   */
  replaceSoleEntry(t: EditTarget, key: string, newKey: string, childKey: string, childValue: number | readonly string[]): TextEdit | undefined {
    const r = this.resolve(t);
    if (!r || !isMap(r.node) || r.node.items.length !== 1) return undefined;
    const pair = r.node.items[0];
    if (!pair || !isPair(pair) || keyOf(pair.key) !== key) return undefined;
    const value = pair.value;
    if (!isMap(value) || value.items.length !== 1 || !owned1(value)) return undefined;
    const kr = (pair.key as Node | null)?.range;
    const vr = value.range;
    if (!kr || !vr) return undefined;
    const text = this.text;
    const start = kr[0];
    let end = vr[1];
    while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    const ctx = this.ctx(t);
    if (!ctx) return undefined;
    if (value.flow) return { start, end, newText: renderFlowEntry(ctx, newKey, { [childKey]: childValue }, this.style) };
    if (jsonDocument(ctx)) return undefined;
    if (!onlyIndentBefore(text, start)) return undefined;
    // Block: the child goes at the column the existing child uses.
    const first = value.items[0];
    const fr = first && isPair(first) ? (first.key as Node | null)?.range : undefined;
    if (!fr) return undefined;
    const childCol = columnOf(text, fr[0]);
    const keyCol = columnOf(text, start);
    if (childCol <= keyCol) return undefined;
    return { start, end, newText: `${newKey}:${this.style.eol}${' '.repeat(childCol)}${childKey}: ${renderFlow(childValue, this.style)}` };
  }

  /** The documents as plain values (aliases resolved), for comparing meaning before and after an edit. */
  values(): unknown[] {
    return this.docs.map((d) => {
      try {
        return d.toJS({ maxAliasCount: 1000 }) as unknown;
      } catch {
        return undefined;
      }
    });
  }
}

function owned1(n: unknown): boolean {
  return !isAlias(n) && (n as { anchor?: string } | null)?.anchor === undefined;
}
