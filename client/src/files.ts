/**
 * The workspace's files, served to the web worker language server, which has no disk: it asks
 * through these requests and reads through the editor's file system (`workspace.fs`,
 * `workspace.findFiles`), so that vscode.dev and github.dev read the repository's files.
 * The server's side is server/src/lsp/browser/protocol.ts. Nothing here imports Node.
 */
import { FileSystemError, FileType, RelativePattern, Uri, workspace } from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';

const LIST_FILES = 'kubeGraceful/listFiles';
const READ_FILE = 'kubeGraceful/readFile';
const STAT = 'kubeGraceful/stat';

function field(params: unknown, key: string): unknown {
  return params !== null && typeof params === 'object' ? (params as Record<string, unknown>)[key] : undefined;
}

function uriField(params: unknown): Uri {
  const raw = field(params, 'uri');
  if (typeof raw !== 'string') throw new Error('a file request without a uri');
  return Uri.parse(raw, true);
}

/** Missing files and folders are answers (null); other errors fail the request. */
function isMissing(error: unknown): boolean {
  return error instanceof FileSystemError && (error.code === 'FileNotFound' || error.code === 'FileIsADirectory');
}

/** `{ base, pattern }`: the files under `base` matching the glob, `files.exclude` applied. */
async function listFiles(params: unknown): Promise<string[]> {
  const base = field(params, 'base');
  const pattern = field(params, 'pattern');
  if (typeof base !== 'string' || typeof pattern !== 'string') throw new Error('listFiles needs a base and a pattern');
  const found = await workspace.findFiles(new RelativePattern(Uri.parse(base, true), pattern));
  return found.map((u) => u.toString());
}

/** `{ uri, maxBytes }`: the text; null for a missing file, a folder or a file over maxBytes. */
async function readFile(params: unknown): Promise<string | null> {
  const uri = uriField(params);
  const maxBytes = field(params, 'maxBytes');
  try {
    const stat = await workspace.fs.stat(uri);
    if ((stat.type & FileType.File) === 0) return null;
    if (typeof maxBytes === 'number' && stat.size > maxBytes) return null;
    return new TextDecoder().decode(await workspace.fs.readFile(uri));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/**
 * `{ uri }`: `{ type, size, mtime }`; null for a file that cannot be looked at. The server looks
 * for `.kube-graceful.yaml` and `Chart.yaml` in folders up to the root, where a virtual file
 * system may answer with any error: each means "not there".
 */
async function stat(params: unknown): Promise<{ type: string; size: number; mtime: number } | null> {
  const uri = uriField(params);
  try {
    const s = await workspace.fs.stat(uri);
    const type = (s.type & FileType.File) !== 0 ? 'file' : (s.type & FileType.Directory) !== 0 ? 'directory' : 'other';
    return { type, size: s.size, mtime: s.mtime };
  } catch {
    return null;
  }
}

/** Answers the server's file requests (registered before the client starts). */
export function serveFiles(client: BaseLanguageClient): void {
  client.onRequest(LIST_FILES, listFiles);
  client.onRequest(READ_FILE, readFile);
  client.onRequest(STAT, stat);
}
