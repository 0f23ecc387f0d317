/**
 * npm run fuzz -- [--seed N] [--iterations N | --minutes M] [--only I] [--save DIR]
 *                 [--max-giant CHARS] [--hang-seconds S] [--no-corpus]
 *
 * npm run fuzz -- --generated ...   (the generated-manifest fuzzer: see gen-main.ts)
 *
 * Long mutation-fuzzing runs. Cases run in a worker thread watched by the main thread, so a
 * case that never ends is reported (and saved) as a hang instead of stopping the run. Every
 * failing input is saved with the command that replays it. Exit code 1 when a property failed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { describeCase, loadSeeds, makeCase, runCase, type FuzzOptions, type SeedFile } from './engine';
import { genMain } from './gen-main';
import type { Problem } from './properties';

interface RunConfig {
  readonly seed: number;
  readonly iterations: number;
  readonly deadline: number;
  readonly only: number | undefined;
  readonly save: string;
  readonly maxGiant: number;
  readonly hangMs: number;
  readonly corpus: boolean;
}

interface CaseReport {
  readonly type: 'done';
  readonly iteration: number;
  readonly problems: readonly Problem[];
  readonly parsed: boolean;
  readonly fixesChecked: number;
  readonly analysisMs: number;
  readonly mutations: readonly string[];
  readonly description: string;
  readonly chars: number;
}

type WorkerMessage = { readonly type: 'start'; readonly iteration: number } | CaseReport | { readonly type: 'end' };

interface WorkerInput {
  readonly config: RunConfig;
  readonly from: number;
}

function fuzzOptions(config: RunConfig): FuzzOptions {
  return { maxGiant: config.maxGiant };
}

function seedsFor(config: RunConfig): SeedFile[] {
  return loadSeeds({ corpus: config.corpus }).seeds;
}

function workerMain(input: WorkerInput): void {
  const port = parentPort;
  if (!port) return;
  const { config } = input;
  const seeds = seedsFor(config);
  const last = config.only ?? config.iterations - 1;
  for (let i = config.only ?? input.from; i <= last && Date.now() < config.deadline; i++) {
    port.postMessage({ type: 'start', iteration: i } satisfies WorkerMessage);
    const c = makeCase(config.seed, i, seeds, fuzzOptions(config));
    const r = runCase(c, seeds, fuzzOptions(config));
    port.postMessage({
      type: 'done',
      iteration: i,
      problems: r.problems,
      parsed: r.parsed,
      fixesChecked: r.fixesChecked,
      analysisMs: r.analysisMs,
      mutations: c.mutations,
      description: describeCase(c),
      chars: c.text.length,
    } satisfies WorkerMessage);
  }
  port.postMessage({ type: 'end' } satisfies WorkerMessage);
}

function parseArgs(argv: readonly string[]): RunConfig {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const num = (name: string, dflt: number): number => {
    const v = get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${name} needs a number, got ${v}`);
    return n;
  };
  const minutes = get('--minutes');
  const only = get('--only');
  return {
    seed: num('--seed', Math.floor(Math.random() * 2 ** 31)),
    iterations: minutes !== undefined ? Number.MAX_SAFE_INTEGER : num('--iterations', 2000),
    deadline: minutes !== undefined ? Date.now() + Number(minutes) * 60_000 : Number.MAX_SAFE_INTEGER,
    only: only === undefined ? undefined : Number(only),
    save: get('--save') ?? path.join(os.tmpdir(), 'kube-graceful-fuzz'),
    maxGiant: num('--max-giant', 200_000),
    hangMs: num('--hang-seconds', 60) * 1000,
    corpus: !argv.includes('--no-corpus'),
  };
}

async function main(): Promise<number> {
  if (process.argv.includes('--generated')) return genMain(process.argv.slice(2));
  const config = parseArgs(process.argv.slice(2));
  const seeds = seedsFor(config);
  const replay = (i: number): string => `npm run fuzz -- --seed ${config.seed} --only ${i}${config.corpus ? '' : ' --no-corpus'}${config.maxGiant !== 200_000 ? ` --max-giant ${config.maxGiant}` : ''}`;
  process.stdout.write(
    `kube-graceful fuzz: seed ${config.seed}, ${seeds.length} seed files${config.corpus ? '' : ' (examples only)'}, ` +
      `${config.only !== undefined ? `iteration ${config.only} only` : config.deadline < Number.MAX_SAFE_INTEGER ? `until ${new Date(config.deadline).toISOString()}` : `${config.iterations} iterations`}\n`,
  );
  fs.mkdirSync(config.save, { recursive: true });
  const started = Date.now();
  let done = 0;
  let parsed = 0;
  let fixes = 0;
  const failures: { description: string; problems: readonly Problem[]; file: string; replay: string }[] = [];
  const byProperty = new Map<string, number>();
  const byMutation = new Map<string, number>();
  const slowest: { ms: number; description: string }[] = [];

  const save = (i: number, problems: readonly Problem[], description: string): void => {
    const c = makeCase(config.seed, i, seeds, fuzzOptions(config));
    const file = path.join(config.save, `seed-${config.seed}-iteration-${i}.yaml`);
    fs.writeFileSync(file, c.text);
    failures.push({ description, problems, file, replay: replay(i) });
    for (const p of problems) byProperty.set(p.property, (byProperty.get(p.property) ?? 0) + 1);
    process.stdout.write(`\nFAIL ${description}\n${problems.map((p) => `  ${p.property}: ${p.detail}`).join('\n')}\n  input: ${file}\n  replay: ${replay(i)}\n`);
  };

  let from = config.only ?? 0;
  for (;;) {
    const outcome = await new Promise<{ kind: 'end' } | { kind: 'hang'; iteration: number } | { kind: 'crash'; iteration: number; error: string }>((resolve) => {
      const worker = new Worker(__filename, { workerData: { config, from } satisfies WorkerInput });
      let current = from;
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          void worker.terminate();
          resolve({ kind: 'hang', iteration: current });
        }, config.hangMs);
      };
      arm();
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'start') {
          current = m.iteration;
          arm();
        } else if (m.type === 'done') {
          done++;
          if (m.parsed) parsed++;
          fixes += m.fixesChecked;
          for (const k of m.mutations) byMutation.set(k, (byMutation.get(k) ?? 0) + 1);
          slowest.push({ ms: m.analysisMs, description: m.description });
          slowest.sort((a, b) => b.ms - a.ms);
          slowest.length = Math.min(slowest.length, 5);
          if (m.problems.length > 0) save(m.iteration, m.problems, m.description);
          if (done % 250 === 0) process.stdout.write(`  ${done} cases, ${failures.length} failing, ${Math.round((Date.now() - started) / 1000)} s\n`);
        } else {
          if (timer) clearTimeout(timer);
          void worker.terminate();
          resolve({ kind: 'end' });
        }
      });
      worker.on('error', (e) => {
        if (timer) clearTimeout(timer);
        resolve({ kind: 'crash', iteration: current, error: e instanceof Error ? e.message : String(e) });
      });
    });
    if (outcome.kind === 'end') break;
    const c = makeCase(config.seed, outcome.iteration, seeds, fuzzOptions(config));
    done++;
    save(
      outcome.iteration,
      [outcome.kind === 'hang' ? { property: 'slow', detail: `no result after ${config.hangMs / 1000} s (hang)` } : { property: 'throws', detail: `worker died: ${outcome.error}` }],
      describeCase(c),
    );
    if (config.only !== undefined) break;
    from = outcome.iteration + 1;
    if (from >= config.iterations || Date.now() >= config.deadline) break;
  }

  const secs = (Date.now() - started) / 1000;
  process.stdout.write(`\n${done} cases in ${secs.toFixed(1)} s (${(done / Math.max(secs, 0.001)).toFixed(1)}/s): ${parsed} parsed whole, ${fixes} fixes checked one by one.\n`);
  process.stdout.write(`Mutations: ${[...byMutation].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  process.stdout.write(`Slowest analyses:\n${slowest.map((s) => `  ${Math.round(s.ms)} ms  ${s.description}`).join('\n')}\n`);
  if (failures.length === 0) {
    process.stdout.write('Every property held.\n');
    return 0;
  }
  process.stdout.write(`${failures.length} failing case(s): ${[...byProperty].map(([k, n]) => `${k} ${n}`).join(', ')}. Inputs in ${config.save}\n`);
  return 1;
}

if (isMainThread) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
} else {
  workerMain(workerData as WorkerInput);
}
