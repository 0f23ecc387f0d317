/**
 * Stage 2 of the pipeline, parse and cache: parsed documents by their exact text, with the
 * model read from them (stage 3) and the last rule results. An edit re-parses and re-checks
 * only the documents it touched.
 *
 * Invariant: everything cached here is a value. The model is read once per parse, with a
 * reading context (and alias budget) that lives for that read only, so re-running rules on a
 * cached model gives exactly what a fresh analysis gives.
 */
import type { PodView, ObjectInfo, ServiceInfo } from '../model/workloads';
import type { RouteInfo } from '../model/routes';
import type { ConfigMapInfo } from '../model/configmaps';
import { readDocument } from '../model/workloads';
import { templateLeavesUnknown } from '../model/templates';
import type { Notice, Severity, Span } from '../types';
import type { FixBuilder } from '../fixes/types';
import { DocContext } from '../yaml/nodes';
import { parseChunk, type ParsedChunk } from '../yaml/parse';
import { hasTemplateSyntax } from '../yaml/helm';
import type { ChartValues } from '../yaml/helm-values';
import { parsePlainDocument } from '../yaml/plain';

/** What one chunk (document text) yields wherever it sits in the file, with spans relative to it. */
export interface ChunkModel {
  /** The file-level index of the chunk's first document, which unnamed objects' subjects use. */
  readonly docIndex: number;
  readonly objects: readonly ObjectInfo[];
  readonly pods: readonly PodView[];
  readonly services: readonly ServiceInfo[];
  readonly routes: readonly RouteInfo[];
  readonly configMaps: readonly ConfigMapInfo[];
  readonly aliasLimit: boolean;
  /** Some object has no name, so its subject (and the results) depend on docIndex. */
  readonly unnamed: boolean;
}

/** A related location as cached: relative to the chunk, or a Service named by its identity key. */
export type CachedRelated =
  | { readonly message: string; readonly span: Span; readonly filePath?: string; readonly relative: boolean }
  | { readonly message: string; readonly serviceKey: string };

export interface CachedFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** Relative to the chunk. */
  readonly span: Span;
  readonly objectSpan: Span;
  readonly related: readonly CachedRelated[];
  readonly subject: string;
  /** Builds the fix against the chunk's own text (offsets relative to the chunk). */
  readonly build: FixBuilder | undefined;
}

export interface ChunkResults {
  /** Settings, document index (when it matters) and the Services the chunk's pods can see. */
  readonly key: string;
  readonly findings: readonly CachedFinding[];
  /** Relative spans. */
  readonly notices: readonly Notice[];
}

export interface CacheEntry {
  readonly parsed: ParsedChunk;
  model: ChunkModel | undefined;
  results: ChunkResults | undefined;
}

/**
 * A copy of a document's text that does not point into the file it was cut from. V8 keeps a
 * substring as a view of its parent string, and parse trees keep substrings of their source:
 * a cached parse would keep alive the whole file as it was when that document was last
 * parsed, one copy of the file per document edited in a session (50 MiB after editing 50
 * documents of a 1 MiB bundle). Copying costs one memcpy per parsed document. A template's
 * parse tree keeps substrings of its masked text, a new string: its own text is not copied.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * Parsed documents by their exact text, with their models and last rule results. Owned by the
 * caller (one per open document, or per run) and dropped with it.
 */
export class ParseCache {
  private entries = new Map<string, CacheEntry>();
  private used = new Map<string, CacheEntry>();
  private ids = new Map<string, number>();
  private usedIds = new Map<string, number>();
  private nextId = 0;
  private readonly serviceKeys = new WeakMap<
    object,
    { name: string | undefined; ports: ServiceInfo['ports']; filePath: string | undefined; lb: ServiceInfo['lbAnnotations']; key: string }
  >();

  private values: ChartValues | undefined;

  /**
   * `shared`: documents parsed, by their text, that the caller shares between the caches of one run
   * and a kustomize build's host (`KustomizeHost.parses`): a document is parsed once for all of
   * them. Used only while templates are read without chart values.
   */
  constructor(private readonly shared?: Map<string, ParsedChunk>) {}

  /**
   * The chart values templates are read with from now on (undefined: none). Documents parsed
   * with other values are forgotten; a values file that cannot be read counts as none.
   */
  useValues(v: ChartValues | undefined): void {
    if (this.readsWith(v)) return;
    this.clear();
    this.values = v;
  }

  /** True when templates are read with exactly these values (undefined: none). */
  readsWith(v: ChartValues | undefined): boolean {
    const cur = this.values;
    return cur === v || (cur !== undefined && v !== undefined && cur.text === v.text && cur.filePath === v.filePath);
  }

  /** The values file templates are read with, if any. */
  get valuesFile(): string | undefined {
    return this.values?.tree.root !== undefined ? this.values.filePath : undefined;
  }

