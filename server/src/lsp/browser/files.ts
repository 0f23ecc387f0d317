/**
 * The workspace folders as the client lists and reads them, for the workspace index. The index
 * reads the listed files one after the other; through the editor each read is a round trip (on
 * github.dev, to the repository), so the files after the one asked for are asked for at once
 * (`READ_AHEAD` of them) and their answers kept until the index reads them, unless a file
 * event for one comes first.
 */
import { folderContains } from '../disk/files';
import { POSIX } from '../disk/posix';
import type { IndexedFolder, WorkspaceFiles } from '../host';
import { isManifestPath } from '../services/workspaceIndex';
import { asText, asUriList, type ClientRequests } from './protocol';

/** What the index lists: manifests (the folder's `files.exclude` applies on both sides). */
export const MANIFEST_PATTERN = '**/*.{yaml,yml}';

/** Reads in flight ahead of the index. */
export const READ_AHEAD = 8;

export class ClientWorkspaceFiles implements WorkspaceFiles {
  /** The last listing, in the order the index reads it, and where each file is in it. */
  private listed: string[] = [];
  private readonly position = new Map<string, number>();
  private readonly ahead = new Map<string, { maxBytes: number; text: Promise<unknown> }>();

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
    this.listed = out;
    this.position.clear();
    this.ahead.clear();
    out.forEach((p, i) => this.position.set(p, i));
    return out;
  }

  contains(folders: readonly IndexedFolder[], p: string): boolean {
    return folderContains(POSIX, folders, p);
  }

  /** The client answers null for a missing file, a folder or one over `maxBytes`; a failed request throws. */
  async read(file: string, maxBytes: number): Promise<string | undefined> {
    const early = this.ahead.get(file);
    this.ahead.delete(file);
    const text = early?.maxBytes === maxBytes ? early.text : this.ask(file, maxBytes);
    const at = this.position.get(file);
    this.position.delete(file);
    if (at !== undefined) {
      for (const next of this.listed.slice(at + 1, at + 1 + READ_AHEAD)) {
        if (!this.ahead.has(next) && this.position.has(next)) this.ahead.set(next, { maxBytes, text: this.ask(next, maxBytes) });
      }
    }
    return asText(await text);
  }

  /** A file event: an answer read ahead for `p` is stale. */
  forget(p: string): void {
    this.ahead.delete(p);
  }

  private ask(file: string, maxBytes: number): Promise<unknown> {
    const text = this.requests.readFile({ uri: this.uris.pathToUri(file), maxBytes });
    // Read ahead and maybe never read: a failure is reported when (and if) the index reads it.
    text.catch(() => undefined);
    return text;
  }
}
