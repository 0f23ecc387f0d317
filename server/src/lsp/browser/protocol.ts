/**
 * The requests the web worker server sends to the web client (client/src/files.ts) to read the
 * workspace's files through the editor's file system, when the client announced them with
 * `initializationOptions.clientFiles`. URIs are the editor's; a folder is listed with a glob
 * relative to it, the editor's `files.exclude` applied.
 */
import type { FileStat } from '../host';

/** `{ base, pattern }` → the URIs of the files under `base` that `pattern` matches. */
export const LIST_FILES = 'kubeGraceful/listFiles';
/** `{ uri, maxBytes }` → the file's text; null when it is missing, a folder or over `maxBytes`. */
export const READ_FILE = 'kubeGraceful/readFile';
/** `{ uri }` → `{ type, size, mtime }`; null when it is missing. */
export const STAT = 'kubeGraceful/stat';

export interface ListFilesParams {
  readonly base: string;
  readonly pattern: string;
}

export interface ReadFileParams {
  readonly uri: string;
  readonly maxBytes: number;
}

export interface StatParams {
  readonly uri: string;
}

/** What the server asks the client, as promises (the connection's requests, or a test's). */
export interface ClientRequests {
  listFiles(params: ListFilesParams): Promise<unknown>;
  readFile(params: ReadFileParams): Promise<unknown>;
  stat(params: StatParams): Promise<unknown>;
}

/** Files the client serves in full: larger ones are not read. */
export const MAX_READ_BYTES = 2 * 1024 * 1024;

export function asUriList(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((u): u is string => typeof u === 'string') : [];
}

export function asText(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw : undefined;
}

export function asStat(raw: unknown): FileStat | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const type = o['type'];
  if (type !== 'file' && type !== 'directory' && type !== 'other') return undefined;
  const size = typeof o['size'] === 'number' ? o['size'] : 0;
  const mtime = typeof o['mtime'] === 'number' ? o['mtime'] : 0;
  return { type, size, mtime };
}
