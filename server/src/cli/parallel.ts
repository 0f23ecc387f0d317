/**
 * A big CLI run on several threads. The files are handed out in blocks to the main thread and
 * worker threads (worker.ts) as each finishes its previous block; each reads its files and parses
 * those that may define what others need; the main thread merges the Services, routes and ConfigMaps of every file in input order
 * into the run's indexes (exactly as a single-threaded run builds them), each thread analyses its
 * files against them, and the reports are put back in input order: the output is the same.
 * Only for runs without --fix, standard input or kustomize overlays; any irregularity (a file or
 * configuration that cannot be read, a configuration with problems, a worker that fails) gives
 * `undefined`, and the run is made again on one thread, which reports it as it always has.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Settings } from '../core';
import type { ChartHelpers } from './files';
import type { FileReport } from './formats';
import type { Progress } from './progress';
import { allShared, indexesOf, sharedOf, type Input, type Shared } from './inputs';
import { analysePart, fromWire, readPart, type FromWorker, type Job, type ToWorker, type WireReport } from './shard';

/** Runs smaller than this stay on one thread: starting a worker costs more than it saves. */
export const PARALLEL_MIN_FILES = 500;
/** Files are dealt out in blocks of this many, so that a folder's files (and a chart's) mostly stay on one thread. */
const BLOCK = 32;
const MAX_THREADS = 4;

/**
 * How many threads a run of `files` files uses: `KUBE_GRACEFUL_THREADS` when set (1: one thread),
 * else, from PARALLEL_MIN_FILES files on, one per CPU that is idle (at most 4): on a machine whose
 * cores are busy with other work, more threads only add the cost of sharing the indexes.
 */
export function threadsFor(files: number, env: NodeJS.ProcessEnv = process.env, cpus = os.availableParallelism(), load = os.loadavg()[0] ?? 0): number {
  const set = env['KUBE_GRACEFUL_THREADS'];
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.max(1, Math.min(16, Number(set.trim()), files));
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.round(cpus - load)));
}

/** A worker thread and the replies it owes. */
class Helper {
  private readonly worker: Worker;
  private readonly waiting: ((m: FromWorker | undefined) => void)[] = [];
  private failed = false;

