/** The workspace folders on disk, for the workspace index: listing manifests and reading them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALWAYS_SKIPPED, folderContains } from '../disk/files';
import type { IndexedFolder, WorkspaceFiles } from '../host';
import { isManifestPath } from '../services/workspaceIndex';

export class DiskFiles implements WorkspaceFiles {
  /** Every manifest under the folders, breadth first, skipping excluded folders; undefined when superseded. */
  async list(folders: readonly IndexedFolder[], current: () => boolean): Promise<string[] | undefined> {
    const out: string[] = [];
    for (const folder of folders) {
      const queue: string[] = [folder.path];
      for (let q = 0; q < queue.length; q++) {
        const dir = queue[q] as string;
        let dirents: fs.Dirent[];
        try {
          dirents = await fs.promises.readdir(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        if (!current()) return undefined;
        for (const d of dirents) {
          const full = path.join(dir, d.name);
          const rel = path.relative(folder.path, full).split(path.sep).join('/');
          if (d.isDirectory()) {
            if (!ALWAYS_SKIPPED.has(d.name) && !folder.exclude(rel)) queue.push(full);
          } else if (d.isFile() && isManifestPath(d.name) && !folder.exclude(rel)) out.push(full);
        }
      }
    }
    return out;
  }

  contains(folders: readonly IndexedFolder[], p: string): boolean {
    return folderContains(path, folders, p);
  }

  async read(file: string, maxBytes: number): Promise<string | undefined> {
    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile() || stat.size > maxBytes) return undefined;
      return await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'EISDIR') return undefined;
      throw e;
    }
  }
}
