/** File discovery and configuration lookup for the CLI: the I/O the core never does. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, helperIncludes, parseConfig, readChartValues, parseKubernetesVersion, type ChartValues, type ParsedConfig } from '../core';

const SKIP_DIRS = new Set(['node_modules', '.git']);

export class UsageError extends Error {}

/** Names the CLI looks for in folders, lower-cased: a chart, a configuration file, a kustomization. */
const LOOKED_FOR = new Set(['chart.yaml', CONFIG_FILE_NAME.toLowerCase(), 'kustomization.yaml', 'kustomization.yml', 'kustomization']);
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'kustomization'];

/**
 * What the file walk saw in each folder it listed: which of the names the CLI looks for are
 * there (compared without case, so it is never less than the file system would find). A folder
 * listed without such a name is known not to hold it, which saves a look on disk per folder; a
 * name seen is still confirmed on disk, and a folder not listed is looked at as before.
 */
export class Folders {
  private readonly seen = new Map<string, ReadonlySet<string>>();

  note(dir: string, entries: readonly fs.Dirent[]): void {
    const names = new Set<string>();
    for (const d of entries) {
      const n = d.name.toLowerCase();
      if (LOOKED_FOR.has(n)) names.add(n);
    }
    this.seen.set(path.resolve(dir), names);
  }

  /** False when the walk listed `dir` (absolute) and `name` was not in it. */
  mayHold(dir: string, name: string): boolean {
    return this.seen.get(dir)?.has(name.toLowerCase()) ?? true;
  }

  /** False when the walk listed `dir` (absolute) and no kustomization file name was in it. */
  mayHoldKustomization(dir: string): boolean {
    const names = this.seen.get(dir);
    return names === undefined || KUSTOMIZATION_NAMES.some((n) => names.has(n));
  }
}

/**
 * The folder holding `Chart.yaml` at or above `dir`, when `dir` is inside a Helm chart
 * (up to `stop`, the folder the walk started from, or the file system's root).
 */
export function chartRootOf(dir: string, known?: Map<string, string | undefined>, folders?: Folders): string | undefined {
  const d = path.resolve(dir);
  if (known?.has(d)) return known.get(d);
  let root: string | undefined;
  if ((folders?.mayHold(d, 'Chart.yaml') ?? true) && fs.existsSync(path.join(d, 'Chart.yaml'))) root = d;
  else {
    const parent = path.dirname(d);
    root = parent === d ? undefined : chartRootOf(parent, known, folders);
  }
  known?.set(d, root);
  return root;
}

/** In a chart only `templates/` holds manifests: values files, Chart.yaml and ci/ values are not read. */
function chartSkips(file: string, known: Map<string, string | undefined>, folders: Folders): boolean {
  const root = chartRootOf(path.dirname(file), known, folders);
  if (root === undefined) return false;
  const rel = path.relative(root, path.resolve(file)).split(path.sep);
  return rel[0] !== 'templates';
}

/** Expands paths: files as given, directories recursively to *.yaml / *.yml (in a Helm chart, those under templates/), sorted. */
export function collectFiles(paths: readonly string[], folders = new Folders()): string[] {
  const out: string[] = [];
  // Chart roots by folder, for this walk: one look for Chart.yaml per folder, not per file.
  const known = new Map<string, string | undefined>();
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`No such file or directory: ${p}`);
    }
    if (st.isDirectory()) walk(p, out, { known, folders });
    else out.push(p);
  }
  return out;
}

function walk(dir: string, out: string[], ctx: { known: Map<string, string | undefined>; folders: Folders }): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    throw new UsageError(`Cannot read directory: ${dir}`);
  }
  ctx.folders.note(dir, names);
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) walk(full, out, ctx);
    } else if (d.isFile() && /\.ya?ml$/i.test(d.name) && d.name !== CONFIG_FILE_NAME && !chartSkips(full, ctx.known, ctx.folders)) {
      out.push(full);
    }
  }
}

