/**
 * A kustomize build without kustomize: the objects a kustomization directory emits, built as
 * kustomize v5 builds them for what matters to pod termination, where every value remembers
 * the file and span it was written at. Pure: files come through a `KustomizeHost`.
 */
import type { Span } from '../types';
import type { ParsedChunk } from '../yaml/parse';

/** Where a node was written: a file and its offsets in that file (absent when written by a transformer, e.g. a namePrefix). */
export interface Src {
  readonly file: string;
  readonly span?: Span;
}

export type Traced =
  | { readonly kind: 'null'; readonly src?: Src }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly src?: Src }
  | { readonly kind: 'number'; readonly value: number; readonly src?: Src }
  | { readonly kind: 'string'; readonly value: string; readonly src?: Src }
  | { readonly kind: 'list'; readonly items: readonly Traced[]; readonly src?: Src }
  | { readonly kind: 'map'; readonly entries: readonly TracedEntry[]; readonly src?: Src };

export interface TracedEntry {
  readonly key: string;
  readonly keySrc?: Src;
  readonly value: Traced;
}

export interface KustomizeHost {
  /** A file's text, or undefined when it does not exist or cannot be read. Paths are absolute, '/'-separated. */
  readFile(path: string): string | undefined;
  isDirectory(path: string): boolean;
  /**
   * Files already read as documents, by path (and a file's inline patches), owned by the
   * caller: builds that share it read a base or a patch they have in common once (an entry is used
   * only while the file's text is the same).
   */
  readonly parsed?: Map<string, { readonly text: string; readonly docs: unknown }>;
  /**
   * Documents parsed, by their text, owned by the caller: shared with the parse caches of its own
   * analyses of the same files (`ParseCache`), so that a file is parsed once for both.
   */
  readonly parses?: Map<string, ParsedChunk>;
}

export interface BuiltObject {
  /** A map: the object as the build emits it. */
  readonly value: Traced;
  /** The resource document it came from (file + that document's span). */
  readonly resource: Src;
  /** Files (patch files, or the kustomization file for inline patches) whose patches changed it. */
  readonly patchedBy: readonly string[];
}

export interface BuildNote {
  readonly file: string;
  readonly span?: Span;
  readonly message: string;
}

export interface KustomizeBuild {
  /** The kustomization directory built. */
  readonly root: string;
  readonly kustomizationFile: string;
  readonly objects: readonly BuiltObject[];
  /** Every file read, with its role. */
  readonly files: ReadonlyMap<string, 'kustomization' | 'resource' | 'patch'>;
  /** Directories of other kustomizations this one builds on (resources/bases/components that are kustomization dirs), transitively. */
  readonly uses: readonly string[];
  /**
   * What was not analysed, once each: remote resources (URLs, git), generators/transformers/helmCharts
   * that need a plugin or the network, unreadable files, unsupported fields that change pods.
   */
  readonly notes: readonly BuildNote[];
}

export { KUSTOMIZATION_FILE_NAMES, findKustomizationFile, buildKustomization, buildKustomizations } from './build';
export { toJSON } from './traced';
