/**
 * The Services defined anywhere in the workspace, so that a Deployment in one file is known to
 * serve traffic when a Service in another file selects it. Built in the background from the
 * `*.yaml`/`*.yml` files of the workspace folders (files over 2 MB are skipped, and past the
 * `workspaceIndexMaxFiles` setting the rest is left out and reported; node_modules, .git and
 * `files.exclude` folders are not entered), with progress, kept current from watched-file
 * events (only the changed file is read again), and overlaid with the latest text of open
 * documents. Analyses never wait for it: they use what is known, and are redone when the
 * index changes. Each file keeps only its Services and their positions, not its parse.
 * The files are read through the host's `WorkspaceFiles` (the disk, or the web client's files);
 * without one (a browser server whose client serves no files) the index holds the open
 * documents only.
 */
import { CONFIG_FILE_NAME, LineIndex, ParseCache, prepareText, ServiceIndex, type ConfigMapInfo, type RouteInfo, type ServiceInfo } from '../../core';
import { fileName, isKustomizationPath, type IndexedFolder, type UriPaths, type WorkspaceFiles } from '../host';
import { errorText, type Logger } from '../util/guard';

export type { IndexedFolder } from '../host';

export const INDEX_LIMITS = { maxFileBytes: 2 * 1024 * 1024 } as const;

/** What an indexing run reports as it goes (files read of files found). */
export type IndexProgress = (done: number, total: number) => void;

export interface Position {
  readonly line: number;
  readonly character: number;
}

interface Entry {
  readonly uri: string;
  readonly services: readonly ServiceInfo[];
  /** Ingresses and BackendConfigs (load balancers in front of Services). */
  readonly routes: readonly RouteInfo[];
  /** ConfigMaps (app settings that pods read). */
  readonly configMaps: readonly ConfigMapInfo[];
  readonly signature: string;
  position(offset: number): Position;
}

export function isManifestPath(p: string): boolean {
  return /\.ya?ml$/i.test(p) && fileName(p) !== CONFIG_FILE_NAME;
}

function signatureOf(services: readonly ServiceInfo[], routes: readonly RouteInfo[] = [], configMaps: readonly ConfigMapInfo[] = []): string {
  const svc = services.map((s) => [s.name, s.namespace, [...s.selector], s.ports, s.type ?? null, [...(s.lbAnnotations ?? [])].map(([k, v]) => [k, v.value])]);
  if (configMaps.length > 0) {
    const cms = configMaps.map((c) => [c.name, c.namespace, [...c.data].map(([k, v]) => [k, v.value ?? null])]);
    return JSON.stringify([svc, routes.length === 0 ? [] : JSON.parse(signatureOf([], routes)) as unknown, cms]);
  }
  if (routes.length === 0) return JSON.stringify(svc);
  const rts = routes.map((r) => (r.kind === 'Ingress' ? [r.name, r.namespace, r.className, r.services, [...r.annotations].map(([k, v]) => [k, v.value])] : [r.name, r.namespace, r.drainingTimeoutSec?.seconds ?? null]));
  return JSON.stringify([svc, rts]);
}

/** Offsets a file's Services and routes point at (spans of related locations). */
function offsetsOf(services: readonly ServiceInfo[], routes: readonly RouteInfo[], configMaps: readonly ConfigMapInfo[]): number[] {
  const out: number[] = [];
  const add = (s: { start: number; end: number }): void => {
    out.push(s.start, s.end);
  };
  for (const s of services) {
    add(s.span);
    for (const v of s.lbAnnotations?.values() ?? []) add(v.span);
  }
  for (const r of routes) {
    add(r.span);
    if (r.kind === 'Ingress') for (const v of r.annotations.values()) add(v.span);
    else if (r.drainingTimeoutSec) add(r.drainingTimeoutSec.span);
  }
  for (const c of configMaps) {
    add(c.span);
    for (const v of c.data.values()) add(v.span);
  }
  return out;
}

export class WorkspaceIndex {
  private readonly disk = new Map<string, Entry>();
  private readonly open = new Map<string, Entry>();
  private folders: IndexedFolder[] = [];
  private run = 0;
  private merged: { generation: number; all: Map<string, readonly ServiceInfo[]> } | undefined;
  private indexed: { generation: number; index: ServiceIndex } | undefined;
  /** Bumped whenever the set of known Services changes. */
  generation = 0;
  /** True while a full indexing run is in progress. */
  indexing = false;
  /** The kustomization files of the indexed folders, as last listed (and created since). */
  kustomizationFiles: readonly string[] = [];

