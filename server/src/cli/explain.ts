/**
 * kube-graceful explain [options] <file|dir|->...
 * Prints each workload's termination timeline (the core's model, as text): one block per
 * workload, one lane per container with its hook, SIGTERM, the time the app then has and
 * SIGKILL, native sidecars in the order they get SIGTERM, and the findings about timing.
 * Exit codes: 0, or 2 for bad usage, unreadable input or an invalid configuration file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzePrepared,
  DEFAULT_SETTINGS,
  describeReason,
  inClusterRouter,
  laneDrain,
  LineIndex,
  mergeSettings,
  ParseCache,
  podTimeline,
  prepareText,
  servingContainers,
  type Drain,
  type Finding,
  type Lane,
  type PartialSettings,
  type PodTimeline,
  type PodView,
  type Seconds,
  type Settings,
} from '../core';
import { collectFiles, commandArgs, ConfigLocator, kubernetesVersionArg, loadConfig, UsageError } from './files';
import { runIndexes } from './inputs';
import type { Io } from './main';

export const EXPLAIN_HELP = `Usage: kube-graceful explain [options] <file|dir|->...

Prints the termination timeline of every workload: when endpoint removal and the preStop
hooks start, when each container gets SIGTERM, how long it then has, and when SIGKILL comes;
native sidecars in the order they are stopped; and the findings about timing.
"-" reads a manifest from standard input.

Options:
      --kubernetes-version <X.Y>     Target Kubernetes version (default: ${DEFAULT_SETTINGS.kubernetesVersion})
  -c, --config <file>                Use this configuration file instead of looking for .kube-graceful.yaml
  -h, --help                         Show this help

Exit codes: 0, or 2 for bad usage or unreadable input.`;

/** Rules whose findings are about when hooks, SIGTERM and SIGKILL happen (or whether they help). */
const TIMING_RULES = new Set([
  'prestop-hook-missing',
  'grace-period-too-short',
  'grace-period-zero',
  'sleep-action-unsupported',
  'prestop-exec-in-minimal-image',
  'shell-wrapper-blocks-sigterm',
  'prestop-sleep-too-short',
  'mesh-drain-exceeds-grace',
  'app-shutdown-exceeds-grace',
  'lb-drain-mismatch',
]);

interface ExplainOptions {
  kubernetesVersion: string | undefined;
  config: string | undefined;
  paths: string[];
}

function parseExplainArgs(argv: readonly string[]): ExplainOptions | 'help' {
  const o: ExplainOptions = { kubernetesVersion: undefined, config: undefined, paths: [] };
  for (const { name: a, raw, value } of commandArgs(argv)) {
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '--kubernetes-version':
        o.kubernetesVersion = kubernetesVersionArg(value());
        break;
      case '-c':
      case '--config':
        o.config = value();
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`Unknown option for explain: ${a}. See explain --help.`);
        o.paths.push(raw);
    }
  }
  if (o.paths.length === 0) throw new UsageError('No files given. See explain --help.');
  return o;
}