/** The helpers (the `_*.tpl` files under `templates/`) and the `values.yaml` of the chart a file belongs to, read once per chart. */
export class ChartHelpers {
  private readonly byRoot = new Map<string, Map<string, string[]>>();
  private readonly valuesByRoot = new Map<string, ChartValues | undefined>();
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly folders?: Folders) {}

  /** The chart's values.yaml; undefined outside a chart or when it has none. */
  values(file: string): ChartValues | undefined {
    if (file === '<stdin>') return undefined;
    const root = chartRootOf(path.dirname(file), this.known, this.folders);
    if (root === undefined) return undefined;
    if (!this.valuesByRoot.has(root)) {
      const f = path.join(root, 'values.yaml');
      let v: ChartValues | undefined;
      try {
        v = readChartValues(fs.readFileSync(f, 'utf8'), f);
      } catch {
        // No values file (or unreadable): values stay unknown.
      }
      this.valuesByRoot.set(root, v);
    }
    return this.valuesByRoot.get(root);
  }

  of(file: string): Map<string, string[]> | undefined {
    if (file === '<stdin>') return undefined;
    const root = chartRootOf(path.dirname(file), this.known, this.folders);
    if (root === undefined) return undefined;
    let m = this.byRoot.get(root);
    if (!m) {
      const texts: string[] = [];
      readHelpers(path.join(root, 'templates'), texts);
      m = helperIncludes(texts);
      this.byRoot.set(root, m);
    }
    return m;
  }
}

function readHelpers(dir: string, out: string[]): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) readHelpers(full, out);
    else if (d.isFile() && /^_.*\.tpl$/.test(d.name)) {
      try {
        out.push(fs.readFileSync(full, 'utf8'));
      } catch {
        // An unreadable helper leaves its includes unknown.
      }
    }
  }
}

/** Finds `.kube-graceful.yaml` from a directory upward; caches per directory. */
export class ConfigLocator {
  private readonly byDir = new Map<string, { file: string; config: ParsedConfig } | null>();

  constructor(private readonly folders?: Folders) {}

  find(dir: string): { file: string; config: ParsedConfig } | null {
    const abs = path.resolve(dir);
    const cached = this.byDir.get(abs);
    if (cached !== undefined) return cached;
    const candidate = path.join(abs, CONFIG_FILE_NAME);
    let found: { file: string; config: ParsedConfig } | null = null;
    if ((this.folders?.mayHold(abs, CONFIG_FILE_NAME) ?? true) && fs.existsSync(candidate)) {
      found = loadConfig(candidate);
    } else {
      const parent = path.dirname(abs);
      found = parent === abs ? null : this.find(parent);
    }
    this.byDir.set(abs, found);
    return found;
  }
}

export function loadConfig(file: string): { file: string; config: ParsedConfig } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read configuration file: ${file}`);
  }
  return { file, config: parseConfig(text, file) };
}

/** One command-line argument: its name (`--opt` of `--opt=value`) and, on demand, its value. */
export interface Arg {
  readonly name: string;
  readonly raw: string;
  /** The option's value: after `=`, else the next argument (taken). */
  readonly value: () => string;
}

/** The arguments of a command line, one at a time; `value()` consumes the next one when needed. */
export function* commandArgs(argv: readonly string[]): Generator<Arg> {
  let i = 0;
  while (i < argv.length) {
    const raw = argv[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq === -1 ? raw : raw.slice(0, eq);
    yield {
      name,
      raw,
      value: (): string => {
        if (eq !== -1) return raw.slice(eq + 1);
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`Option ${name} needs a value.`);
        return v;
      },
    };
    i++;
  }
}

/** The value of `--kubernetes-version`, checked, without a leading `v`. */
export function kubernetesVersionArg(v: string): string {
  if (!parseKubernetesVersion(v)) throw new UsageError(`Not a Kubernetes version: "${v}" (expected e.g. 1.30).`);
  return v.replace(/^v/, '');
}
