/**
 * kube-graceful [options] <file|dir|->...
 * kube-graceful explain [options] <file|dir|->...   (see explain.ts)
 * Exit codes follow ESLint: 0 no errors, 1 errors (or too many warnings), 2 usage or I/O problems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzePrepared,
  analyzeText,
  applyEdits,
  DEFAULT_SETTINGS,
  fixAll,
  mergeSettings,
  ParseCache,
  prepareText,
  readChartValues,
  type ChartValues,
  type PartialSettings,
  type Settings,
  type TextEdit,
} from '../core';
import { buildKustomizations, type KustomizeHost } from '../core/kustomize';
import { analyzeBuilds, overlayView, type OverlayResult } from '../core/overlays';
import { runExplain } from './explain';
import { ChartHelpers, collectFiles, commandArgs, ConfigLocator, Folders, kubernetesVersionArg, loadConfig, UsageError } from './files';
import { formatGithub, formatJson, formatSarif, formatStylish, messagesOf, type FileReport } from './formats';
import { analyseInput, input, optionsFor, reportOf, runIndexes, type Input, type RunIndexes, type SharedParses } from './inputs';
import { fileHost, kustomizationRoots, overlaysOf, type Overlay } from './kustomize';
import { parallelReports, threadsFor } from './parallel';
import { createProgress, shouldShowProgress, type Progress } from './progress';
import { mapRenderedSources } from './sources';

const HELP = `Usage: kube-graceful [options] <file|dir|->...
       kube-graceful explain [options] <file|dir|->...

Finds Kubernetes manifests that drop requests when pods terminate, and fixes them.
Directories are searched for *.yaml and *.yml (node_modules and .git are skipped).
"-" reads a manifest from standard input, e.g.  helm template . | kube-graceful -
"explain" prints each workload's termination timeline instead (see explain --help).

Options:
  -f, --format <stylish|json|sarif|github>
                                     Output format (default: stylish); github writes
                                     GitHub Actions annotations
      --fix                          Write fixes to the files
      --kubernetes-version <X.Y>     Target Kubernetes version (default: ${DEFAULT_SETTINGS.kubernetesVersion})
  -c, --config <file>                Use this configuration file instead of looking for .kube-graceful.yaml
      --max-warnings <n>             Exit 1 when there are more than n warnings
      --color / --no-color           Force or disable colours (default: on for a terminal)
  -o, --output-file <file>           Write the report to a file
  -h, --help                         Show this help
  -v, --version                      Show the version

Exit codes: 0 no errors, 1 errors or too many warnings, 2 bad usage or unreadable input.`;

interface Options {
  format: 'stylish' | 'json' | 'sarif' | 'github';
  fix: boolean;
  kubernetesVersion: string | undefined;
  config: string | undefined;
  maxWarnings: number;
  color: boolean | undefined;
  outputFile: string | undefined;
  paths: string[];
}

export function parseArgs(argv: readonly string[]): Options | 'help' | 'version' {
  const o: Options = { format: 'stylish', fix: false, kubernetesVersion: undefined, config: undefined, maxWarnings: -1, color: undefined, outputFile: undefined, paths: [] };
  for (const { name: a, raw, value } of commandArgs(argv)) {
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--version':
        return 'version';
      case '-f':
      case '--format': {
        const v = value();
        if (v !== 'stylish' && v !== 'json' && v !== 'sarif' && v !== 'github') throw new UsageError(`Unknown format "${v}": use stylish, json, sarif or github.`);
        o.format = v;
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--kubernetes-version':
        o.kubernetesVersion = kubernetesVersionArg(value());
        break;
      case '-c':
      case '--config':
        o.config = value();
        break;
      case '--max-warnings': {
        const v = value();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, not "${v}".`);
        o.maxWarnings = Number(v);
        break;
      }
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '-o':
      case '--output-file':
        o.outputFile = value();
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`Unknown option: ${a}. See --help.`);
        o.paths.push(raw);
    }
  }
  if (o.paths.length === 0) throw new UsageError('No files given. See --help.');
  if (o.fix && o.paths.includes('-')) throw new UsageError('--fix cannot write to standard input; give the file instead.');
  return o;
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly readStdin: () => string;
  readonly isTty: boolean;
  /** Whether stderr is a terminal: progress of long runs is shown there. */
  readonly stderrIsTty?: boolean;
  readonly cwd: string;
}