function s(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)} s`;
}

function at(x: Seconds, bound: string): string {
  return x.exact ? s(x.seconds) : `${bound} ${s(x.seconds)}`;
}

function quote(x: string): string {
  const clean = x.replace(/[\r\n]+/g, ' ');
  return `"${clean.length > 80 ? `${clean.slice(0, 77)}...` : clean}"`;
}

function hookText(lane: Lane): string {
  const p = lane.container.preStop;
  if (!p) return 'none';
  switch (p.form) {
    case 'sleep':
      return p.sleepSeconds !== undefined ? `sleep action, ${s(p.sleepSeconds)}` : 'sleep action (seconds not a number)';
    case 'exec':
      return p.execCommand ? `exec ${quote(p.execCommand.join(' '))}` : 'exec';
    case 'httpGet':
      return 'httpGet';
    case 'tcpSocket':
      return 'tcpSocket (deprecated; the kubelet does not run it)';
    case 'other':
      return 'a handler kube-graceful does not know';
  }
}

function graceLine(t: PodTimeline): string {
  switch (t.graceState) {
    case 'set':
      return `grace period ${s(t.grace)}`;
    case 'default':
      return `grace period ${s(t.grace)} (terminationGracePeriodSeconds not set: the default)`;
    case 'zero':
      return 'grace period 0: preStop hooks do not run and every container is killed at once';
    case 'negative':
      return `grace period ${t.graceRaw ?? '?'}: treated as ${s(t.grace)}`;
    case 'invalid':
      return `terminationGracePeriodSeconds is not a whole number; assuming the default ${s(t.grace)}`;
  }
}

/** The app's drain after SIGTERM (its own timeout, or the shutdownSeconds setting) and whether SIGKILL cuts it off. */
function drainLine(lane: Lane, d: Drain): string {
  const start = lane.sigterm?.seconds;
  if (start === undefined) return `    drain     ${d.label}, from SIGTERM`;
  if (d.seconds === 'unbounded') return `    drain     ${d.label}; SIGKILL cuts it off at ${s(lane.sigkill)}`;
  const end = start + d.seconds;
  const until = lane.sigterm?.exact === false ? `no earlier than ${s(end)}` : s(end);
  const cut = end > lane.sigkill ? `; SIGKILL cuts it off at ${s(lane.sigkill)}` : '';
  const what = d.from === 'setting' ? `up to ${s(d.seconds)} (the shutdownSeconds setting: no app timeout read)` : `${d.label}: up to ${s(d.seconds)}`;
  return `    drain     ${what}, until ${until}${cut}`;
}

function laneLines(t: PodTimeline, lane: Lane, drain: Drain): string[] {
  const out: string[] = [];
  const order = lane.turn !== undefined && t.sidecars.length > 1 ? `, ${ordinal(lane.turn)} of ${t.sidecars.length} sidecars to get SIGTERM` : '';
  const serving = lane.serving ? `serves traffic: ${describeReason(lane.serving)}` : 'serves no known traffic';
  out.push(`  ${lane.label} (${serving}${order})`);
  const h = lane.hook;
  const hook = hookText(lane);
  let preStop: string;
  switch (h.kind) {
    case 'none':
      preStop = 'none';
      break;
    case 'skipped':
      preStop = `${hook}: not run (grace period 0)`;
      break;
    case 'ignored':
      preStop = `${hook}: no delay`;
      break;
    case 'unknown':
      preStop = `${hook}: duration unknown (cut off at ${s(t.grace)})`;
      break;
    case 'timed': {
      const len = h.form === 'sleep' ? '' : h.exact ? `, ${s(h.seconds)}` : `, at least ${s(h.seconds)}`;
      preStop = `${hook}${len}, ${h.cutShort ? `cut short at ${s(t.grace)}` : `ends at ${at({ seconds: h.seconds, exact: h.exact }, 'no earlier than')}`}`;
    }
  }
  out.push(`    preStop   ${preStop}`);
  if (!t.hooksRun) {
    out.push('    SIGTERM   0 s', '    shutdown  none', '    SIGKILL   almost at once');
    return out;
  }
  let sigterm: string;
  if (lane.role === 'sidecar') {
    const earliest = lane.sigterm && lane.sigterm.seconds > 0 ? `no earlier than ${s(lane.sigterm.seconds)}, ` : '';
    const after = lane.turn !== undefined && lane.turn > 1 ? 'every main container and the sidecars stopped before it have' : 'every main container has';
    sigterm = `after ${after} exited (${earliest}${s(t.grace)} at the latest)`;
  } else if (lane.sigterm) {
    sigterm = at(lane.sigterm, 'no earlier than');
  } else {
    sigterm = `when the hook returns (${s(t.grace)} at the latest)`;
  }
  out.push(`    SIGTERM   ${sigterm}`);
  const budget = lane.budget ? `${lane.budget.exact ? '' : 'at most '}${s(lane.budget.seconds)} until SIGKILL` : `the rest of the ${s(t.grace)}`;
  const floor = lane.extension === 'applied' ? " (the kubelet's 2 s minimum)" : '';
  out.push(`    shutdown  ${budget}${floor}`, drainLine(lane, drain));
  let sigkill = s(lane.sigkill);
  if (lane.extension === 'applied' && lane.sigkill > t.grace) sigkill += ` (${s(lane.sigkill - t.grace)} past the grace period: the 2 s extension)`;
  if (lane.extension === 'possible') sigkill += ` (up to ${s(lane.sigkill + 2)} if SIGTERM comes less than 2 s before it)`;
  out.push(`    SIGKILL   ${sigkill}`);
  return out;
}

function ordinal(n: number): string {
  return ['1st', '2nd', '3rd'][n - 1] ?? `${n}th`;
}

function workloadBlock(pod: PodView, t: PodTimeline, filePath: string, lines: LineIndex, findings: readonly Finding[], settings: Settings): string[] {
  const o = pod.object;
  const line = lines.position(o.span.start).line + 1;
  const out: string[] = [];
  out.push(`${o.kind}/${o.name ?? '(unnamed)'}${o.namespace ? ` in ${o.namespace}` : ''}  ${filePath}:${line}`);
  if (pod.partial) out.push('  (a patch or fragment: fields missing here may come from elsewhere)');
  if (pod.batch) out.push(`  (${o.kind} pods serve no traffic as a rule)`);
  out.push(`  ${graceLine(t)}`);
  out.push(
    t.hooksRun
      ? '  0 s       the pod is deleted: endpoint removal starts, the grace countdown starts, every preStop hook begins'
      : '  0 s       the pod is deleted: endpoint removal starts; every container gets SIGTERM and is killed almost at once',
  );
  if (settings.minPropagationSeconds > 0) {
    const r = inClusterRouter(settings.minPropagationSeconds);
    out.push(`  routing   ${r.label} may send new requests for ${s(r.seconds)} (${r.source})`);
  }
  for (const lane of [...t.main, ...t.sidecars]) out.push(...laneLines(t, lane, laneDrain(lane, settings.shutdownSeconds)));
  if (findings.length > 0) {
    out.push('  findings');
    for (const f of findings) {
      const p = lines.position(f.span.start);
      out.push(`    ${p.line + 1}:${p.character + 1}  ${f.severity}  ${f.ruleId}  ${f.message}`);
    }
  }
  return out;
}

interface Input {
  readonly filePath: string;
  readonly text: string;
  readonly settings: Settings;
}

export function runExplain(argv: readonly string[], io: Io): number {
  let inputs: Input[];
  try {
    const parsed = parseExplainArgs(argv);
    if (parsed === 'help') {
      io.stdout(EXPLAIN_HELP + '\n');
      return 0;
    }
    inputs = readInputs(parsed, io);
  } catch (e) {
    io.stderr(`kube-graceful: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const prepared = inputs.map((inp) => ({ inp, prep: prepareText(inp.text, new ParseCache()) }));
  // The same indexes as the main command: every file's Services, routes and ConfigMaps.
  const idx = runIndexes(prepared.map(({ inp, prep }) => ({ filePath: inp.filePath, services: prep.services, routes: prep.routes, configMaps: prep.configMaps })));
  const blocks: string[] = [];
  for (const { inp, prep } of prepared) {
    const analysis = analyzePrepared(prep, { settings: inp.settings, services: idx.index, routes: idx.routes, configMaps: idx.configMaps, excludeFile: inp.filePath, cache: prep.cache });
    const lines = new LineIndex(inp.text);
    for (const n of analysis.notices) {
      if (n.kind === 'syntax-error') blocks.push(`${inp.filePath}:${lines.position(n.span.start).line + 1}: ${n.message}`);
    }
    for (const pod of analysis.pods) {
      const t = podTimeline(pod, servingContainers(pod, analysis.serviceLookup), analysis.configMapLookup);
      const mine = analysis.findings.filter((f) => TIMING_RULES.has(f.ruleId) && f.objectSpan.start === pod.object.span.start && f.objectSpan.end === pod.object.span.end);
      blocks.push(workloadBlock(pod, t, inp.filePath, lines, mine, inp.settings).join('\n'));
    }
  }
  io.stdout(blocks.length > 0 ? blocks.join('\n\n') + '\n' : 'No workloads found.\n');
  return 0;
}

function readInputs(opts: ExplainOptions, io: Io): Input[] {
  const cli: PartialSettings = opts.kubernetesVersion !== undefined ? { kubernetesVersion: opts.kubernetesVersion } : {};
  const locator = new ConfigLocator();
  const explicit = opts.config !== undefined ? loadConfig(opts.config) : undefined;
  const settingsFor = (dir: string): Settings => {
    const found = explicit ?? locator.find(dir);
    const problem = found?.config.problems[0];
    if (problem) throw new UsageError(problem.message);
    return mergeSettings(DEFAULT_SETTINGS, found?.config.settings ?? {}, cli);
  };
  const out: Input[] = [];
  if (opts.paths.includes('-')) {
    out.push({ filePath: '<stdin>', text: io.readStdin(), settings: settingsFor(io.cwd) });
  }
  for (const f of collectFiles(opts.paths.filter((p) => p !== '-'))) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      throw new UsageError(`Cannot read file: ${f}`);
    }
    out.push({ filePath: f, text, settings: settingsFor(path.dirname(f)) });
  }
  return out;
}
