/**
 * Glob patterns as VS Code's `files.exclude` writes them, matched against paths relative to a
 * workspace folder with '/' separators: `**` spans segments, `*` and `?` stay inside one,
 * `{a,b}` alternates, `[...]` is a character class. A pattern matches a folder or a file;
 * the walker does not descend into a matched folder.
 */
export type GlobMatcher = (relativePath: string) => boolean;

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

export function globToRegExp(glob: string): RegExp | undefined {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  if (g.endsWith('/')) g = g.slice(0, -1);
  if (g.length === 0) return undefined;
  let re = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i] ?? '';
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` at a segment start: any number of whole segments; a trailing `**`: anything.
        const atStart = i === 0 || g[i - 1] === '/';
        i++;
        if (g[i + 1] === '/' && atStart) {
          i++;
          re += '(?:[^/]*/)*';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close === -1) {
        re += '\\[';
      } else {
        let cls = g.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls}]`;
        i = close;
      }
    } else {
      re += escapeRe(c);
    }
  }
  if (braces > 0) return undefined;
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

/** A matcher for the `true` entries of a `files.exclude`-style object; others (false, `when` clauses) are ignored. */
export function excludeMatcher(exclude: unknown): GlobMatcher {
  const res: RegExp[] = [];
  if (exclude !== null && typeof exclude === 'object') {
    for (const [pattern, on] of Object.entries(exclude as Record<string, unknown>)) {
      if (on !== true) continue;
      const re = globToRegExp(pattern);
      if (re) res.push(re);
    }
  }
  return (p) => res.some((re) => re.test(p));
}
