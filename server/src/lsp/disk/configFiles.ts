/**
 * Finding and reading `.kube-graceful.yaml`: the nearest one from a document's folder upward
 * (as the CLI does). An open editor's text of the file wins over the files, so edits take
 * effect before they are saved. Results are cached until a watched-file event or an edit of
 * the file clears them.
 */
import { CONFIG_FILE_NAME, parseConfig } from '../../core';
import type { ConfigFile, ConfigSource, FileAccess } from '../host';

export class ConfigFiles implements ConfigSource {
  /** Directory → path of the config file that applies to it (null: none up to the root). */
  private readonly lookup = new Map<string, string | null>();
  private readonly files = new Map<string, Promise<ConfigFile | undefined>>();

  constructor(
    private readonly fs: FileAccess,
    /** The open editor's text of a file, if it is open. */
    private readonly openText: (filePath: string) => string | undefined,
  ) {}

  /** The config file that applies to a document at `filePath`, if any. */
  async forDocument(filePath: string): Promise<ConfigFile | undefined> {
    const found = await this.find(this.fs.path.dirname(filePath));
    return found === null ? undefined : this.read(found);
  }

  /** Forget everything (a config file was created, changed, deleted, opened or closed). */
  clear(): void {
    this.lookup.clear();
    this.files.clear();
  }

  private async find(dir: string): Promise<string | null> {
    const visited: string[] = [];
    let result: string | null = null;
    for (let d = dir; ; ) {
      const cached = this.lookup.get(d);
      if (cached !== undefined) {
        result = cached;
        break;
      }
      visited.push(d);
      const candidate = this.fs.path.join(d, CONFIG_FILE_NAME);
      if (this.openText(candidate) !== undefined || (await this.fs.stat(candidate))?.type === 'file') {
        result = candidate;
        break;
      }
      const parent = this.fs.path.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    for (const d of visited) this.lookup.set(d, result);
    return result;
  }

  private read(filePath: string): Promise<ConfigFile | undefined> {
    let p = this.files.get(filePath);
    if (!p) {
      p = this.load(filePath);
      this.files.set(filePath, p);
    }
    return p;
  }

  private async load(filePath: string): Promise<ConfigFile | undefined> {
    const text = this.openText(filePath) ?? (await this.fs.readFile(filePath));
    if (text === undefined) return undefined;
    return { path: filePath, text, parsed: parseConfig(text, CONFIG_FILE_NAME) };
  }
}
