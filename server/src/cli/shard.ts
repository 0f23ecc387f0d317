/**
 * One thread's part of a parallel CLI run (see parallel.ts): the files it reads and analyses, the
 * messages between the main thread and a worker, and the work both do on their part.
 */
import * as fs from 'node:fs';
import type { Finding, Notice, Settings } from '../core';
import type { ChartHelpers } from './files';
import type { FileReport } from './formats';
import { analyseInput, input, sharedOf, type Input, type RunIndexes, type Shared } from './inputs';

/** A file of the run: its place in the input order, its path and its settings (an index into the run's table). */
export interface Job {
  readonly index: number;
  readonly filePath: string;
  readonly settings: number;
}

/** A report as it crosses threads: the fixable findings by their index in `findings`. */
export interface WireReport {
  readonly filePath: string;
  readonly text: string;
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
  readonly fixable: readonly number[];
}

export type ToWorker =
  | { readonly type: 'read'; readonly jobs: readonly Job[]; readonly settings: readonly Settings[]; readonly wantFixable: boolean }
  | { readonly type: 'analyse'; readonly shared: Shared };

export type FromWorker =
  | { readonly type: 'read'; readonly failed: boolean; readonly shared: readonly Shared[] }
  | { readonly type: 'reports'; readonly reports: readonly WireReport[] }
  | { readonly type: 'error'; readonly message: string };

/**
 * Reads the part's files, in order. A file holding no workload is analysed as it is read (see
 * inputs.ts); the others wait for the run's indexes. `undefined` when a file cannot be read.
 */
export function readPart(jobs: readonly Job[], settings: readonly Settings[], charts: ChartHelpers, onFile?: (done: number) => void): Input[] | undefined {
  const out: Input[] = [];
  for (const job of jobs) {
    let text: string;
    try {
      text = fs.readFileSync(job.filePath, 'utf8');
    } catch {
      return undefined;
    }
    const s = settings[job.settings];
    if (s === undefined) return undefined;
    out.push(input(job.filePath, text, s, charts.values(job.filePath), true));
    onFile?.(out.length);
  }
  return out;
}

export function sharedOfPart(inputs: readonly Input[]): Shared[] {
  return inputs.map(sharedOf);
}

/** Analyses the part's files against the run's indexes, in order. */
export function analysePart(inputs: readonly Input[], idx: RunIndexes, charts: ChartHelpers, wantFixable: boolean, onFile?: (done: number) => void): FileReport[] {
  return inputs.map((inp, i) => {
    const r = analyseInput(inp, idx, charts, wantFixable);
    onFile?.(i + 1);
    return r;
  });
}

export function toWire(r: FileReport): WireReport {
  const fixable: number[] = [];
  r.findings.forEach((f, i) => {
    if (r.fixable.has(f)) fixable.push(i);
  });
  return { filePath: r.filePath, text: r.text, findings: r.findings, notices: r.notices, fixable };
}

export function fromWire(w: WireReport): FileReport {
  const fixable = new Set<Finding>();
  for (const i of w.fixable) {
    const f = w.findings[i];
    if (f) fixable.add(f);
  }
  return { filePath: w.filePath, text: w.text, findings: w.findings, notices: w.notices, fixable };
}
