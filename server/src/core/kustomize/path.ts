/** Posix paths ('/'-separated) for the build: the core imports no Node module. */

/** `a/./b/../c` → `a/c`; keeps a leading '/', drops trailing ones; `..` above the root stays at the root. */
export function normalize(path: string): string {
  const abs = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const body = out.join('/');
  return abs ? `/${body}` : body === '' ? '.' : body;
}

/** `base` joined with `rel`; an absolute `rel` wins. */
export function join(base: string, rel: string): string {
  return normalize(rel.startsWith('/') ? rel : `${base}/${rel}`);
}

export function dirname(path: string): string {
  const p = normalize(path);
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

/** A resource kustomize fetches over the network: a URL, a git or ssh address, a `github.com/…` path. */
export function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^git@/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || /\?ref=/.test(ref) || /\.git(\/\/|$)/.test(ref);
}
