/**
 * What the language server takes from the platform it runs on. The Node server (`./node`)
 * maps file URIs to paths and reads the disk: the workspace's other manifests, the nearest
 * `.kube-graceful.yaml`, a Helm chart's helpers and values, kustomize overlays. The browser
 * server (`./browser`, a web worker) has no disk: it analyses the open documents with the
 * settings the client sends, and every feature behind `disk` is off.
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

/** What only a server with a disk does. */
export interface DiskHost {
  configFiles(openText: (filePath: string) => string | undefined): ConfigSource;
  readonly charts: ChartSource;
  overlays(openText: (filePath: string) => string | undefined, root: () => string | undefined): OverlaySource;
  readonly files: WorkspaceFiles;
}

export interface ServerHost {
  readonly uris: UriPaths;
  /** Undefined where the server reads no disk (the browser). */
  readonly disk: DiskHost | undefined;
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
