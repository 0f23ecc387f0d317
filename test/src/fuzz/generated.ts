/**
 * The generated-manifest fuzzer: cases from generate.ts, properties from semantic.ts, and
 * shrinking of a failing case (drop documents, entries and items, then file-wide choices,
 * while the same property still fails) so that what is saved is small enough to read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from '../../../server/out/core';
import { generateCase, renderCase, type GDoc, type GenCase, type GenOptions, type GEntry, type GNode } from './generate';
import { checkSemantics, type SemanticProblem, type SemanticResult } from './semantic';

export const GEN_SETTINGS: readonly Settings[] = [
  DEFAULT_SETTINGS,
  mergeSettings(DEFAULT_SETTINGS, { kubernetesVersion: '1.28' }),
  mergeSettings(DEFAULT_SETTINGS, { preStopSleepSeconds: 3, shutdownSeconds: 0, minShutdownSeconds: 0 }),
  mergeSettings(DEFAULT_SETTINGS, { preStopSleepSeconds: 15, shutdownSeconds: 5 }),
  // Last: a shutdown shorter than the margin grace-period-too-short asks for (see GenOptions.shortShutdown).
  mergeSettings(DEFAULT_SETTINGS, { preStopSleepSeconds: 15, shutdownSeconds: 2, minShutdownSeconds: 5 }),
];

export function makeGenCase(seed: number, i: number, opts: GenOptions = {}): GenCase {
  return generateCase(seed, i, opts.shortShutdown === false ? GEN_SETTINGS.length - 1 : GEN_SETTINGS.length, opts);
}

export function settingsOf(c: GenCase): Settings {
  return GEN_SETTINGS[c.settingsVariant] ?? DEFAULT_SETTINGS;
}

export function runGenCase(c: GenCase, opts: { maxFixChecks?: number } = {}): SemanticResult {
  return checkSemantics(renderCase(c), { settings: settingsOf(c), ...(opts.maxFixChecks !== undefined ? { maxFixChecks: opts.maxFixChecks } : {}) });
}

export function describeGenCase(seed: number, i: number, c: GenCase): string {
  return `case ${i} (seed ${seed}): ${c.docs.length} document(s), settings #${c.settingsVariant}, ${c.features.join(' ')}`;
}

// ---------------------------------------------------------------------------------------
// Shrinking

/** Every variant of `n` with one entry or item removed (depth first), then the children's. */
function* smaller(n: GNode): Generator<GNode> {
  if (n.t === 'map') {
    for (let i = 0; i < n.e.length; i++) yield { ...n, e: [...n.e.slice(0, i), ...n.e.slice(i + 1)] };
    for (let i = 0; i < n.e.length; i++) {
      const e = n.e[i] as GEntry;
      if (e.above && e.above.length > 0) yield { ...n, e: n.e.map((x, j) => (j === i ? { k: x.k, v: x.v } : x)) };
      for (const v of smaller(e.v)) yield { ...n, e: n.e.map((x, j) => (j === i ? { ...x, v } : x)) };
    }
  } else if (n.t === 'seq') {
    for (let i = 0; i < n.items.length; i++) yield { ...n, items: [...n.items.slice(0, i), ...n.items.slice(i + 1)] };
    for (let i = 0; i < n.items.length; i++) for (const v of smaller(n.items[i] as GNode)) yield { ...n, items: n.items.map((x, j) => (j === i ? v : x)) };
  } else if (n.t === 'block' && n.lines.length > 1) {
    for (let i = 0; i < n.lines.length; i++) yield { ...n, lines: [...n.lines.slice(0, i), ...n.lines.slice(i + 1)] };
  }
}

function* smallerCases(c: GenCase): Generator<GenCase> {
  for (let d = 0; d < c.docs.length && c.docs.length > 1; d++) yield { ...c, docs: [...c.docs.slice(0, d), ...c.docs.slice(d + 1)] };
  if (c.bom) yield { ...c, bom: false };
  if (c.crlf) yield { ...c, crlf: false };
  if (c.leadingMarker) yield { ...c, leadingMarker: false };
  if (c.step !== 2) yield { ...c, step: 2 };
  for (let d = 0; d < c.docs.length; d++) {
    const doc = c.docs[d] as GDoc;
    for (const node of smaller(doc.node)) yield { ...c, docs: c.docs.map((x, j) => (j === d ? { ...x, node } : x)) };
  }
}

/**
 * Shrinks a failing case while `property` still fails, within a budget of checks. Returns the
 * smallest case found and its problems.
 */
export function shrink(c: GenCase, property: string, budget = 400): { c: GenCase; problems: SemanticProblem[] } {
  let best = c;
  let bestProblems = runGenCase(c).problems;
  let tries = 0;
  let progress = true;
  while (progress && tries < budget) {
    progress = false;
    for (const cand of smallerCases(best)) {
      if (++tries > budget) break;
      let r: SemanticResult;
      try {
        r = runGenCase(cand);
      } catch {
        continue;
      }
      if (r.problems.some((p) => p.property === 'input-invalid')) continue;
      if (r.problems.some((p) => p.property === property)) {
        best = cand;
        bestProblems = r.problems;
        progress = true;
        break;
      }
    }
  }
  return { c: { ...best, features: c.features }, problems: bestProblems };
}

/** Saves a (shrunk) failing case: the case as JSON, its text, and how to replay it. */
export function saveFailure(dir: string, name: string, c: GenCase, problems: readonly SemanticProblem[], replay: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${name}.json`);
  fs.writeFileSync(json, JSON.stringify({ replay: `${replay}`, problems, case: c }, null, 1));
  fs.writeFileSync(path.join(dir, `${name}.yaml`), renderCase(c));
  return json;
}

/** Reads a case saved by saveFailure. */
export function loadFailure(file: string): GenCase {
  const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { case: GenCase };
  return v.case;
}
