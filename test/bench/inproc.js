#!/usr/bin/env node
/**
 * In-process measurements on one file, printed as one JSON line (run.js runs this in a fresh
 * process per file; run it alone, e.g. under `node --cpu-prof`, to profile):
 *   - bare `yaml` parseAllDocuments of the whole text;
 *   - our cold analysis (a fresh ParseCache each time), with the share of document parsing;
 *   - a one-character edit at different places, re-analysed with a shared ParseCache.
 *
 *   node --expose-gc test/bench/inproc.js <file> [--runs 5] [--edits 20] [--only cold|keystroke]
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const { parseAllDocuments } = require(require.resolve('yaml', { paths: [ROOT] }));
const core = require(path.join(ROOT, 'server', 'out', 'core'));
const { splitDocuments, parseChunk } = require(path.join(ROOT, 'server', 'out', 'core', 'yaml', 'parse'));
const { editPlaces, stats } = require('./util');

function gc() {
  if (typeof global.gc === 'function') global.gc();
}

function time(f) {
  gc();
  const t0 = performance.now();
  const r = f();
  return { ms: performance.now() - t0, r };
}

function main() {
  const args = process.argv.slice(2);
  const file = args[0];
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i === -1 ? dflt : args[i + 1];
  };
  const runs = Number(opt('--runs', '5'));
  const editsN = Number(opt('--edits', '20'));
  const only = opt('--only', undefined);
  const text = fs.readFileSync(file, 'utf8');
  const settings = core.DEFAULT_SETTINGS;
  const out = { file: path.basename(file), chars: text.length };

  if (only !== 'keystroke') {
    // Alternate bare and ours so that both see the same JIT and heap state.
    const bare = [];
    const cold = [];
    const parseOnly = [];
    let findings = 0;
    for (let i = 0; i < runs; i++) {
      bare.push(time(() => parseAllDocuments(text)).ms);
      const c = time(() => core.analyzeText(text, { settings }));
      cold.push(c.ms);
      findings = c.r.findings.length;
      parseOnly.push(time(() => splitDocuments(text).map((ch) => parseChunk(ch.text))).ms);
    }
    Object.assign(out, { bare: stats(bare), cold: stats(cold), parseOnly: stats(parseOnly), findings });
  }

  if (only !== 'cold') {
    const cache = new core.ParseCache();
    core.analyzeText(text, { settings, cache });
    cache.prune();
    let current = text;
    const ks = [];
    const lines = new core.LineIndex(text);
    const inserted = [];
    for (const line of editPlaces(text, editsN)) {
      // Insert one character at the end of an image line; earlier insertions before it shift it.
      // The new text stays a concatenation, as in an editor's document, until the core reads it.
      const original = lines.lineEnd(line);
      const at = original + inserted.filter((o) => o <= original).length;
      inserted.push(original);
      current = `${current.slice(0, at)}x${current.slice(at)}`;
      const k = time(() => core.analyzeText(current, { settings, cache }));
      cache.prune();
      ks.push(k.ms);
    }
    out.keystroke = stats(ks);
  }
  out.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
