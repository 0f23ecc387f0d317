/**
 * The cost of judging kustomize layouts as built: for every layout in ../shared/corpus/kustomize,
 * its files analysed one by one as plain YAML (what a run without overlays does), against the
 * overlays built and analysed (every overlay's objects rendered and judged, findings placed).
 * Prints one line per layout and the total. Run alone: node test/bench/kustomize.js (after tsc -b).
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

function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

function main() {
  if (!fs.existsSync(LAYOUTS)) {
    console.log(`kustomize bench: skipped, ${LAYOUTS} is absent`);
    return;
  }
  const core = require(path.join(ROOT, 'server', 'out', 'core'));
  const { buildKustomization, findKustomizationFile } = require(path.join(ROOT, 'server', 'out', 'core', 'kustomize'));
  const { analyzeBuilds } = require(path.join(ROOT, 'server', 'out', 'core', 'overlays'));
  const settings = core.DEFAULT_SETTINGS;
  let plainTotal = 0;
  let builtTotal = 0;
  console.log('layout                                             files  plain ms  built ms  ratio');
  for (const layout of fs.readdirSync(LAYOUTS).filter((d) => fs.statSync(path.join(LAYOUTS, d)).isDirectory()).sort()) {
    const files = yamlFiles(path.join(LAYOUTS, layout), []);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const host = { readFile: (p) => texts.get(p) ?? (fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined), isDirectory: (p) => fs.existsSync(p) && fs.statSync(p).isDirectory() };
    const plain = best(5, () => {
      for (const t of texts.values()) core.analyzeText(t, { settings });
    });
    const built = best(5, () => {
      host.parsed = new Map();
      const dirs = [...new Set(files.map((f) => path.dirname(f)))].filter((d) => findKustomizationFile(d, host) !== undefined);
      const builds = dirs.map((d) => buildKustomization(d, host));
      const used = new Set(builds.flatMap((b) => b.uses));
      analyzeBuilds(builds.filter((b) => !used.has(b.root)).map((build) => ({ build, settings, label: build.root })));
    });
    plainTotal += plain;
    builtTotal += built;
    console.log(`${layout.padEnd(50)} ${String(files.length).padStart(5)} ${plain.toFixed(1).padStart(9)} ${built.toFixed(1).padStart(9)} ${(built / plain).toFixed(2).padStart(6)}`);
  }
  console.log(`${'total'.padEnd(50)} ${''.padStart(5)} ${plainTotal.toFixed(1).padStart(9)} ${builtTotal.toFixed(1).padStart(9)} ${(builtTotal / plainTotal).toFixed(2).padStart(6)}`);
}

main();
