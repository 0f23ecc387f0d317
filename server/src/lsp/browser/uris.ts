/**
 * URIs and paths in the browser: a document's path is its URI's path (posix, decoded), whatever
 * its scheme (`vscode-vfs:`, `file:`, …), except `untitled:` documents, which have no file. The
 * URI each path was seen with is kept, so that a path maps back to the editor's URI; a path
 * never seen (a folder above, a file a kustomization names) takes the scheme and authority of
 * the nearest folder above it that was.
 */
import { normalize } from '../../core/kustomize/path';
import type { UriPaths } from '../host';
import { POSIX } from '../disk/posix';

interface Parsed {
  readonly scheme: string;
  readonly authority: string;
  /** Decoded. */
  readonly path: string;
}

function parse(uri: string): Parsed | undefined {
  const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)/.exec(uri);
  if (!m) return undefined;
  let path = m[3] ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: the path as written.
  }
  return { scheme: (m[1] ?? '').toLowerCase(), authority: m[2] ?? '', path };
}

/** Each segment percent-encoded as VS Code writes URIs. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export class BrowserUris implements UriPaths {
  /** Path → the URI it was seen with. */
  private readonly uris = new Map<string, string>();
  /** Folder → `scheme://authority` of a URI seen in it. */
  private readonly bases = new Map<string, string>();
  private lastBase = 'file://';

  readonly uriToPath = (uri: string): string | undefined => {
    const p = parse(uri);
    if (!p || p.scheme === 'untitled' || !p.path.startsWith('/')) return undefined;
    const path = normalize(p.path);
    if (!this.uris.has(path)) {
      this.uris.set(path, uri);
      const base = `${p.scheme}://${p.authority}`;
      this.bases.set(POSIX.dirname(path), base);
      this.bases.set(path, base);
      this.lastBase = base;
    }
    return path;
  };

  readonly pathToUri = (path: string): string => {
    const seen = this.uris.get(path);
    if (seen !== undefined) return seen;
    for (let d = path; ; ) {
      const base = this.bases.get(d);
      if (base !== undefined) return `${base}${encodePath(path)}`;
      const parent = POSIX.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    return `${this.lastBase}${encodePath(path)}`;
  };

  /** One spelling per URI: scheme in lower case, the path decoded and encoded again. */
  readonly normalizeUri = (uri: string): string => {
    const p = parse(uri);
    if (!p || p.scheme === 'untitled' || !p.path.startsWith('/')) return uri;
    return `${p.scheme}://${p.authority}${encodePath(normalize(p.path))}`;
  };
}
