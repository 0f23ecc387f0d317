/**
 * Kustomize overlays in the workspace, for the editor: every kustomization the workspace index
 * listed is built (reading open documents' text before the disk), the overlays among them are
 * analysed, and a file's analysis is then seen through them (core/overlays). The builds are made
 * again when a file they read changes, in the editor or among the files, and when the host's
 * `FileAccess` fetched files (its generation: the browser reads a build's files as it asks).
 */
import { analyzeBuilds, type OverlayResult } from '../../core/overlays';
import { buildKustomizations, KUSTOMIZATION_FILE_NAMES, type KustomizeBuild, type KustomizeHost } from '../../core/kustomize';
import type { Settings } from '../../core';
import { isKustomizationPath, type FileAccess, type OverlaySource } from '../host';

export class OverlayService implements OverlaySource {
  /** Kustomization directories in the workspace. */
  private readonly dirs = new Set<string>();
  /** The text each file had when the builds read it. */
  private read = new Map<string, string | undefined>();
  private cached: { key: string; result: OverlayResult } | undefined;
  /** Bumped whenever the builds must be made again. */
  version = 0;
  /** Files read as documents, reused while their text is the same. */
  private readonly parsed: NonNullable<KustomizeHost['parsed']> = new Map();

  constructor(
    private readonly fs: FileAccess,
    private readonly openText: (file: string) => string | undefined,
    private readonly root: () => string | undefined,
  ) {}

  /** The kustomization files the workspace holds (from the index's listing). */
  setKustomizations(files: readonly string[]): void {
    const dirs = new Set(files.map((f) => this.fs.path.dirname(f)));
    if (dirs.size === this.dirs.size && [...dirs].every((d) => this.dirs.has(d))) return;
    this.dirs.clear();
    for (const d of dirs) this.dirs.add(d);
    this.version++;
  }

  /**
   * A file changed (its editor text, or on disk when `text` is undefined): true when the builds
   * read it, so that they are made again and the other open files judged anew.
   */
  touched(file: string, text: string | undefined): boolean {
    if (isKustomizationPath(file)) {
      const dir = this.fs.path.dirname(file);
      if (!this.dirs.has(dir)) this.dirs.add(dir);
    }
    if (!this.read.has(file) && !isKustomizationPath(file)) return false;
    if (text !== undefined && this.read.get(file) === text) return false;
    this.version++;
    return true;
  }

  /** The overlays' findings, judged with `settings`; undefined when the workspace has no kustomization. */
  resultFor(settings: Settings, settingsKey: string): OverlayResult | undefined {
    if (this.dirs.size === 0) return undefined;
    const key = `${this.version}\u0000${this.fs.generation}\u0000${settingsKey}`;
    if (this.cached?.key === key) return this.cached.result;
    const read = new Map<string, string | undefined>();
    const host = this.host(read);
    const dirs = [...this.dirs].sort().filter((d) => KUSTOMIZATION_FILE_NAMES.some((name) => host.readFile(this.fs.path.join(d, name)) !== undefined));
    // A base several kustomizations build on is built once.
    const built = buildKustomizations(dirs, host);
    const builds = new Map<string, KustomizeBuild>(dirs.map((d, i) => [d, built[i] as KustomizeBuild]));
    const used = new Set<string>();
    for (const b of builds.values()) for (const u of b.uses) used.add(u);
    const root = this.root();
    const overlays = [...builds.entries()].filter(([d]) => !used.has(d)).map(([d, build]) => ({ build, settings, label: root ? this.fs.path.relative(root, d) || '.' : d, host }));
    const result = analyzeBuilds(overlays);
    this.read = read;
    this.cached = { key, result };
    return result;
  }

  private host(read: Map<string, string | undefined>): KustomizeHost {
    return {
      parsed: this.parsed,
      readFile: (p) => {
        const text = this.openText(p) ?? this.fs.readFileSync(p);
        read.set(p, text);
        return text;
      },
      isDirectory: (p) => this.fs.statSync(p)?.type === 'directory',
    };
  }
}