  constructor(
    private readonly log: Logger,
    private readonly uris: UriPaths,
    /** The folders' files on disk; undefined where there is no disk (only open documents count). */
    private readonly files: WorkspaceFiles | undefined,
    /** Called when the Services of `uri` changed (undefined: many files, e.g. after a full run). */
    private readonly onChange: (uri: string | undefined) => void,
  ) {}

  /**
   * Replaces the folders and indexes them from scratch; resolves when done (or superseded).
   * First lists the manifests (cheap), then reads them with progress; past `maxFiles` the rest
   * is left out and said so, never silently.
   */
  async indexFolders(folders: readonly IndexedFolder[], maxFiles: number, progress?: IndexProgress): Promise<void> {
    const run = ++this.run;
    this.folders = [...folders];
    this.indexing = true;
    const started = Date.now();
    const seen = new Set<string>();
    try {
      const found = this.files ? await this.files.list(folders, () => run === this.run) : [];
      if (found === undefined) return;
      this.kustomizationFiles = found.filter(isKustomizationPath);
      // Open files a kustomize build may read are judged through it now, not after every file is read.
      if (this.kustomizationFiles.length > 0) this.onChange(undefined);
      const files = found.slice(0, maxFiles);
      for (let i = 0; i < files.length; i++) {
        const full = files[i] as string;
        const uri = this.uris.normalizeUri(this.uris.pathToUri(full));
        seen.add(uri);
        await this.readIntoIndex(uri, full, false);
        if (run !== this.run) return;
        if (i % 100 === 99) progress?.(i + 1, files.length);
      }
      progress?.(files.length, files.length);
      for (const uri of [...this.disk.keys()]) if (!seen.has(uri)) this.disk.delete(uri);
      this.generation++;
      const n = this.serviceCount();
      this.log.info(`kube-graceful: indexed ${files.length} YAML file${files.length === 1 ? '' : 's'} in ${Date.now() - started} ms; ${n} Service${n === 1 ? '' : 's'} known.`);
      if (found.length > files.length) {
        this.log.warn(
          `kube-graceful: the workspace has ${found.length} YAML files; only the first ${maxFiles} were indexed (setting kubeGraceful.workspaceIndexMaxFiles), ` +
            'so Services defined in the others are unknown.',
        );
      }
    } finally {
      if (run === this.run) {
        this.indexing = false;
        this.onChange(undefined);
      }
    }
  }

