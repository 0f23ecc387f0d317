/** File URIs and paths. Only `file:` URIs map to paths; everything else (untitled:, vscode-vfs:) has none. */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

/**
 * A canonical form for comparing URIs from different sources (the client's may percent-encode
 * ':' in drive letters or differ in case on Windows): file URIs are rebuilt from their path.
 */
export function normalizeUri(uri: string): string {
  const p = uriToPath(uri);
  if (p === undefined) return uri;
  const norm = pathToUri(path.normalize(p));
  return process.platform === 'win32' ? norm.toLowerCase() : norm;
}

export function baseName(uri: string): string {
  const p = uriToPath(uri);
  if (p !== undefined) return path.basename(p);
  const i = uri.lastIndexOf('/');
  return i === -1 ? uri : uri.slice(i + 1);
}
