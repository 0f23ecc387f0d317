/**
 * Helm charts around a file, for the language server: whether a file belongs to a chart (a
 * folder above it holds `Chart.yaml`), whether it is one of its templates, the includes of the
 * chart's helpers (`_*.tpl` under `templates/`), re-read when one of them changes, and the
 * chart's `values.yaml` (the editor's text while it is open, else the file's). Everything is
 * read synchronously through the host's `FileAccess`; an answer is kept while the files'
 * modification times and the access's generation stay the same.
 */
import { helperIncludes, readChartValues, type ChartValues } from '../../core';
import type { ChartPlace, ChartSource, FileAccess } from '../host';

export function chartPlaceOf(fs: FileAccess, file: string): ChartPlace | undefined {
  const { path } = fs;
  let d = path.dirname(file);
  for (;;) {
    if (fs.statSync(path.join(d, 'Chart.yaml'))?.type === 'file') {
      const rel = path.relative(d, file).split(path.sep);
      return { root: d, template: rel[0] === 'templates' };
    }
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** The includes of each chart's helpers, keyed by the chart root and the helpers' modification times. */
export class ChartHelperCache {
  private readonly byRoot = new Map<string, { stamp: string; includes: Map<string, string[]> }>();

  constructor(private readonly fs: FileAccess) {}

  includesOf(root: string): Map<string, string[]> {
    const files = this.fs.findSync(this.fs.path.join(root, 'templates'), '_*.tpl');
    const stamps = files.map((f) => {
      const stat = this.fs.statSync(f);
      return stat ? `${f}:${stat.mtime}` : f;
    });
    const stamp = `${this.fs.generation}|${stamps.join('|')}`;
    const cached = this.byRoot.get(root);
    if (cached?.stamp === stamp) return cached.includes;
    const texts: string[] = [];
    for (const f of files) {
      // An unreadable helper leaves its includes unknown.
      const text = this.fs.readFileSync(f);
      if (text !== undefined) texts.push(text);
    }
    const includes = helperIncludes(texts);
    this.byRoot.set(root, { stamp, includes });
    return includes;
  }
}

/** True when `file` is the `values.yaml` at the root of a chart. */
export function isChartValuesFile(fs: FileAccess, file: string | undefined): boolean {
  if (file === undefined || fs.path.basename(file) !== 'values.yaml') return false;
  return fs.statSync(fs.path.join(fs.path.dirname(file), 'Chart.yaml'))?.type === 'file';
}

/**
 * Each chart's `values.yaml`: the text of an open editor wins over the file, which is re-read
 * when its modification time changes. Its `filePath` is the file's URI, as related locations
 * in other files are named.
 */
export class ChartValuesCache {
  private readonly disk = new Map<string, { stamp: string; values: ChartValues | undefined }>();
  private readonly open = new Map<string, ChartValues>();

  constructor(
    private readonly fs: FileAccess,
    private readonly pathToUri: (p: string) => string,
  ) {}

  /** The editor's text of a values file (undefined: closed, the file counts again). */
  setOpen(file: string, text: string | undefined): void {
    if (text === undefined) this.open.delete(file);
    else this.open.set(file, readChartValues(text, this.pathToUri(file)));
  }

  valuesOf(root: string): ChartValues | undefined {
    const file = this.fs.path.join(root, 'values.yaml');
    const open = this.open.get(file);
    if (open) return open;
    const stat = this.fs.statSync(file);
    if (stat?.type !== 'file') {
      this.disk.delete(file);
      return undefined;
    }
    const stamp = `${this.fs.generation}|${stat.mtime}`;
    const cached = this.disk.get(file);
    if (cached?.stamp === stamp) return cached.values;
    // An unreadable values file leaves every value unknown.
    const text = this.fs.readFileSync(file);
    const values = text !== undefined ? readChartValues(text, this.pathToUri(file)) : undefined;
    this.disk.set(file, { stamp, values });
    return values;
  }
}

/** The charts among the files, as the analyzer asks for them. */
export class FileCharts implements ChartSource {
  private readonly helpers: ChartHelperCache;
  private readonly values: ChartValuesCache;

  constructor(
    private readonly fs: FileAccess,
    pathToUri: (p: string) => string,
  ) {
    this.helpers = new ChartHelperCache(fs);
    this.values = new ChartValuesCache(fs, pathToUri);
  }

  placeOf(file: string): ChartPlace | undefined {
    return chartPlaceOf(this.fs, file);
  }

  includesOf(root: string): Map<string, string[]> {
    return this.helpers.includesOf(root);
  }

  valuesOf(root: string): ChartValues | undefined {
    return this.values.valuesOf(root);
  }

  setOpen(file: string, text: string | undefined): void {
    this.values.setOpen(file, text);
  }

  isValuesFile(file: string | undefined): boolean {
    return isChartValuesFile(this.fs, file);
  }
}
