/**
 * The cost of judging kustomize layouts as built: for every layout in ../shared/corpus/kustomize,
 * its files analysed one by one as plain YAML (what a run without overlays does), against the
 * overlays built and analysed (every kustomization built, a base they share once, the overlays'
 * objects rendered and judged, findings placed). Then the CLI on the whole tree: `run` as the
 * command line calls it (overlays built and judged, every file analysed and reconciled with
 * them) against the CLI's path for the same files without overlays (`inputs.ts` as `main.ts`
 * runs it when no kustomization is in view; no option turns overlays off). Runs of the two sides
 * alternate and the least CPU time of each counts (process.cpuUsage: time spent waiting for a
 * shared CPU does not count).
 * Alone (node test/bench/kustomize.js, after tsc -b) it prints a line per layout and the totals;
 * `npm run bench` prints the totals.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const LAYOUTS = path.resolve(ROOT, '..', 'shared', 'corpus', 'kustomize');

function yamlFiles(dir, out) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(d.name)) out.push(full);
  }
  return out;
}

/** Milliseconds of CPU time (user and system) the process spent in `fn`: waiting for a shared CPU does not count. */
function cpuMs(fn) {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

/** The least CPU time of `runs` runs of each of `a` and `b`, alternating, in milliseconds. */
function bestOfBoth(runs, a, b) {
  let ta = Infinity;
  let tb = Infinity;
  for (let i = 0; i < runs; i++) {
    ta = Math.min(ta, cpuMs(a));
    tb = Math.min(tb, cpuMs(b));
  }
  return [ta, tb];
}

/** Per layout: files, milliseconds (best of `runs`) as plain files and as built; undefined without the corpus. */
function measureKustomize(runs = 5) {
  if (!fs.existsSync(LAYOUTS)) return undefined;
  const core = require(path.join(ROOT, 'server', 'out', 'core'));
  const { buildKustomizations, findKustomizationFile } = require(path.join(ROOT, 'server', 'out', 'core', 'kustomize'));
  const { analyzeBuilds } = require(path.join(ROOT, 'server', 'out', 'core', 'overlays'));
  const settings = core.DEFAULT_SETTINGS;
  const rows = [];
  for (const layout of fs.readdirSync(LAYOUTS).filter((d) => fs.statSync(path.join(LAYOUTS, d)).isDirectory()).sort()) {
    const files = yamlFiles(path.join(LAYOUTS, layout), []);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const host = { readFile: (p) => texts.get(p) ?? (fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined), isDirectory: (p) => fs.existsSync(p) && fs.statSync(p).isDirectory() };
    const [plain, built] = bestOfBoth(
      runs,
      () => {
        for (const t of texts.values()) core.analyzeText(t, { settings });
      },
      () => {
        host.parsed = new Map();
        const dirs = [...new Set(files.map((f) => path.dirname(f)))].filter((d) => findKustomizationFile(d, host) !== undefined);
        const builds = buildKustomizations(dirs, host);
        const used = new Set(builds.flatMap((b) => b.uses));
        analyzeBuilds(builds.filter((b) => !used.has(b.root)).map((build) => ({ build, settings, label: build.root })));
      },
    );
    rows.push({ layout, files: files.length, plain, built });
  }
  return { rows, cli: measureCli(runs) };
}

/** The CLI on the whole tree, with its overlays and without (its per-file path), in process. */
function measureCli(runs) {
  const { run, startRun } = require(path.join(ROOT, 'server', 'out', 'cli', 'main'));
  const { analyseInput, input, runIndexes } = require(path.join(ROOT, 'server', 'out', 'cli', 'inputs'));
  const io = { stdout: () => {}, stderr: (s) => process.stderr.write(s), readStdin: () => '', isTty: false, stderrIsTty: false, cwd: ROOT };
  const argv = [LAYOUTS, '--format', 'json'];
  let reports = 0;
  const perFile = () => {
    const start = startRun({ format: 'json', fix: false, kubernetesVersion: undefined, config: undefined, maxWarnings: -1, color: undefined, outputFile: undefined, paths: [LAYOUTS] });
    const inputs = start.filePaths.map((f) => input(f, fs.readFileSync(f, 'utf8'), start.settingsFor(path.dirname(f)), start.charts.values(f), true));
    const idx = runIndexes(inputs);
    reports = inputs.map((inp) => inp.report ?? analyseInput(inp, idx, start.charts, true)).length;
  };
  const [overlays, plain] = bestOfBoth(runs, () => run(argv, io), perFile);
  return { files: reports, overlays, plain };
}

function kustomizeTable(m) {
  if (!m) return `kustomize layouts: ${LAYOUTS} not found, skipped.`;
  const out = ['layout                                                 files  plain ms  built ms  ratio'];
  let plainTotal = 0;
  let builtTotal = 0;
  for (const r of m.rows) {
    plainTotal += r.plain;
    builtTotal += r.built;
    out.push(`${r.layout.padEnd(54)} ${String(r.files).padStart(5)} ${r.plain.toFixed(1).padStart(9)} ${r.built.toFixed(1).padStart(9)} ${(r.built / r.plain).toFixed(2).padStart(6)}`);
  }
  out.push(`${'total'.padEnd(54)} ${''.padStart(5)} ${plainTotal.toFixed(1).padStart(9)} ${builtTotal.toFixed(1).padStart(9)} ${(builtTotal / plainTotal).toFixed(2).padStart(6)}`);
  out.push(cliLine(m.cli));
  return out.join('\n');
}

function cliLine(c) {
  return `CLI on the whole tree (${c.files} files, in process): with its overlays ${c.overlays.toFixed(1)} ms, the same files without overlays ${c.plain.toFixed(1)} ms (${(c.overlays / c.plain).toFixed(2)}x).`;
}

/** Two lines for the bench report. */
function kustomizeLine(m) {
  if (!m) return `kustomize layouts: ${LAYOUTS} not found, skipped.`;
  const { rows } = m;
  const plain = rows.reduce((a, r) => a + r.plain, 0);
  const built = rows.reduce((a, r) => a + r.built, 0);
  return `kustomize layouts (${rows.length}, ${rows.reduce((a, r) => a + r.files, 0)} files): files analysed one by one ${plain.toFixed(1)} ms, every overlay built and judged ${built.toFixed(1)} ms (${(built / plain).toFixed(2)}x).\n${cliLine(m.cli)}`;
}

module.exports = { measureKustomize, kustomizeLine };

if (require.main === module) process.stdout.write(`${kustomizeTable(measureKustomize(Number(process.argv[2] ?? 5)))}\n`);
