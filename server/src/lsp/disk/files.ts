/** Which files of the workspace folders the index reads: the part of listing that every host shares. */
import type { IndexedFolder, PathOps } from '../host';

/** Folders the index never enters. */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set(['node_modules', '.git']);

/** True when `p` is under one of the folders, not in an always-skipped folder and not excluded (itself or a folder on its way). */
export function folderContains(path: PathOps, folders: readonly IndexedFolder[], p: string): boolean {
  for (const f of folders) {
    const rel = path.relative(f.path, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const parts = rel.split(path.sep);
    if (parts.some((x) => ALWAYS_SKIPPED.has(x))) return false;
    for (let i = 1; i <= parts.length; i++) if (f.exclude(parts.slice(0, i).join('/'))) return false;
    return true;
  }
  return false;
}
