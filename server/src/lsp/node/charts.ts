/**
 * Helm charts on disk for the language server: whether a file belongs to a chart (a folder
 * above it holds `Chart.yaml`), whether it is one of its templates, and the includes of the
 * chart's helpers (`_*.tpl` under `templates/`), re-read when one of them changes on disk, and
 * the chart's `values.yaml` (the editor's text while it is open, else the disk's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { helperIncludes, readChartValues, type ChartValues } from '../../core';
import type { ChartPlace, ChartSource } from '../host';
import { pathToUri } from './uri';

export function chartPlaceOf(file: string): ChartPlace | undefined {
  let d = path.dirname(path.resolve(file));
  for (;;) {
    if (fs.existsSync(path.join(d, 'Chart.yaml'))) {
      const rel = path.relative(d, path.resolve(file)).split(path.sep);
      return { root: d, template: rel[0] === 'templates' };
    }
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

function helperFiles(dir: string, out: string[], depth = 0): void {
  if (depth > 8) return;
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) helperFiles(full, out, depth + 1);
    else if (d.isFile() && /^_.*\.tpl$/.test(d.name)) out.push(full);
  }
}

/** The includes of each chart's helpers, keyed by the chart root and the helpers' modification times. */
export class ChartHelperCache {
  private readonly byRoot = new Map<string, { stamp: string; includes: Map<string, string[]> }>();

  includesOf(root: string): Map<string, string[]> {
    const files: string[] = [];
    helperFiles(path.join(root, 'templates'), files);
    const stamps = files.map((f) => {
      try {
        return `${f}:${fs.statSync(f).mtimeMs}`;
      } catch {
        return f;
      }
    });
    const stamp = stamps.join('|');
    const cached = this.byRoot.get(root);
    if (cached?.stamp === stamp) return cached.includes;
    const texts: string[] = [];
    for (const f of files) {
      try {
        texts.push(fs.readFileSync(f, 'utf8'));
      } catch {
        // An unreadable helper leaves its includes unknown.
      }
    }
    const includes = helperIncludes(texts);
    this.byRoot.set(root, { stamp, includes });
    return includes;
  }
}

/** True when `file` is the `values.yaml` at the root of a chart. */
export function isChartValuesFile(file: string | undefined): boolean {
  if (file === undefined || path.basename(file) !== 'values.yaml') return false;
  return fs.existsSync(path.join(path.dirname(path.resolve(file)), 'Chart.yaml'));
}

/**
 * Each chart's `values.yaml`: the text of an open editor wins over the disk, which is re-read
 * when its modification time changes. Its `filePath` is the file's URI, as related locations
 * in other files are named.
 */
export class ChartValuesCache {
  private readonly disk = new Map<string, { stamp: number; values: ChartValues | undefined }>();
  private readonly open = new Map<string, ChartValues>();

  /** The editor's text of a values file (undefined: closed, the disk counts again). */
  setOpen(file: string, text: string | undefined): void {
    const f = path.resolve(file);
    if (text === undefined) this.open.delete(f);
    else this.open.set(f, readChartValues(text, pathToUri(f)));
  }

  valuesOf(root: string): ChartValues | undefined {
    const file = path.join(root, 'values.yaml');
    const open = this.open.get(file);
    if (open) return open;
    let stamp: number;
    try {
      stamp = fs.statSync(file).mtimeMs;
    } catch {
      this.disk.delete(file);
      return undefined;
    }
    const cached = this.disk.get(file);
    if (cached?.stamp === stamp) return cached.values;
    let values: ChartValues | undefined;
    try {
      values = readChartValues(fs.readFileSync(file, 'utf8'), pathToUri(file));
    } catch {
      // An unreadable values file leaves every value unknown.
    }
    this.disk.set(file, { stamp, values });
    return values;
  }
}

/** The charts on disk, as the analyzer asks for them. */
export class DiskCharts implements ChartSource {
  private readonly helpers = new ChartHelperCache();
  private readonly values = new ChartValuesCache();

  placeOf(file: string): ChartPlace | undefined {
    return chartPlaceOf(file);
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
    return isChartValuesFile(file);
  }
}
