/**
 * kube-graceful [options] <file|dir|->...
 * kube-graceful explain [options] <file|dir|->...   (see explain.ts)
 * Exit codes follow ESLint: 0 no errors, 1 errors (or too many warnings), 2 usage or I/O problems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzePrepared,
  DEFAULT_SETTINGS,
  fixAll,
  mergeSettings,
  ParseCache,
  ServiceIndex,
  parseKubernetesVersion,
  prepareText,
  type Finding,
  type PartialSettings,
  type PreparedFile,
  type ServiceInfo,
  type Settings,
} from '../core';
import { runExplain } from './explain';
import { mapRenderedSources } from './sources';
import { ChartHelpers, collectFiles, ConfigLocator, loadConfig, UsageError } from './files';
import { formatJson, formatSarif, formatStylish, messagesOf, type FileReport } from './formats';

const HELP = `Usage: kube-graceful [options] <file|dir|->...
       kube-graceful explain [options] <file|dir|->...

Finds Kubernetes manifests that drop requests when pods terminate, and fixes them.
Directories are searched for *.yaml and *.yml (node_modules and .git are skipped).
"-" reads a manifest from standard input, e.g.  helm template . | kube-graceful -
"explain" prints each workload's termination timeline instead (see explain --help).

Options:
  -f, --format <stylish|json|sarif>  Output format (default: stylish)
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
  format: 'stylish' | 'json' | 'sarif';
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
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const a = eq === -1 ? raw : raw.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`Option ${a} needs a value.`);
      return v;
    };
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
        if (v !== 'stylish' && v !== 'json' && v !== 'sarif') throw new UsageError(`Unknown format "${v}": use stylish, json or sarif.`);
        o.format = v;
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--kubernetes-version': {
        const v = value();
        if (!parseKubernetesVersion(v)) throw new UsageError(`Not a Kubernetes version: "${v}" (expected e.g. 1.30).`);
        o.kubernetesVersion = v.replace(/^v/, '');
        break;
      }
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

interface Input {
  readonly filePath: string;
  readonly text: string;
  readonly settings: Settings;
  prepared: PreparedFile;
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly readStdin: () => string;
  readonly isTty: boolean;
  readonly cwd: string;
}

export function run(argv: readonly string[], io: Io): number {
  if (argv[0] === 'explain') return runExplain(argv.slice(1), io);
  let opts: Options;
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
    opts = parsed;
  } catch (e) {
    io.stderr(`kube-graceful: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }

  const inputs: Input[] = [];
  try {
    const cli: PartialSettings = opts.kubernetesVersion !== undefined ? { kubernetesVersion: opts.kubernetesVersion } : {};
    const locator = new ConfigLocator();
    const explicit = opts.config !== undefined ? loadConfig(opts.config) : undefined;
    const configProblems: string[] = [];
    const seenConfigs = new Set<string>();
    const settingsFor = (dir: string): Settings => {
      const found = explicit ?? locator.find(dir);
      if (found && !seenConfigs.has(found.file)) {
        seenConfigs.add(found.file);
        for (const p of found.config.problems) configProblems.push(p.message);
      }
      return mergeSettings(DEFAULT_SETTINGS, found?.config.settings ?? {}, cli);
    };
    const stdinPaths = opts.paths.filter((p) => p === '-');
    const filePaths = collectFiles(opts.paths.filter((p) => p !== '-'));
    if (stdinPaths.length > 0) {
      const text = io.readStdin();
      inputs.push({ filePath: '<stdin>', text, settings: settingsFor(io.cwd), prepared: prepareText(text) });
    }
    for (const f of filePaths) {
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch {
        throw new UsageError(`Cannot read file: ${f}`);
      }
      inputs.push({ filePath: f, text, settings: settingsFor(path.dirname(f)), prepared: prepareText(text, new ParseCache()) });
    }
    if (configProblems.length > 0) {
      for (const p of configProblems) io.stderr(`kube-graceful: ${p}\n`);
      return 2;
    }
  } catch (e) {
    io.stderr(`kube-graceful: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }

  const allServices: ServiceInfo[] = [];
  for (const inp of inputs) for (const s of inp.prepared.services) allServices.push({ ...s, filePath: inp.filePath });
  // One index of every file's Services, built once: each file sees the others' through it
  // (its own are in its analysis already), so the cost stays linear in files and Services.
  const index = new ServiceIndex(allServices);

  const reports: FileReport[] = [];
  const charts = new ChartHelpers();
  for (const inp of inputs) {
    const helpers = charts.of(inp.filePath);
    const services = { services: index, excludeFile: inp.filePath, ...(helpers ? { helpers } : {}) };
    let text = inp.text;
    if (opts.fix) {
      const res = fixAll(text, { settings: inp.settings, ...services, cache: inp.prepared.cache });
      if (res.output !== text) {
        try {
          fs.writeFileSync(inp.filePath, res.output, 'utf8');
        } catch {
          io.stderr(`kube-graceful: cannot write ${inp.filePath}\n`);
          return 2;
        }
        text = res.output;
        inp.prepared = prepareText(text, inp.prepared.cache);
      }
    }
    const analysis = analyzePrepared(inp.prepared, { settings: inp.settings, ...services, cache: inp.prepared.cache });
    const fixable = new Set<Finding>();
    if (opts.format === 'stylish' || opts.format === 'json') for (const f of analysis.findings) if (analysis.fixFor(f)) fixable.add(f);
    const report = { filePath: inp.filePath, text, findings: analysis.findings, notices: analysis.notices, fixable };
    if (inp.filePath === '<stdin>') reports.push(...mapRenderedSources(report, inp.settings, io.cwd));
    else reports.push(report);
  }

  let output: string;
  if (opts.format === 'json') output = formatJson(reports) + '\n';
  else if (opts.format === 'sarif') output = formatSarif(reports, readVersion(), io.cwd) + '\n';
  else output = formatStylish(reports, opts.color ?? (io.isTty && opts.outputFile === undefined));

  if (opts.outputFile !== undefined) {
    try {
      fs.writeFileSync(opts.outputFile, output, 'utf8');
    } catch {
      io.stderr(`kube-graceful: cannot write ${opts.outputFile}\n`);
      return 2;
    }
  } else {
    io.stdout(output);
  }

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
  const code = run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    isTty: process.stdout.isTTY === true,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}

if (require.main === module) main();
