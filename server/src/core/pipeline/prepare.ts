/**
 * Stage 1 of the pipeline, prepare: split a file into YAML documents, apply the file-level
 * limits (size, binary data), set aside templates, then parse each document through the cache
 * (stage 2) and read its model (stage 3). Nothing here runs a rule.
 */
import type { ObjectInfo, PodView, ServiceInfo } from '../model/workloads';
import { shiftAnnotations, shiftRoute, type RouteInfo } from '../model/routes';
import { shiftConfigMap, type ConfigMapInfo } from '../model/configmaps';
import type { Notice, Span } from '../types';
import { LIMITS, splitDocuments, type Chunk, type ParsedChunk } from '../yaml/parse';
import { LineIndex } from '../yaml/text';
import type { ChartValues } from '../yaml/helm-values';
import { modelOf, ParseCache, readChunk, type CacheEntry, type ChunkModel } from './cache';

/** Jinja-style templates are set aside; Go templates (Helm) are read through their masked text. */
const TEMPLATE_RE = /\{%|\{#/;
/** A Go template without a literal `kind:` renders no object we could read (helpers, partials). */
const LITERAL_KIND_RE = /^[ \t-]*kind:[ \t]*[\w"']/m;

export interface PreparedChunk {
  readonly chunk: Chunk;
  readonly parsed: ParsedChunk | undefined;
  readonly template: boolean;
  /** The chunk's objects with file offsets (read on first use). */
  readonly objects: readonly ObjectInfo[];
  /** The chunk's workloads with file offsets (read on first use). */
  readonly pods: readonly PodView[];
}

/** @internal A prepared chunk with its cache entry and model at offset 0. */
export class PreparedChunkImpl implements PreparedChunk {
  private absolute: ChunkModel | undefined;

  constructor(
    readonly chunk: Chunk,
    readonly parsed: ParsedChunk | undefined,
    readonly template: boolean,
    /** Undefined for templates and documents that did not parse. */
    readonly entry: CacheEntry | undefined,
    readonly model: ChunkModel | undefined,
  ) {}

  /** The model with file offsets: the cached one when the chunk starts the file, else a fresh read. */
  private shifted(): ChunkModel | undefined {
    if (this.absolute) return this.absolute;
    const { model, parsed } = this;
    if (!model || !parsed) return undefined;
    this.absolute = this.chunk.start === 0 ? model : readChunk(parsed, this.chunk.start, model.docIndex);
    return this.absolute;
  }

  get objects(): readonly ObjectInfo[] {
    return this.shifted()?.objects ?? [];
  }

  get pods(): readonly PodView[] {
    return this.shifted()?.pods ?? [];
  }
}

/**
 * Whether any document of the file holds a workload the rules run on. A file without one has no
 * finding, so its analysis does not depend on the Services, routes or ConfigMaps of other files.
 */
export function hasWorkloads(prep: PreparedFile): boolean {
  return prep.chunks.some((c) => c instanceof PreparedChunkImpl && c.model !== undefined && c.model.pods.length > 0);
}

/** A file read into objects, before any rule runs. */
export interface PreparedFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly chunks: readonly PreparedChunk[];
  readonly notices: readonly Notice[];
  /** Services this file defines. */
  readonly services: readonly ServiceInfo[];
  /** Ingresses and BackendConfigs this file defines. */
  readonly routes: readonly RouteInfo[];
  /** ConfigMaps this file defines. */
  readonly configMaps: readonly ConfigMapInfo[];
  readonly cache: ParseCache;
}

function shiftSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

function looksBinary(text: string): boolean {
  return text.indexOf('\0') !== -1 && /[\0-\x08\x0e-\x1f]/.test(text.slice(0, 8192));
}

const AT_START: Span = { start: 0, end: 0 };

/** Why a whole file is not read, if it is not. */
function fileLimitNotice(text: string): Notice | undefined {
  if (text.length > LIMITS.maxFileChars) {
    const mib = Math.round(LIMITS.maxFileChars / (1024 * 1024));
    return { kind: 'too-large', severity: 'info', message: `File not analysed: it is larger than ${mib} MiB.`, span: AT_START };
  }
  if (looksBinary(text)) return { kind: 'syntax-error', severity: 'info', message: 'File not analysed: it looks like binary data, not YAML.', span: AT_START };
  return undefined;
}

/** A notice for a chunk that was not read: too large, too deep, or not valid YAML. */
function chunkNotice(chunk: Chunk, parsed: ParsedChunk): Notice | undefined {
  const at = { start: chunk.start, end: chunk.start };
  if (parsed.template && parsed.error) return unreadableTemplateNotice(chunk);
  if (parsed.tooDeep) {
    const size = parsed.skipReason === 'size';
    const message = size
      ? `Document not analysed: it is longer than ${LIMITS.maxDocumentChars / 1024} KiB.`
      : `Document not analysed: nesting deeper than ${LIMITS.maxNesting} levels.`;
    return { kind: size ? 'too-large' : 'too-deep', severity: 'info', message, span: at };
  }
  if (parsed.error) {
    const span = shiftSpan(parsed.error.span, chunk.start);
    return { kind: 'syntax-error', severity: 'error', message: `YAML syntax error: ${parsed.error.message}`, span };
  }
  return undefined;
}

function templateNotice(count: number, at: number): Notice {
  return {
    kind: 'template',
    severity: 'info',
    message:
      `${count} document${count === 1 ? '' : 's'} with template syntax ({{ }} or {% %}) not analysed. ` +
      'Render the template first, e.g. `helm template . | kube-graceful -`.',
    span: { start: at, end: at + 2 },
  };
}

/** A Go template whose masked text is not YAML: said once per document, never as a syntax error. */
function unreadableTemplateNotice(chunk: Chunk): Notice {
  const at = Math.max(0, chunk.text.indexOf('{{'));
  return {
    kind: 'template',
    severity: 'info',
    message: 'Template not analysed: its actions could not be read in place. Render it: `helm template <chart> | kube-graceful -`.',
    span: { start: chunk.start + at, end: chunk.start + at + 2 },
  };
}

function aliasNotice(): Notice {
  return {
    kind: 'too-large',
    severity: 'info',
    message: `More than ${LIMITS.maxAliasResolutions} aliases followed in one document; values behind further aliases were not read.`,
    span: AT_START,
  };
}

/**
 * `values`: the chart values templates are read with (null: none); undefined keeps those the
 * cache was last given.
 */
export function prepareText(text: string, cache: ParseCache = new ParseCache(), values?: ChartValues | null): PreparedFile {
  if (values !== undefined) cache.useValues(values ?? undefined);
  const lines = new LineIndex(text);
  const notices: Notice[] = [];
  const chunks: PreparedChunkImpl[] = [];
  const services: ServiceInfo[] = [];
  const routes: RouteInfo[] = [];
  const configMaps: ConfigMapInfo[] = [];
  const limit = fileLimitNotice(text);
  if (limit) return { text, lines, chunks, notices: [limit], services, routes, configMaps, cache };
  if (text.includes('{{') && !LITERAL_KIND_RE.test(text)) return { text, lines, chunks, notices, services, routes, configMaps, cache };
  let templates = 0;
  let firstTemplate = -1;
  let aliasLimit = false;
  let docIndex = 0;
  for (const chunk of splitDocuments(text)) {
    const tm = TEMPLATE_RE.exec(chunk.text);
    if (tm) {
      templates++;
      if (firstTemplate === -1) firstTemplate = chunk.start + tm.index;
      chunks.push(new PreparedChunkImpl(chunk, undefined, true, undefined, undefined));
      docIndex++;
      continue;
    }
    const entry = cache.entry(chunk.text);
    const notice = chunkNotice(chunk, entry.parsed);
    let model: ChunkModel | undefined;
    if (notice) notices.push(notice);
    else {
      for (const l of entry.parsed.lenient ?? []) {
        notices.push({ kind: 'syntax-error', severity: 'info', message: l.message, span: shiftSpan(l.span, chunk.start) });
      }
      model = modelOf(entry, docIndex);
      for (const s of model.services) {
        const lbAnnotations = shiftAnnotations(s.lbAnnotations, chunk.start);
        services.push({ ...s, span: shiftSpan(s.span, chunk.start), ...(lbAnnotations ? { lbAnnotations } : {}) });
      }
      for (const r of model.routes) routes.push(shiftRoute(r, chunk.start));
      for (const c of model.configMaps) configMaps.push(shiftConfigMap(c, chunk.start));
      if (model.aliasLimit) aliasLimit = true;
      docIndex += entry.parsed.docs.length;
    }
    chunks.push(new PreparedChunkImpl(chunk, entry.parsed, false, model ? entry : undefined, model));
  }
  if (templates > 0) notices.push(templateNotice(templates, firstTemplate));
  if (aliasLimit) notices.push(aliasNotice());
  return { text, lines, chunks, notices, services, routes, configMaps, cache };
}

/**
 * The texts of the documents `prepareText` would parse (templates excluded), so that a front end
 * can parse them ahead into a ParseCache in small steps and stay responsive on huge files.
 */
export function documentTexts(text: string): string[] {
  if (fileLimitNotice(text)) return [];
  if (text.includes('{{') && !LITERAL_KIND_RE.test(text)) return [];
  return splitDocuments(text)
    .map((c) => c.text)
    .filter((t) => !TEMPLATE_RE.test(t));
}