/** Parses the arguments; a number is the exit code when there is nothing more to do. */
function options(argv: readonly string[], io: Io): Options | number {
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.stdout(HELP + '\n');
      return 0;
    }
    if (parsed === 'version') {
      io.stdout(readVersion() + '\n');
      return 0;
    }
    return parsed;
  } catch (e) {
    io.stderr(`kube-graceful: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

/** A run before any file is read: its files, the folders holding a kustomization, and the settings of each folder. */
export interface RunStart {
  readonly filePaths: readonly string[];
  readonly stdin: boolean;
  /** The folders among the inputs that hold a kustomization (overlays are built from them). */
  readonly roots: readonly string[];
  readonly charts: ChartHelpers;
  /** The settings of a folder: the nearest `.kube-graceful.yaml` (or --config), then the options; throws when it cannot be read. */
  readonly settingsFor: (dir: string) => Settings;
  /** Problems of the configuration files used so far, each file once. */
  readonly configProblems: string[];
}

/** Loads --config and finds the files; throws a UsageError (missing input, unreadable folder or configuration). */
export function startRun(opts: Options): RunStart {
  const cli: PartialSettings = opts.kubernetesVersion !== undefined ? { kubernetesVersion: opts.kubernetesVersion } : {};
  // What the walk sees in each folder spares a look on disk per folder for the configuration, charts and kustomizations.
  const folders = new Folders();
  const locator = new ConfigLocator(folders);
  const explicit = opts.config !== undefined ? loadConfig(opts.config) : undefined;
  const configProblems: string[] = [];
  const seenConfigs = new Set<string>();
  const mergedByConfig = new Map<string, Settings>();
  const settingsFor = (dir: string): Settings => {
    const found = explicit ?? locator.find(dir);
    if (found && !seenConfigs.has(found.file)) {
      seenConfigs.add(found.file);
      for (const p of found.config.problems) configProblems.push(p.message);
    }
    // One settings object per configuration file: what is derived from settings is kept per object.
    const key = found?.file ?? '';
    let merged = mergedByConfig.get(key);
    if (!merged) mergedByConfig.set(key, (merged = mergeSettings(DEFAULT_SETTINGS, found?.config.settings ?? {}, cli)));
    return merged;
  };
  const filePaths = collectFiles(
    opts.paths.filter((p) => p !== '-'),
    folders,
  );
  const dirs = opts.paths.filter((p) => p !== '-' && isDirectory(p));
  const roots = kustomizationRoots(filePaths, dirs, fileHost(new Map()), folders);
  return { filePaths, stdin: opts.paths.includes('-'), roots, charts: new ChartHelpers(folders), settingsFor, configProblems };
}

/** The inputs of a run, read; the progress line; the overlays in view. */
interface ReadRun {
  readonly inputs: Input[];
  readonly progress: Progress;
  readonly overlays: OverlayRun | undefined;
  readonly charts: ChartHelpers;
}

/** Reads every input with its settings (the nearest `.kube-graceful.yaml`); an exit code on failure. */
function readInputs(opts: Options, io: Io, start: RunStart | undefined): ReadRun | number {
  const inputs: Input[] = [];
  let progress = createProgress(false, 0, io.stderr);
  try {
    const { filePaths, settingsFor, configProblems, charts, roots } = start ?? startRun(opts);
    const total = filePaths.length + (opts.paths.includes('-') ? 1 : 0);
    progress = createProgress(shouldShowProgress({ stderrIsTty: io.stderrIsTty === true, files: total }), total, io.stderr);
    if (opts.paths.includes('-')) {
      const text = io.readStdin();
      inputs.push(input('<stdin>', text, settingsFor(io.cwd), undefined, false));
    }
    // Without --fix and overlays, a file holding no workload is analysed as it is read.
    const early = !opts.fix && roots.length === 0;
    // With overlays, a file the builds read too is parsed once for both.
    const parses: SharedParses | undefined = roots.length > 0 ? new Map() : undefined;
    for (const f of filePaths) {
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch {
        throw new UsageError(`Cannot read file: ${f}`);
      }
      inputs.push(input(f, text, settingsFor(path.dirname(f)), charts.values(f), early, parses));
      progress.update('reading', inputs.length);
    }
    const overlays = parses ? readOverlays(io, inputs, settingsFor, roots, parses) : undefined;
    progress.clear();
    if (configProblems.length > 0) {
      for (const p of configProblems) io.stderr(`kube-graceful: ${p}\n`);
      return 2;
    }
    return { inputs, progress, overlays, charts };
  } catch (e) {
    progress.clear();
    io.stderr(`kube-graceful: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

/** The kustomize overlays in view, with the settings each is judged with. */
interface OverlayRun {
  readonly overlays: readonly Overlay[];
  readonly settingsFor: (dir: string) => Settings;
  /** Set once --fix has written files: the builds are made again from the new text. */
  fresh?: boolean;
  /** The files the builds read as documents, shared by every build of the run. */
  readonly parsed: NonNullable<KustomizeHost['parsed']>;
  /** Documents parsed, shared by the builds and the files' own analyses. */
  readonly parses: SharedParses;
}

/**
 * Finds the overlays among the inputs and adds to the inputs every file their builds read that
 * was not given (a base outside the folder given, a patch): its findings are reported too.
 */
function readOverlays(io: Io, inputs: Input[], settingsFor: (dir: string) => Settings, roots: readonly string[], parses: SharedParses): OverlayRun | undefined {
  const parsed: NonNullable<KustomizeHost['parsed']> = new Map();
  // The builds read the inputs' text, already read, and the disk only for the files not given.
  const texts = new Map(inputs.filter((i) => i.filePath !== '<stdin>').map((i) => [path.resolve(i.filePath), i.text]));
  const overlays = overlaysOf(roots, fileHost(texts, parsed, parses), io.cwd);
  if (overlays.length === 0) return undefined;
  const known = new Set(texts.keys());
  for (const o of overlays) {
    for (const file of o.build.files.keys()) {
      if (known.has(file)) continue;
      known.add(file);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      inputs.push(input(path.relative(io.cwd, file) || file, text, settingsFor(path.dirname(file)), undefined, false, parses));
    }
  }
  return { overlays, settingsFor, parsed, parses };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function writeFixed(io: Io, progress: Progress, inp: Input, output: string): boolean {
  try {
    fs.writeFileSync(inp.filePath, output, 'utf8');
    return true;
  } catch {
    progress.clear();
    io.stderr(`kube-graceful: cannot write ${inp.filePath}\n`);
    return false;
  }
}

/** Builds the overlays from the inputs' current text and places their findings. */
function overlayResult(run: OverlayRun, inputs: readonly Input[]): OverlayResult {
  const texts = new Map<string, string>();
  for (const inp of inputs) if (inp.filePath !== '<stdin>') texts.set(path.resolve(inp.filePath), inp.text);
  const host = fileHost(texts, run.parsed, run.parses);
  const fresh = run.fresh ? buildKustomizations(run.overlays.map((o) => o.build.root), host) : undefined;
  const builds = run.overlays.map((o, i) => ({ build: fresh?.[i] ?? o.build, settings: run.settingsFor(o.build.root), label: o.label, host }));
  return analyzeBuilds(builds);
}

/** With overlays in view, --fix fixes in each file only what its builds still report. */
function fixWithOverlays(io: Io, inputs: readonly Input[], progress: Progress, ctx: { run: OverlayRun; idx: RunIndexes; charts: ChartHelpers }): number | undefined {
  const result = overlayResult(ctx.run, inputs);
  for (const inp of inputs) {
    if (inp.filePath === '<stdin>') continue;
    const opts = { settings: inp.settings, ...optionsFor(inp, ctx.idx, ctx.charts) };
    const abs = path.resolve(inp.filePath);
    const placed = result.placed.get(abs) ?? [];
    const view = result.covered.has(abs) || placed.length > 0 ? overlayView(analyzeText(inp.text, opts), abs, result) : undefined;
    const res = fixAll(inp.text, opts, view ? (_, f) => view.keeps(f) : () => true);
    if (res.output === inp.text) continue;
    if (!writeFixed(io, progress, inp, res.output)) return 2;
    inp.text = res.output;
    inp.prepared = undefined;
    progress.update('fixing', inputs.indexOf(inp) + 1);
  }
  ctx.run.fresh = true;
  return fixPatches(io, inputs, progress, ctx.run);
}

/** Then the fixes of what only the builds report, in the patch that writes the value; one edit per value. */
function fixPatches(io: Io, inputs: readonly Input[], progress: Progress, run: OverlayRun): number | undefined {
  const result = overlayResult(run, inputs);
  for (const inp of inputs) {
    if (inp.filePath === '<stdin>') continue;
    const edits: TextEdit[] = [];
    for (const p of result.placed.get(path.resolve(inp.filePath)) ?? []) {
      const fix = p.fix?.();
      if (fix && fix.edits.every((e) => !edits.some((x) => x.start < e.end && e.start < x.end))) edits.push(...fix.edits);
    }
    if (edits.length === 0) continue;
    const output = applyEdits(inp.text, edits);
    if (!writeFixed(io, progress, inp, output)) return 2;
    inp.text = output;
    inp.prepared = undefined;
  }
  return undefined;
}

/**
 * --fix in a Helm chart, first: the fixes that belong in values.yaml (a grace period or a sleep
 * the templates take from values), one edit per value, written before the templates are fixed
 * and read again with the new values.
 */
function fixValues(io: Io, inputs: readonly Input[], idx: RunIndexes, charts: ChartHelpers): number | undefined {
  const byFile = new Map<string, { values: ChartValues; edits: TextEdit[] }>();
  for (const inp of inputs) {
    const values = inp.chartValues;
    if (!values || !inp.text.includes('.Values')) continue;
    const analysis = analyzeText(inp.text, { settings: inp.settings, ...optionsFor(inp, idx, charts) });
    for (const f of analysis.findings) {
      for (const file of analysis.fixFor(f)?.files ?? []) {
        if (file.filePath !== values.filePath) continue;
        const entry = byFile.get(file.filePath) ?? { values, edits: [] };
        byFile.set(file.filePath, entry);
        if (file.edits.every((e) => !entry.edits.some((x) => x.start < Math.max(e.end, e.start + 1) && e.start < Math.max(x.end, x.start + 1)))) entry.edits.push(...file.edits);
      }
    }
  }
  for (const [file, { values, edits }] of byFile) {
    const text = applyEdits(values.text, edits);
    try {
      fs.writeFileSync(file, text, 'utf8');
    } catch {
      io.stderr(`kube-graceful: cannot write ${file}\n`);
      return 2;
    }
    const next = readChartValues(text, file);
    for (const inp of inputs) {
      if (inp.chartValues?.filePath !== file) continue;
      inp.chartValues = next;
      inp.prepared = undefined;
    }
  }
  return undefined;
}

/** Analyses (and with --fix, fixes and writes) every input against the Services and routes of all of them. */
function analyseInputs(opts: Options, io: Io, read: ReadRun): FileReport[] | number {
  const { inputs, progress, overlays: run, charts } = read;
  const idx = runIndexes(inputs);
  const reports: FileReport[] = [];
  if (opts.fix) {
    const code = fixValues(io, inputs, idx, charts);
    if (code !== undefined) return code;
  }
  if (run && opts.fix) {
    const code = fixWithOverlays(io, inputs, progress, { run, idx, charts });
    if (code !== undefined) return code;
  }
  const overlay = run ? overlayResult(run, inputs) : undefined;
  const wantFixable = opts.format === 'stylish' || opts.format === 'json';
  for (const inp of inputs) {
    if (inp.report) {
      reports.push(inp.report);
      inp.report = undefined;
      progress.update('analysing', reports.length);
      continue;
    }
    if (!opts.fix && !overlay && inp.filePath !== '<stdin>') {
      reports.push(analyseInput(inp, idx, charts, wantFixable));
      progress.update('analysing', reports.length);
      continue;
    }
    const services = optionsFor(inp, idx, charts);
    let text = inp.text;
    let prepared = inp.prepared ?? prepareText(text, new ParseCache(run?.parses), inp.chartValues ?? null);
    inp.prepared = undefined;
    if (opts.fix && !run) {
      const res = fixAll(text, { settings: inp.settings, ...services, cache: prepared.cache });
      if (res.output !== text) {
        if (!writeFixed(io, progress, inp, res.output)) return 2;
        text = res.output;
        prepared = prepareText(text, prepared.cache);
      }
    }
    const own = analyzePrepared(prepared, { settings: inp.settings, ...services, cache: prepared.cache });
    const analysis = (overlay && inp.filePath !== '<stdin>' ? overlayView(own, path.resolve(inp.filePath), overlay)?.analysis : undefined) ?? own;
    const report = reportOf(inp.filePath, text, analysis, wantFixable);
    if (inp.filePath === '<stdin>') reports.push(...mapRenderedSources(report, inp.settings, io.cwd));
    else reports.push(report);
    progress.update(opts.fix ? 'fixing' : 'analysing', reports.length);
  }
  progress.clear();
  return reports;
}

/** Writes the report in the chosen format to stdout or the output file; false when it cannot be written. */
function writeReport(opts: Options, io: Io, reports: readonly FileReport[]): boolean {
  let output: string;
  if (opts.format === 'json') output = formatJson(reports) + '\n';
  else if (opts.format === 'sarif') output = formatSarif(reports, readVersion(), io.cwd) + '\n';
  else if (opts.format === 'github') output = formatGithub(reports, io.cwd);
  else output = formatStylish(reports, opts.color ?? (io.isTty && opts.outputFile === undefined));
  if (opts.outputFile === undefined) {
    io.stdout(output);
    return true;
  }
  try {
    fs.writeFileSync(opts.outputFile, output, 'utf8');
    return true;
  } catch {
    io.stderr(`kube-graceful: cannot write ${opts.outputFile}\n`);
    return false;
  }
}

export function run(argv: readonly string[], io: Io): number {
  if (argv[0] === 'explain') return runExplain(argv.slice(1), io);
  const opts = options(argv, io);
  if (typeof opts === 'number') return opts;
  return runWith(opts, io, undefined);
}

/** The run on one thread, from its start when it was made already. */
function runWith(opts: Options, io: Io, start: RunStart | undefined): number {
  const read = readInputs(opts, io, start);
  if (typeof read === 'number') return read;
  const reports = analyseInputs(opts, io, read);
  if (typeof reports === 'number') return reports;
  return finish(opts, io, reports);
}

function finish(opts: Options, io: Io, reports: readonly FileReport[]): number {
  if (!writeReport(opts, io, reports)) return 2;
  return exitCode(opts, io, reports);
}

/**
 * `run`, with a big run (see parallel.ts) read and analysed on worker threads as well: the same
 * output. Runs with --fix, standard input or kustomize overlays, and small runs, stay on one thread.
 */
export async function runParallel(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'explain') return runExplain(argv.slice(1), io);
  const opts = options(argv, io);
  if (typeof opts === 'number') return opts;
  let start: RunStart;
  try {
    start = startRun(opts);
  } catch {
    // The single-threaded run reports it as it always has.
    return runWith(opts, io, undefined);
  }
  const threads = threadsFor(start.filePaths.length);
  if (threads > 1 && !opts.fix && !start.stdin && start.roots.length === 0) {
    const progress = createProgress(shouldShowProgress({ stderrIsTty: io.stderrIsTty === true, files: start.filePaths.length }), start.filePaths.length, io.stderr);
    const reports = await parallelReports(start, threads, opts.format === 'stylish' || opts.format === 'json', progress).catch(() => undefined);
    progress.clear();
    // A configuration or file that cannot be read, or a worker that failed: the run is made again on one thread.
    if (reports) return finish(opts, io, reports);
    return runWith(opts, io, undefined);
  }
  return runWith(opts, io, start);
}

/** ESLint's exit codes: 1 on errors or too many warnings, else 0. */
function exitCode(opts: Options, io: Io, reports: readonly FileReport[]): number {
  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const m of messagesOf(r)) {
      if (m.severity === 2) errors++;
      else if (m.severity === 1) warnings++;
    }
  }
  if (errors > 0) return 1;
  if (opts.maxWarnings >= 0 && warnings > opts.maxWarnings) {
    io.stderr(`kube-graceful found too many warnings (maximum: ${opts.maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

export function main(): void {
  void runParallel(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    isTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
