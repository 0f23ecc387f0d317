/**
 * What the language server takes from the platform it runs on. The Node server (`./node`)
 * maps file URIs to paths and reads the disk: the workspace's other manifests, the nearest
 * `.kube-graceful.yaml`, a Helm chart's helpers and values, kustomize overlays. The browser
 * server (`./browser`, a web worker) has no disk: it reads the workspace's files through the
 * client (`kubeGraceful/listFiles`, `kubeGraceful/readFile`, `kubeGraceful/stat`), where paths
 * are the URIs' paths, when the client says it serves them (`initializationOptions.clientFiles`);
 * otherwise it analyses the open documents only. The features themselves (`./disk`) read
 * through a `FileAccess` and are the same on both.
 * Nothing but `./node` and `main.ts` in server/src/lsp imports Node.
 */
import { CONFIG_FILE_NAME, type ChartValues, type ParsedConfig, type Settings } from '../core';
import { KUSTOMIZATION_FILE_NAMES } from '../core/kustomize';
import type { OverlayResult } from '../core/overlays';
import type { GlobMatcher } from './util/glob';

/** Document URIs and the paths of the files behind them. */
export interface UriPaths {
  /** The file's path; undefined for URIs with none (untitled:, vscode-vfs:, or no disk at all). */
  readonly uriToPath: (uri: string) => string | undefined;
  readonly pathToUri: (p: string) => string;
  /** A canonical form for comparing URIs from different sources. */
  readonly normalizeUri: (uri: string) => string;
}

export interface ConfigFile {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedConfig;
}

/** The `.kube-graceful.yaml` that applies to a document. */
export interface ConfigSource {
  forDocument(filePath: string): Promise<ConfigFile | undefined>;
  /** Forget everything (a config file was created, changed, deleted, opened or closed). */
  clear(): void;
}

export interface ChartPlace {
  readonly root: string;
  /** Under `templates/`: values files, `Chart.yaml` and `ci/` are not manifests. */
  readonly template: boolean;
}

/** Helm charts around a file: where the chart is, its helpers' includes, its values. */
export interface ChartSource {
  placeOf(file: string): ChartPlace | undefined;
  includesOf(root: string): Map<string, string[]>;
  valuesOf(root: string): ChartValues | undefined;
  /** The editor's text of a values file (undefined: closed, the disk counts again). */
  setOpen(file: string, text: string | undefined): void;
  isValuesFile(file: string | undefined): boolean;
}

/** The workspace's kustomize overlays, built from open documents and the disk. */
export interface OverlaySource {
  /** Bumped whenever the builds must be made again. */
  readonly version: number;
  setKustomizations(files: readonly string[]): void;
  /** A file changed (its editor text, or on disk when `text` is undefined): true when the builds read it. */
  touched(file: string, text: string | undefined): boolean;
  resultFor(settings: Settings, settingsKey: string): OverlayResult | undefined;
}

export interface IndexedFolder {
  readonly uri: string;
  readonly path: string;
  readonly exclude: GlobMatcher;
}

/** The workspace index's access to the folders' files. */
export interface WorkspaceFiles {
  /** Every manifest under the folders, skipping excluded folders; undefined when `current()` turns false meanwhile. */
  list(folders: readonly IndexedFolder[], current: () => boolean): Promise<string[] | undefined>;
  /** True when `file` is under one of the folders and not excluded. */
  contains(folders: readonly IndexedFolder[], file: string): boolean;
  /** The file's text; undefined when it is missing, a folder or over `maxBytes`; throws on other errors. */
  read(file: string, maxBytes: number): Promise<string | undefined>;
}

/** Path operations: Node's `path` on a disk, posix paths of URIs in the browser. */
export interface PathOps {
  readonly sep: string;
  dirname(p: string): string;
  basename(p: string): string;
  join(...parts: string[]): string;
  relative(from: string, to: string): string;
  isAbsolute(p: string): boolean;
}

export interface FileStat {
  readonly type: 'file' | 'directory' | 'other';
  readonly size: number;
  /** Modification time in milliseconds. */
  readonly mtime: number;
}

/**
 * Reading files, for the features every host shares (`./disk`). The asynchronous reads always
 * ask; the synchronous ones serve the features that must answer at once (a chart's helpers and
 * values, kustomize builds): the disk answers them directly, the browser from what it fetched
 * from the client, fetching the rest (undefined until it arrives, then `generation` is bumped
 * and the `onFetched` listeners called, so that the open documents are judged anew).
 */
export interface FileAccess {
  readonly path: PathOps;
  /** Undefined when the file does not exist or cannot be read. */
  stat(p: string): Promise<FileStat | undefined>;
  readFile(p: string): Promise<string | undefined>;
  statSync(p: string): FileStat | undefined;
  readFileSync(p: string): string | undefined;
  /** Files under `dir` (at most 8 folders down) whose name matches `name`, a one-segment glob (`_*.tpl`). */
  findSync(dir: string, name: string): string[];
  /** Bumped when a synchronous answer may have changed without a new modification time (the browser's fetches); 0 on a disk. */
  readonly generation: number;
  onFetched(listener: () => void): void;
  /** A file event for `p`: cached answers about it (and the folders above it) are fetched again. */
  changed(p: string): void;
}

/** What only a server that reads files does. */
export interface DiskHost {
  configFiles(openText: (filePath: string) => string | undefined): ConfigSource;
  readonly charts: ChartSource;
  overlays(openText: (filePath: string) => string | undefined, root: () => string | undefined): OverlaySource;
  readonly files: WorkspaceFiles;
  readonly access: FileAccess;
}

/** What the client said in `initialize` that decides the host's features. */
export interface HostInit {
  /** The client serves `kubeGraceful/listFiles`, `kubeGraceful/readFile` and `kubeGraceful/stat` (the web client). */
  readonly clientFiles: boolean;
}

export interface ServerHost {
  readonly uris: UriPaths;
  /** The file-reading features; undefined where the server reads no files (the browser without a client that serves them). */
  disk(init: HostInit): DiskHost | undefined;
  /** Resolves after other pending work had a turn (between slices of a long parse). */
  yieldTurn(): Promise<void>;
}

/** The last segment of a path, with either separator. */
export function fileName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

/** True for a `.kube-graceful.yaml` (its diagnostics are the file's problems, not findings). */
export function isConfigFile(filePath: string | undefined): boolean {
  return filePath !== undefined && fileName(filePath) === CONFIG_FILE_NAME;
}

export function isKustomizationPath(p: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(fileName(p));
}
