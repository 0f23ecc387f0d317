/**
 * The cost of judging kustomize layouts as built: for every layout in ../shared/corpus/kustomize,
 * its files analysed one by one as plain YAML (what a run without overlays does), against the
 * overlays built and analysed (every overlay's objects rendered and judged, findings placed).
 * Alone (node test/bench/kustomize.js, after tsc -b) it prints a line per layout and the total;
 * `npm run bench` prints the total.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { best } = require('./util');

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

/** Per layout: files, milliseconds (best of `runs`) as plain files and as built; undefined without the corpus. */
function measureKustomize(runs = 5) {
  if (!fs.existsSync(LAYOUTS)) return undefined;
  const core = require(path.join(ROOT, 'server', 'out', 'core'));
  const { buildKustomization, findKustomizationFile } = require(path.join(ROOT, 'server', 'out', 'core', 'kustomize'));
  const { analyzeBuilds } = require(path.join(ROOT, 'server', 'out', 'core', 'overlays'));
  const settings = core.DEFAULT_SETTINGS;
  const rows = [];
  for (const layout of fs.readdirSync(LAYOUTS).filter((d) => fs.statSync(path.join(LAYOUTS, d)).isDirectory()).sort()) {
    const files = yamlFiles(path.join(LAYOUTS, layout), []);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const host = { readFile: (p) => texts.get(p) ?? (fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined), isDirectory: (p) => fs.existsSync(p) && fs.statSync(p).isDirectory() };
    const plain = best(runs, () => {
      for (const t of texts.values()) core.analyzeText(t, { settings });
    });
    const built = best(runs, () => {
      host.parsed = new Map();
      const dirs = [...new Set(files.map((f) => path.dirname(f)))].filter((d) => findKustomizationFile(d, host) !== undefined);
      const builds = dirs.map((d) => buildKustomization(d, host));
      const used = new Set(builds.flatMap((b) => b.uses));
      analyzeBuilds(builds.filter((b) => !used.has(b.root)).map((build) => ({ build, settings, label: build.root })));
    });
    rows.push({ layout, files: files.length, plain, built });
  }
  return rows;
}

function kustomizeTable(rows) {
  if (!rows) return `kustomize layouts: ${LAYOUTS} not found, skipped.`;
  const out = ['layout                                             files  plain ms  built ms  ratio'];
  let plainTotal = 0;
  let builtTotal = 0;
  for (const r of rows) {
    plainTotal += r.plain;
    builtTotal += r.built;
    out.push(`${r.layout.padEnd(50)} ${String(r.files).padStart(5)} ${r.plain.toFixed(1).padStart(9)} ${r.built.toFixed(1).padStart(9)} ${(r.built / r.plain).toFixed(2).padStart(6)}`);
  }
  out.push(`${'total'.padEnd(50)} ${''.padStart(5)} ${plainTotal.toFixed(1).padStart(9)} ${builtTotal.toFixed(1).padStart(9)} ${(builtTotal / plainTotal).toFixed(2).padStart(6)}`);
  return out.join('\n');
}

/** One line for the bench report. */
function kustomizeLine(rows) {
  if (!rows) return `kustomize layouts: ${LAYOUTS} not found, skipped.`;
  const plain = rows.reduce((a, r) => a + r.plain, 0);
  const built = rows.reduce((a, r) => a + r.built, 0);
  return `kustomize layouts (${rows.length}, ${rows.reduce((a, r) => a + r.files, 0)} files): files analysed one by one ${plain.toFixed(1)} ms, every overlay built and judged ${built.toFixed(1)} ms (${(built / plain).toFixed(2)}x).`;
}

module.exports = { measureKustomize, kustomizeLine };

if (require.main === module) process.stdout.write(`${kustomizeTable(measureKustomize())}\n`);
