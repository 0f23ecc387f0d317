/**
 * A golden snapshot of every finding, notice and fix over ../shared/corpus (every YAML file
 * below it, each analysed alone as a user opening it would see it), so that any change of
 * behaviour shows up as a diff of test/golden/corpus.json to review. Regenerate with
 * `UPDATE_GOLDEN=1 npm test` (or `node --test test/out/unit/golden.test.js` after a build).
 * Skipped, saying so, where the corpus is absent.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeText, DEFAULT_SETTINGS, LineIndex } from '../../../server/out/core';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const GOLDEN = path.join(ROOT, 'test', 'golden', 'corpus.json');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

type Snapshot = Record<string, string[]>;

/** One line per finding, notice and fix edit: compact enough to review as a diff. */
function snapshotOf(text: string): string[] {
  const a = analyzeText(text, { settings: DEFAULT_SETTINGS });
  const lines = new LineIndex(text);
  const at = (offset: number): string => {
    const p = lines.position(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const out: string[] = [];
  for (const n of a.notices) out.push(`notice ${n.kind} ${n.severity} ${at(n.span.start)} ${n.message}`);
  for (const f of a.findings) {
    out.push(`${f.ruleId} ${f.severity} ${at(f.span.start)}-${at(f.span.end)} ${f.subject} | ${f.message}`);
    for (const r of f.related) out.push(`  related ${r.filePath === undefined ? at(r.span.start) : `${path.basename(r.filePath)}@${r.span.start}`} ${r.message}`);
    const fix = a.fixFor(f);
    if (!fix) {
      out.push('  no fix');
      continue;
    }
    out.push(`  fix ${fix.title}`);
    for (const e of fix.edits) out.push(`    at ${at(e.start)}-${at(e.end)} ${JSON.stringify(e.newText)}`);
  }
  return out;
}

if (!fs.existsSync(CORPUS)) {
  test('golden corpus snapshot', { skip: `${CORPUS} not found: the golden snapshot over the real-world corpus is skipped` }, () => undefined);
} else {
  test('golden snapshot of findings and fixes over ../shared/corpus', () => {
    const snapshot: Snapshot = {};
    for (const file of yamlFiles(CORPUS).sort()) {
      const rel = path.relative(CORPUS, file).split(path.sep).join('/');
      const lines = snapshotOf(fs.readFileSync(file, 'utf8'));
      if (lines.length > 0) snapshot[rel] = lines;
    }
    if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(GOLDEN)) {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, `${JSON.stringify(snapshot, null, 1)}\n`);
      return;
    }
    const expected = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Snapshot;
    const files = [...new Set([...Object.keys(expected), ...Object.keys(snapshot)])].sort();
    const diffs: string[] = [];
    for (const f of files) {
      const want = expected[f] ?? [];
      const got = snapshot[f] ?? [];
      if (JSON.stringify(want) === JSON.stringify(got)) continue;
      for (const l of want) if (!got.includes(l)) diffs.push(`- ${f}: ${l}`);
      for (const l of got) if (!want.includes(l)) diffs.push(`+ ${f}: ${l}`);
    }
    assert.deepEqual(diffs, [], `behaviour over the corpus changed (review, then UPDATE_GOLDEN=1):\n${diffs.slice(0, 60).join('\n')}`);
  });
}
