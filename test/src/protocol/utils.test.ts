// The server's pure helpers, tested directly: the minimal diff behind whole-file fixes and the
// files.exclude glob matcher behind the workspace index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excludeMatcher, globToRegExp } from '../../../server/out/lsp/util/glob';
import { diffEdits, type OffsetEdit } from '../../../server/out/lsp/util/textDiff';

function apply(text: string, edits: readonly OffsetEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** A small deterministic PRNG, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('diffEdits: applying the edits gives the new text (2,000 random line edits)', () => {
  const r = rng(42);
  for (let i = 0; i < 2000; i++) {
    const lines = Array.from({ length: Math.floor(r() * 15) }, () => `l${Math.floor(r() * 4)}${r() < 0.1 ? '\r\n' : '\n'}`);
    const before = lines.join('') + (r() < 0.3 ? 'tail' : '');
    const next = [...lines];
    for (let k = Math.floor(r() * 4); k > 0; k--) {
      const at = Math.floor(r() * (next.length + 1));
      if (r() < 0.5) next.splice(at, 0, `new${k}\n`);
      else next.splice(at, 1);
    }
    const after = next.join('') + (r() < 0.3 ? 'tail' : '');
    assert.equal(apply(before, diffEdits(before, after)), after, JSON.stringify({ before, after }));
  }
});

test('diffEdits: insertions far apart stay separate small hunks; equal texts need none', () => {
  const body = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('');
  const after = body.replace('line 10\n', 'line 10\n  inserted: a\n').replace('line 190\n', 'line 190\n  inserted: b\n');
  const edits = diffEdits(body, after);
  assert.deepEqual(
    edits.map((e) => e.newText),
    ['  inserted: a\n', '  inserted: b\n'],
  );
  assert.ok(edits.every((e) => e.start === e.end), 'pure insertions');
  assert.deepEqual(diffEdits(body, body), []);
});

test('globToRegExp and excludeMatcher follow files.exclude conventions', () => {
  const cases: readonly [string, string, boolean][] = [
    ['**/node_modules', 'node_modules', true],
    ['**/node_modules', 'a/b/node_modules', true],
    ['**/node_modules', 'a/node_modules_x', false],
    ['build', 'build', true],
    ['build', 'src/build', false],
    ['**/*.tmp.yaml', 'x/y.tmp.yaml', true],
    ['**/*.tmp.yaml', 'x/y.yaml', false],
    ['**/{dist,out}', 'pkg/out', true],
    ['**/{dist,out}', 'pkg/outer', false],
    ['charts/*/templates', 'charts/web/templates', true],
    ['charts/*/templates', 'charts/web/x/templates', false],
    ['**/.git', '.git', true],
    ['docs/**', 'docs/a/b.yaml', true],
    ['file?.yaml', 'file1.yaml', true],
    ['[ab].yaml', 'c.yaml', false],
  ];
  for (const [glob, p, expected] of cases) {
    const re = globToRegExp(glob);
    assert.ok(re, glob);
    assert.equal(re.test(p), expected, `${glob} vs ${p}`);
  }
  const m = excludeMatcher({ '**/generated': true, '**/kept': false, '**/when': { when: '$(basename).ts' } });
  assert.equal(m('a/generated'), true);
  assert.equal(m('a/kept'), false, 'false entries do not exclude');
  assert.equal(m('a/when'), false, 'when-clauses are not evaluated');
  assert.equal(excludeMatcher(undefined)('anything'), false);
});