  parse(text: string): ParsedChunk {
    return this.entry(text).parsed;
  }

  /** @internal */
  entry(text: string): CacheEntry {
    let e = this.used.get(text) ?? this.entries.get(text);
    if (!e) e = { parsed: this.parseOf(text), model: undefined, results: undefined };
    this.used.set(text, e);
    return e;
  }

  /**
   * @internal Takes `parsed` as the parse of `text`, unless the text is known already or templates
   * are read with chart values: a document written together with its parse (`yaml/json-write.ts`).
   */
  adopt(text: string, parsed: ParsedChunk): void {
    if (this.values !== undefined || this.used.has(text) || this.entries.has(text)) return;
    this.used.set(text, { parsed, model: undefined, results: undefined });
  }

  private parseOf(text: string): ParsedChunk {
    const values = this.values?.tree.root !== undefined ? this.values.tree : undefined;
    // A template's masked text is a new string already: no copy to detach it from the file's.
    const source = hasTemplateSyntax(text) ? text : detached(text);
    if (values !== undefined || !this.shared) return parseChunk(source, values);
    let parsed = this.shared.get(text);
    if (!parsed) {
      parsed = parseChunk(source);
      this.shared.set(text, parsed);
    }
    return parsed;
  }

  /** @internal A small number standing for a long key string (settings). */
  idOf(key: string): number {
    let id = this.usedIds.get(key) ?? this.ids.get(key);
    if (id === undefined) id = this.nextId++;
    this.usedIds.set(key, id);
    return id;
  }

  /**
   * @internal What a rule may read of a Service, as a string. Memoised by the selector map, which
   * copies of a ServiceInfo share (shifted in-file copies, the workspace index's entries).
   */
  serviceKey(s: ServiceInfo): string {
    const m = this.serviceKeys.get(s.selector);
    if (m && m.name === s.name && m.ports === s.ports && m.filePath === s.filePath && m.lb === s.lbAnnotations) return m.key;
    const key = JSON.stringify([s.namespace, s.name ?? null, s.filePath ?? null, [...s.selector], s.ports, s.type ?? null, [...(s.lbAnnotations ?? [])]]);
    this.serviceKeys.set(s.selector, { name: s.name, ports: s.ports, filePath: s.filePath, lb: s.lbAnnotations, key });
    return key;
  }

  /** Forgets documents not used since the last call: keeps memory bounded to one version of a file. */
  prune(): void {
    this.entries = this.used;
    this.used = new Map();
    this.ids = this.usedIds;
    this.usedIds = new Map();
  }

  /** Forgets everything (the document was closed). */
  clear(): void {
    this.entries = new Map();
    this.used = new Map();
    this.ids = new Map();
    this.usedIds = new Map();
  }

  get size(): number {
    return this.entries.size + this.used.size;
  }
}

/** A chart's values.yaml read once, to be given with each of the chart's templates (`AnalyzeOptions.chartValues`). */
export function readChartValues(text: string, filePath: string): ChartValues {
  const doc = parsePlainDocument(text, false);
  return { text, filePath, tree: { root: doc.ok ? doc.value : undefined } };
}

/** Stage 3, the model: reads a parsed chunk's documents at offset 0 (reused while the text, and the index where it matters, stay the same). */
export function modelOf(entry: CacheEntry, docIndex: number): ChunkModel {
  const m = entry.model;
  if (m && (!m.unnamed || m.docIndex === docIndex)) return m;
  const model = readChunk(entry.parsed, 0, docIndex);
  entry.model = model;
  entry.results = undefined;
  return model;
}

/** Reads a parsed chunk into values with spans shifted by `base`. */
export function readChunk(parsed: ParsedChunk, base: number, docIndex: number): ChunkModel {
  const objects: ObjectInfo[] = [];
  const pods: PodView[] = [];
  const services: ServiceInfo[] = [];
  const routes: RouteInfo[] = [];
  const configMaps: ConfigMapInfo[] = [];
  let aliasLimit = false;
  parsed.docs.forEach((doc, i) => {
    const read = readDocument(new DocContext(doc, base), i, docIndex + i);
    objects.push(...read.objects);
    const t = parsed.template;
    // A Helm hook (test, pre-install, …) is a one-off pod that never serves; a template may leave fields unknown.
    const unknown = (p: PodView): boolean => p.object.annotations.has('helm.sh/hook') || (t !== undefined && templateLeavesUnknown(p, t, base));
    pods.push(...read.pods.map((p) => (p.partial || !unknown(p) ? p : { ...p, partial: true })));
    services.push(...read.services);
    routes.push(...read.routes);
    configMaps.push(...read.configMaps);
    if (read.aliasLimit) aliasLimit = true;
  });
  return { docIndex, objects, pods, services, routes, configMaps, aliasLimit, unnamed: objects.some((o) => o.name === undefined) };
}