  constructor() {
    this.worker = new Worker(path.join(__dirname, 'worker.js'));
    this.worker.on('message', (m: FromWorker) => this.waiting.shift()?.(m));
    const fail = (): void => {
      this.failed = true;
      for (const w of this.waiting.splice(0)) w(undefined);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  /** Sends a message; the reply, or undefined when the worker failed. */
  ask(m: ToWorker): Promise<FromWorker | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    const reply = new Promise<FromWorker | undefined>((resolve) => this.waiting.push(resolve));
    this.worker.postMessage(m);
    return reply;
  }

  stop(): void {
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }
}

/** The settings of every file as indexes into one table, one look per folder; undefined when a configuration cannot be read or has problems. */
function settingsTable(files: readonly string[], run: ParallelRun): { table: Settings[]; ofFile: number[] } | undefined {
  const table: Settings[] = [];
  const byDir = new Map<string, number>();
  const ofFile: number[] = [];
  try {
    for (const f of files) {
      const dir = path.dirname(f);
      let i = byDir.get(dir);
      if (i === undefined) {
        i = table.push(run.settingsFor(dir)) - 1;
        byDir.set(dir, i);
      }
      ofFile.push(i);
    }
  } catch {
    return undefined;
  }
  return run.configProblems.length > 0 ? undefined : { table, ofFile };
}

export interface ParallelRun {
  readonly filePaths: readonly string[];
  readonly charts: ChartHelpers;
  readonly settingsFor: (dir: string) => Settings;
  readonly configProblems: readonly string[];
}

/** Lets the worker replies that arrived meanwhile be handled (the main thread reads between them). */
const yieldToReplies = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What one thread of the run has read: the files' places in input order, in the order it read them. */
interface Part {
  readonly order: number[];
}

/**
 * The read phase: blocks of files are handed out as threads ask for them (the main thread reads a
 * block, then hands the next ones to the workers that finished theirs), so a thread slowed by other
 * work on the machine, or by the main thread's own duties, takes fewer. Every file's shared values
 * land at its place in input order. False when a file cannot be read or a worker fails.
 */
async function readAll(blocks: Job[][], helpers: readonly Helper[], settings: readonly Settings[], run: ParallelRun, wantFixable: boolean, shared: Shared[], progress: (done: number) => void): Promise<{ mine: Input[]; parts: Part[] } | undefined> {
  let next = 0;
  let done = 0;
  let ok = true;
  const mine: Input[] = [];
  const parts: Part[] = [{ order: [] }, ...helpers.map(() => ({ order: [] }))];
  const feed = async (h: Helper, part: Part): Promise<void> => {
    while (ok && next < blocks.length) {
      const block = blocks[next++] ?? [];
      const r = await h.ask({ type: 'read', jobs: block, settings, wantFixable });
      if (r?.type !== 'read' || r.failed) {
        ok = false;
        return;
      }
      block.forEach((job, k) => {
        part.order.push(job.index);
        shared[job.index] = r.shared[k] ?? { services: [], routes: [], configMaps: [] };
      });
      progress((done += block.length));
    }
  };
  const feeding = helpers.map((h, i) => feed(h, parts[i + 1] as Part));
  const own = parts[0] as Part;
  while (ok && next < blocks.length) {
    const block = blocks[next++] ?? [];
    const read = readPart(block, settings, run.charts);
    if (!read) ok = false;
    else {
      block.forEach((job, k) => {
        own.order.push(job.index);
        const inp = read[k] as Input;
        mine.push(inp);
        shared[job.index] = sharedOf(inp);
      });
      progress((done += block.length));
    }
    await yieldToReplies();
  }
  await Promise.all(feeding);
  return ok ? { mine, parts } : undefined;
}

/** The reports of every file, in input order, made on `threads` threads; undefined when the run must be made on one. */
export async function parallelReports(run: ParallelRun, threads: number, wantFixable: boolean, progress: Progress): Promise<FileReport[] | undefined> {
  const files = run.filePaths;
  const settings = settingsTable(files, run);
  if (!settings) return undefined;
  const blocks: Job[][] = [];
  files.forEach((filePath, index) => {
    if (index % BLOCK === 0) blocks.push([]);
    blocks[blocks.length - 1]?.push({ index, filePath, settings: settings.ofFile[index] ?? 0 });
  });
  const helpers = Array.from({ length: threads - 1 }, () => new Helper());
  try {
    const shared: Shared[] = new Array<Shared>(files.length);
    const read = await readAll(blocks, helpers, settings.table, run, wantFixable, shared, (done) => progress.update('reading', done));
    if (!read) return undefined;
    const all = allShared(shared);
    const analysing = helpers.map((h) => h.ask({ type: 'analyse', shared: all }));
    const reports = new Array<FileReport>(files.length);
    // The main thread sees only its own part go by: the others are taken to keep pace with it.
    const share = read.mine.length / files.length;
    const estimate = (done: number): void => progress.update('analysing', Math.min(files.length, Math.round(done / Math.max(share, 1e-6))));
    const own = read.parts[0]?.order ?? [];
    analysePart(read.mine, indexesOf(all), run.charts, wantFixable, estimate).forEach((r, k) => (reports[own[k] ?? 0] = r));
    for (const [w, r] of (await Promise.all(analysing)).entries()) {
      if (r?.type !== 'reports') return undefined;
      const order = read.parts[w + 1]?.order ?? [];
      if (r.reports.length !== order.length) return undefined;
      r.reports.forEach((x: WireReport, k) => (reports[order[k] ?? 0] = fromWire(x)));
    }
    progress.update('analysing', files.length);
    return reports;
  } finally {
    for (const h of helpers) h.stop();
  }
}
