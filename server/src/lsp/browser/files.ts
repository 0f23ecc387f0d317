/** The workspace folders as the client lists and reads them, for the workspace index. */
import { folderContains } from '../disk/files';
import { POSIX } from '../disk/posix';
import type { IndexedFolder, WorkspaceFiles } from '../host';
import { isManifestPath } from '../services/workspaceIndex';
import { asText, asUriList, type ClientRequests } from './protocol';

/** What the index lists: manifests (the folder's `files.exclude` applies on both sides). */
export const MANIFEST_PATTERN = '**/*.{yaml,yml}';

export class ClientWorkspaceFiles implements WorkspaceFiles {
  constructor(
    private readonly requests: ClientRequests,
    private readonly uris: { uriToPath(uri: string): string | undefined; pathToUri(p: string): string },
  ) {}

  async list(folders: readonly IndexedFolder[], current: () => boolean): Promise<string[] | undefined> {
    const out: string[] = [];
    for (const folder of folders) {
      const listed = asUriList(await this.requests.listFiles({ base: folder.uri, pattern: MANIFEST_PATTERN }));
      if (!current()) return undefined;
      const files = listed.map((u) => this.uris.uriToPath(u)).filter((p): p is string => p !== undefined && isManifestPath(p) && folderContains(POSIX, [folder], p));
      out.push(...files.sort());
    }
    return out;
  }

  contains(folders: readonly IndexedFolder[], p: string): boolean {
    return folderContains(POSIX, folders, p);
  }

  /** The client answers null for a missing file, a folder or one over `maxBytes`; a failed request throws. */
  async read(file: string, maxBytes: number): Promise<string | undefined> {
    return asText(await this.requests.readFile({ uri: this.uris.pathToUri(file), maxBytes }));
  }
}