  /** A watched file was created, changed or deleted. */
  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    const key = this.uris.normalizeUri(uri);
    const p = this.uris.uriToPath(uri);
    if (p === undefined || !isManifestPath(p) || !this.inIndexedFolder(p)) return;
    if (isKustomizationPath(p)) {
      const others = this.kustomizationFiles.filter((f) => f !== p);
      this.kustomizationFiles = deleted ? others : [...others, p];
    }
    if (deleted) {
      if (this.disk.delete(key)) this.changed(key);
      return;
    }
    await this.readIntoIndex(key, p, true);
  }

  /** The Services of an open document's latest analysed text; these win over the disk. */
  setOpen(uri: string, services: readonly ServiceInfo[], lines: LineIndex, routes: readonly RouteInfo[] = [], configMaps: readonly ConfigMapInfo[] = []): void {
    const key = this.uris.normalizeUri(uri);
    const entry = makeEntry(key, services, (o) => lines.position(o), routes, configMaps);
    const before = this.open.get(key) ?? this.disk.get(key);
    this.open.set(key, entry);
    if (!before || before.signature !== entry.signature) {
      this.changed(key);
    } else if (this.merged && (entry.services.length > 0 || entry.routes.length > 0 || entry.configMaps.length > 0)) {
      // Same Services, maybe moved: keep spans and positions in step without a re-analysis of the others.
      this.merged.all.set(key, entry.services);
      this.indexed = undefined;
    }
  }

  /** An open document was closed: the disk version counts again. */
  async closeOpen(uri: string): Promise<void> {
    const key = this.uris.normalizeUri(uri);
    const had = this.open.get(key);
    if (!had) return;
    this.open.delete(key);
    const p = this.uris.uriToPath(uri);
    if (p !== undefined && isManifestPath(p) && this.inIndexedFolder(p)) {
      await this.readIntoIndex(key, p, false);
    }
    const now = this.disk.get(key);
    if ((now?.signature ?? '[]') !== had.signature) this.changed(key);
  }

  /** One index of every file's Services, built once per generation (each with `filePath` set to its file's URI). */
  serviceIndex(): ServiceIndex {
    if (this.indexed?.generation === this.generation) return this.indexed.index;
    const list: ServiceInfo[] = [];
    for (const services of this.all().values()) list.push(...services);
    const index = new ServiceIndex(list);
    this.indexed = { generation: this.generation, index };
    return index;
  }

  /** The key an analysis names its own file by, to leave its Services out of the index's. */
  keyOf(uri: string): string {
    return this.uris.normalizeUri(uri);
  }

  /** Services from every file but `uri`, each with `filePath` set to its file's URI. */
  servicesExcept(uri: string): ServiceInfo[] {
    const key = this.uris.normalizeUri(uri);
    const all = this.all();
    const out: ServiceInfo[] = [];
    for (const [k, services] of all) if (k !== key) out.push(...services);
    return out;
  }

  /** Ingresses and BackendConfigs from every file but `uri`, each with `filePath` set to its file's URI. */
  routesExcept(uri: string): RouteInfo[] {
    const key = this.uris.normalizeUri(uri);
    const out: RouteInfo[] = [];
    for (const [k, e] of this.disk) if (k !== key && !this.open.has(k)) out.push(...e.routes);
    for (const [k, e] of this.open) if (k !== key) out.push(...e.routes);
    return out;
  }

  /** ConfigMaps from every file but `uri`, each with `filePath` set to its file's URI. */
  configMapsExcept(uri: string): ConfigMapInfo[] {
    const key = this.uris.normalizeUri(uri);
    const out: ConfigMapInfo[] = [];
    for (const [k, e] of this.disk) if (k !== key && !this.open.has(k)) out.push(...e.configMaps);
    for (const [k, e] of this.open) if (k !== key) out.push(...e.configMaps);
    return out;
  }

  /** Position of an offset in an indexed file (offsets of the text that was indexed). */
  positionIn(uri: string, offset: number): Position | undefined {
    const key = this.uris.normalizeUri(uri);
    return (this.open.get(key) ?? this.disk.get(key))?.position(offset);
  }

  private all(): Map<string, readonly ServiceInfo[]> {
    if (this.merged?.generation === this.generation) return this.merged.all;
    const all = new Map<string, readonly ServiceInfo[]>();
    for (const [k, e] of this.disk) if (e.services.length > 0) all.set(k, e.services);
    for (const [k, e] of this.open) {
      if (e.services.length > 0) all.set(k, e.services);
      else all.delete(k);
    }
    this.merged = { generation: this.generation, all };
    return all;
  }

  private serviceCount(): number {
    let n = 0;
    for (const s of this.all().values()) n += s.length;
    return n;
  }

  private changed(uri: string): void {
    this.generation++;
    if (!this.indexing) this.onChange(uri);
  }

  private inIndexedFolder(p: string): boolean {
    return this.files?.contains(this.folders, p) ?? false;
  }

  private async readIntoIndex(key: string, filePath: string, notify: boolean): Promise<void> {
    let entry: Entry | undefined;
    try {
      const text = await this.files?.read(filePath, INDEX_LIMITS.maxFileBytes);
      if (text !== undefined) {
        const prepared = prepareText(text, new ParseCache());
        const lines = prepared.lines;
        const positions = new Map<number, Position>();
        for (const o of offsetsOf(prepared.services, prepared.routes, prepared.configMaps)) positions.set(o, lines.position(o));
        entry = makeEntry(key, prepared.services, (o) => positions.get(o) ?? { line: 0, character: 0 }, prepared.routes, prepared.configMaps);
      }
    } catch (e) {
      this.log.warn(`kube-graceful: could not index ${filePath}: ${errorText(e)}`);
    }
    const before = this.disk.get(key);
    if (entry) this.disk.set(key, entry);
    else this.disk.delete(key);
    if (!notify) {
      if ((before?.signature ?? '[]') !== (entry?.signature ?? '[]')) this.generation++;
      return;
    }
    if (this.open.has(key)) return;
    if ((before?.signature ?? '[]') !== (entry?.signature ?? '[]')) this.changed(key);
  }
}

function makeEntry(uri: string, services: readonly ServiceInfo[], position: (offset: number) => Position, routes: readonly RouteInfo[] = [], configMaps: readonly ConfigMapInfo[] = []): Entry {
  return {
    uri,
    services: services.map((s) => ({ ...s, filePath: uri })),
    routes: routes.map((r) => ({ ...r, filePath: uri })),
    configMaps: configMaps.map((c) => ({ ...c, filePath: uri })),
    signature: signatureOf(services, routes, configMaps),
    position,
  };
}
