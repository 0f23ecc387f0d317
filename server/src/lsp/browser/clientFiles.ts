/**
 * The workspace's files as the web worker server reads them: through the client's requests
 * (`./protocol`). Asynchronous reads ask each time. Synchronous reads (a chart's helpers and
 * values, kustomize builds) are answered from what was fetched: a question not asked before is
 * answered "missing" and fetched; when answers arrive that differ from the ones given, the
 * generation is bumped and the listeners called once per batch, so that the open documents are
 * judged again and ask again. A file event fetches the file's answers again, keeping the old
 * ones meanwhile.
 */
import type { FileAccess, FileStat } from '../host';
import { POSIX } from '../disk/posix';
import { asStat, asText, asUriList, MAX_READ_BYTES, type ClientRequests } from './protocol';

type Answer = FileStat | string | string[] | undefined;

interface Entry {
  value: Answer;
  /** Fetching (again). */
  pending: boolean;
}

/** `stat`, `text` or `find`, then the path (and for `find`, the name glob). */
type Key = string;

export class ClientFiles implements FileAccess {
  readonly path = POSIX;
  generation = 0;
  private readonly entries = new Map<Key, Entry>();
  private readonly listeners: (() => void)[] = [];
  private notifying = false;

  private readonly pathToUri: (p: string) => string;
  private readonly uriToPath: (uri: string) => string | undefined;

  constructor(
    private readonly requests: ClientRequests,
    uris: { readonly pathToUri: (p: string) => string; readonly uriToPath: (uri: string) => string | undefined },
    private readonly warn: (message: string) => void,
    /** Told of every file event (what others keep of the file is stale too). */
    private readonly onChanged: (p: string) => void = () => undefined,
  ) {
    this.pathToUri = uris.pathToUri;
    this.uriToPath = uris.uriToPath;
  }

  async stat(p: string): Promise<FileStat | undefined> {
    return asStat(await this.ask(() => this.requests.stat({ uri: this.pathToUri(p) })));
  }

  async readFile(p: string): Promise<string | undefined> {
    return asText(await this.ask(() => this.requests.readFile({ uri: this.pathToUri(p), maxBytes: MAX_READ_BYTES })));
  }

  statSync(p: string): FileStat | undefined {
    return this.answer(`stat\u0000${p}`) as FileStat | undefined;
  }

  readFileSync(p: string): string | undefined {
    return this.answer(`text\u0000${p}`) as string | undefined;
  }

  findSync(dir: string, name: string): string[] {
    return (this.answer(`find\u0000${dir}\u0000${name}`) as string[] | undefined) ?? [];
  }

  onFetched(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(p: string): void {
    this.onChanged(p);
    for (const [key, entry] of this.entries) {
      const [kind, at = ''] = key.split('\u0000');
      const affected = at === p || (kind !== 'text' && (p.startsWith(`${at}/`) || at === '/'));
      if (affected && !entry.pending) this.fetch(key, entry);
    }
  }

  private answer(key: Key): Answer {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: undefined, pending: false };
      this.entries.set(key, entry);
      this.fetch(key, entry);
    }
    return entry.value;
  }

  private fetch(key: Key, entry: Entry): void {
    entry.pending = true;
    void this.load(key).then((value) => {
      entry.pending = false;
      if (JSON.stringify(value) === JSON.stringify(entry.value)) return;
      entry.value = value;
      this.generation++;
      this.notify();
    });
  }

  private async load(key: Key): Promise<Answer> {
    const [kind, p = '', name = ''] = key.split('\u0000');
    if (kind === 'stat') return this.stat(p);
    if (kind === 'text') return this.readFile(p);
    const raw = await this.ask(() => this.requests.listFiles({ base: this.pathToUri(p), pattern: `**/${name}` }));
    return asUriList(raw)
      .map((u) => this.uriToPath(u))
      .filter((f): f is string => f !== undefined)
      .sort();
  }

  /** A request's answer; a failed request (logged) answers null. */
  private async ask(request: () => Promise<unknown>): Promise<unknown> {
    try {
      return await request();
    } catch (e) {
      this.warn(`kube-graceful: the client could not read a file: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /** One call of the listeners for the answers that arrive together. */
  private notify(): void {
    if (this.notifying) return;
    this.notifying = true;
    setTimeout(() => {
      this.notifying = false;
      for (const l of this.listeners) l();
    }, 0);
  }
}
