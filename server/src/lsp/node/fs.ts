/** The disk as the shared file features read it (`../disk`): `node:fs` and `node:path`, answered at once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAccess, FileStat } from '../host';

function statOf(s: fs.Stats): FileStat {
  return { type: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mtime: s.mtimeMs };
}

/** A one-segment glob (`_*.tpl`) as a regular expression. */
function nameMatcher(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function findUnder(dir: string, name: RegExp, out: string[], depth = 0): void {
  if (depth > 8) return;
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) findUnder(full, name, out, depth + 1);
    else if (d.isFile() && name.test(d.name)) out.push(full);
  }
}

export const diskAccess: FileAccess = {
  path,
  stat: async (p) => {
    try {
      return statOf(await fs.promises.stat(p));
    } catch {
      return undefined;
    }
  },
  readFile: async (p) => {
    try {
      return await fs.promises.readFile(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  statSync: (p) => {
    try {
      return statOf(fs.statSync(p));
    } catch {
      return undefined;
    }
  },
  readFileSync: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  findSync: (dir, name) => {
    const out: string[] = [];
    findUnder(dir, nameMatcher(name), out);
    return out;
  },
  // The disk answers at once; readers compare modification times.
  generation: 0,
  onFetched: () => undefined,
  changed: () => undefined,
};
