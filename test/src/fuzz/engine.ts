/**
 * The mutation fuzzer shared by the fixed-seed unit test and `npm run fuzz`: seeds are the
 * project's examples and, where present, ../shared/corpus; each iteration picks a seed file,
 * settings and Services from its own PRNG (so any iteration can be replayed alone), mutates
 * the text and checks the properties.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, DEFAULT_SETTINGS, mergeSettings, prepareText, type ServiceInfo, type Settings } from '../../../server/out/core';
import { mutate, type MutationKind } from './mutate';
import { checkInput, type CheckOptions, type CheckResult } from './properties';
import { iterationSeed, Rng } from './random';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(ROOT, 'server', 'examples');
export const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');

export interface SeedFile {
  readonly name: string;
  readonly text: string;
  /** The unmutated file has a finding with a fix: mutations of it exercise the fix properties. */
  readonly fixable: boolean;
}

export interface LoadOptions {
  /** Skip seed files larger than this (characters). */
  readonly maxChars?: number;
  readonly corpus?: boolean;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function loadSeeds(opts: LoadOptions = {}): { seeds: SeedFile[]; corpusFound: boolean } {
  const files = [...yamlFiles(EXAMPLES), ...(opts.corpus === false ? [] : yamlFiles(CORPUS))];
  const seeds: SeedFile[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (opts.maxChars !== undefined && text.length > opts.maxChars) continue;
    const a = analyzeText(text, { settings: DEFAULT_SETTINGS });
    const fixable = a.findings.some((x) => a.hasFix(x));
    seeds.push({ name: path.relative(path.resolve(ROOT, '..'), f), text, fixable });
  }
  return { seeds, corpusFound: fs.existsSync(CORPUS) };
}

const SETTINGS_VARIANTS: readonly Settings[] = [
  DEFAULT_SETTINGS,
  mergeSettings(DEFAULT_SETTINGS, { kubernetesVersion: '1.28' }),
  mergeSettings(DEFAULT_SETTINGS, { preStopSleepSeconds: 3, shutdownSeconds: 0, minShutdownSeconds: 0 }),
];

export interface FuzzCase {
  readonly iteration: number;
  readonly seedFile: string;
  /** The seed file's text, before the mutations. */
  readonly before: string;
  readonly mutations: readonly MutationKind[];
  readonly text: string;
  readonly settingsVariant: number;
  readonly withServices: boolean;
}

export interface FuzzOptions {
  readonly maxGiant?: number;
  readonly boundMs?: CheckOptions['boundMs'];
  readonly maxFixChecks?: number;
}

/** Builds iteration `i` of the run seeded with `seed` (deterministic). */
export function makeCase(seed: number, i: number, seeds: readonly SeedFile[], opts: FuzzOptions = {}): FuzzCase {
  const rng = new Rng(iterationSeed(seed, i));
  // Half the time a file with fixable findings, so that the fix properties get exercised.
  const fixable = seeds.filter((s) => s.fixable);
  const base = rng.chance(0.5) && fixable.length > 0 ? rng.pick(fixable) : rng.pick(seeds);
  const donors = [rng.pick(seeds).text, rng.pick(seeds).text];
  const { text, applied } = mutate(base.text, rng, { donors, ...(opts.maxGiant !== undefined ? { maxGiant: opts.maxGiant } : {}) });
  return {
    iteration: i,
    seedFile: base.name,
    before: base.text,
    mutations: applied,
    text,
    settingsVariant: rng.int(0, SETTINGS_VARIANTS.length - 1),
    withServices: rng.chance(0.3),
  };
}

/** Services of another seed file, as if the workspace held it. */
function servicesFor(c: FuzzCase, seeds: readonly SeedFile[]): ServiceInfo[] {
  const other = seeds[(c.iteration * 7 + 3) % seeds.length];
  if (!other) return [];
  return prepareText(other.text).services.map((s) => ({ ...s, filePath: other.name }));
}

export function runCase(c: FuzzCase, seeds: readonly SeedFile[], opts: FuzzOptions = {}): CheckResult {
  const settings = SETTINGS_VARIANTS[c.settingsVariant] ?? DEFAULT_SETTINGS;
  return checkInput(c.text, {
    settings,
    previous: c.before,
    ...(c.withServices ? { services: servicesFor(c, seeds) } : {}),
    ...(opts.boundMs ? { boundMs: opts.boundMs } : {}),
    ...(opts.maxFixChecks !== undefined ? { maxFixChecks: opts.maxFixChecks } : {}),
  });
}

export function describeCase(c: FuzzCase): string {
  return `iteration ${c.iteration}: ${c.seedFile} + [${c.mutations.join(', ')}], settings #${c.settingsVariant}${c.withServices ? ', with workspace Services' : ''}, ${c.text.length} chars`;
}
