/**
 * The files of one CLI run as inputs: each read with its settings, parsed at once when it may
 * define what other files need (Services, routes, ConfigMaps), and analysed against the indexes
 * of every file's. Used by the main thread and by the worker threads of a parallel run alike.
 */
import {
  analyzePrepared,
  ConfigMapIndex,
  hasWorkloads,
  ParseCache,
  prepareText,
  RouteIndex,
  ServiceIndex,
  type Analysis,
  type ChartValues,
  type ConfigMapInfo,
  type Finding,
  type PreparedFile,
  type RouteInfo,
  type ServiceInfo,
  type Settings,
} from '../core';
import type { ChartHelpers } from './files';
import type { FileReport } from './formats';

export interface Input {
  readonly filePath: string;
  text: string;
  readonly settings: Settings;
  /** Read when the file may define a Service or a route (they are needed before any analysis); else read when analysed, then dropped. */
  prepared: PreparedFile | undefined;
  readonly services: readonly ServiceInfo[];
  readonly routes: readonly RouteInfo[];
  readonly configMaps: readonly ConfigMapInfo[];
  /** In a Helm chart: its values.yaml, which the file's templates are read with. */
  chartValues: ChartValues | undefined;
  /** The report of a file analysed as soon as it was read (it holds no workload); its parse is dropped. */
  report?: FileReport | undefined;
}

/**
 * A file that does not contain the word of any kind other files need to know (Service, Ingress,
 * BackendConfig, ConfigMap) cannot define one, so its parse can wait until it is analysed: one parse per
 * file, and no parse tree kept longer than its analysis.
 */
const DEFINES_SHARED = /Service|Ingress|BackendConfig|ConfigMap/;

/** Documents parsed in a run, by their text, shared by the files' parse caches and the kustomize builds. */
export type SharedParses = NonNullable<ConstructorParameters<typeof ParseCache>[0]>;

/**
 * Reads one file (`parses`: the run's shared parses, when overlays are in view). With `early` (a run without --fix and without overlays), a file parsed now that
 * holds no workload is analysed at once: it has no finding, so the other files' Services cannot
 * change its report, and its parse need not wait in memory for them.
 */
export function input(filePath: string, text: string, settings: Settings, chartValues: ChartValues | undefined, early: boolean, parses?: SharedParses): Input {
  const prepared = DEFINES_SHARED.test(text) ? prepareText(text, new ParseCache(parses), chartValues ?? null) : undefined;
  const inp: Input = { filePath, text, settings, prepared, services: prepared?.services ?? [], routes: prepared?.routes ?? [], configMaps: prepared?.configMaps ?? [], chartValues };
  if (early && prepared && !hasWorkloads(prepared)) {
    const analysis = analyzePrepared(prepared, { settings, ...(chartValues ? { chartValues } : {}), cache: prepared.cache });
    inp.report = reportOf(filePath, text, analysis, false);
    inp.prepared = undefined;
  }
  return inp;
}

/** What one file shares with the others, each value marked with its file. */
export interface Shared {
  readonly services: readonly ServiceInfo[];
  readonly routes: readonly RouteInfo[];
  readonly configMaps: readonly ConfigMapInfo[];
}

/** What one input defines that other files need (an `Input`, or a file `explain` read). */
export interface IndexedInput extends Shared {
  readonly filePath: string;
}

export function sharedOf(inp: IndexedInput): Shared {
  return {
    services: inp.services.map((s) => ({ ...s, filePath: inp.filePath })),
    routes: inp.routes.map((r) => ({ ...r, filePath: inp.filePath })),
    configMaps: inp.configMaps.map((c) => ({ ...c, filePath: inp.filePath })),
  };
}

export interface RunIndexes {
  readonly index: ServiceIndex;
  readonly routes: RouteIndex;
  readonly configMaps: ConfigMapIndex;
}

/** The run's indexes from every file's shared values, in input order (the first of a name wins). */
export function indexesOf(all: Shared): RunIndexes {
  return { index: new ServiceIndex(all.services), routes: new RouteIndex(all.routes), configMaps: new ConfigMapIndex(all.configMaps) };
}

/** Every file's shared values, in input order. */
export function allShared(parts: Iterable<Shared>): { services: ServiceInfo[]; routes: RouteInfo[]; configMaps: ConfigMapInfo[] } {
  const out = { services: [] as ServiceInfo[], routes: [] as RouteInfo[], configMaps: [] as ConfigMapInfo[] };
  for (const p of parts) {
    for (const s of p.services) out.services.push(s);
    for (const r of p.routes) out.routes.push(r);
    for (const c of p.configMaps) out.configMaps.push(c);
  }
  return out;
}

/**
 * One index of every file's Services, built once: each file sees the others' through it (its
 * own are in its analysis already), so the cost stays linear in files and Services. Ingresses
 * and BackendConfigs the same way: a load balancer in one file reaches pods of another.
 */
export function runIndexes(inputs: readonly IndexedInput[]): RunIndexes {
  return indexesOf(allShared(inputs.map(sharedOf)));
}

export interface InputOptions {
  services: ServiceIndex;
  routes: RouteIndex;
  configMaps: ConfigMapIndex;
  excludeFile: string;
  helpers?: ReadonlyMap<string, readonly string[]>;
  chartValues?: ChartValues;
}

/** The analysis options of one input: the run's indexes, its chart's helpers. */
export function optionsFor(inp: Input, idx: RunIndexes, charts: ChartHelpers): InputOptions {
  const helpers = charts.of(inp.filePath);
  const chartValues = inp.chartValues;
  return { services: idx.index, routes: idx.routes, configMaps: idx.configMaps, excludeFile: inp.filePath, ...(helpers ? { helpers } : {}), ...(chartValues ? { chartValues } : {}) };
}

/** A file's report; `wantFixable` (stylish and JSON count fixable findings) asks each finding for its checked fix. */
export function reportOf(filePath: string, text: string, analysis: Analysis, wantFixable: boolean): FileReport {
  const fixable = new Set<Finding>();
  if (wantFixable) for (const f of analysis.findings) if (analysis.fixFor(f)) fixable.add(f);
  return { filePath, text, findings: analysis.findings, notices: analysis.notices, fixable };
}

/** Analyses an input without --fix and without overlays (its report as read, when it has one); its parse is dropped. */
export function analyseInput(inp: Input, idx: RunIndexes, charts: ChartHelpers, wantFixable: boolean): FileReport {
  if (inp.report) return inp.report;
  const prepared = inp.prepared ?? prepareText(inp.text, new ParseCache(), inp.chartValues ?? null);
  inp.prepared = undefined;
  const analysis = analyzePrepared(prepared, { settings: inp.settings, ...optionsFor(inp, idx, charts), cache: prepared.cache });
  return reportOf(inp.filePath, inp.text, analysis, wantFixable);
}
