/**
 * The precision measurement (`npm run precision`): label matching, and the figures on the
 * wild corpus (../shared/corpus/wild, skipped when absent) — every rule with findings at 97 %
 * or more, no error on files kubectl accepts, no labelled true positive lost, no finding
 * without a label.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { evaluate, observe, readLabels, WILD, OWN_VERDICTS, type Label, type Observed } from '../tools/precision';

const seen = (line: number, container = 'web'): Observed => ({ repo: 'o/r', path: 'a.yaml', line, rule: 'prestop-hook-missing', container, severity: 'warning' });
const label = (line: number, verdict: Label['verdict'], container = 'web'): Label => ({ repo: 'o/r', path: 'a.yaml', line, rule: 'prestop-hook-missing', container, verdict, reason: '' });

test('findings match labels by file, rule, container and the nearest line; the rest are listed', () => {
  const r = evaluate([seen(10), seen(40), seen(12, 'other')], [label(11, 'TP'), label(41, 'FP'), label(90, 'TP', 'gone')], []);
  assert.deepEqual(r.perRule.get('prestop-hook-missing'), { tp: 1, fp: 1, d: 0, note: 0 });
  assert.deepEqual(r.unlabelled.map((o) => o.container), ['other']);
  assert.deepEqual(r.lostTp.map((l) => l.container), ['gone']);
});

test("the project's own verdict overrides the corpus label for the same finding", () => {
  const r = evaluate([seen(10)], [label(10, 'FP')], [label(10, 'TP')]);
  assert.deepEqual(r.perRule.get('prestop-hook-missing'), { tp: 1, fp: 0, d: 0, note: 0 });
});

if (!fs.existsSync(WILD)) {
  test('precision on the wild corpus', { skip: `${WILD} not found: the precision figures are not checked` }, () => undefined);
} else {
  test('precision on the wild corpus: at least 97 % per rule, no errors, no TP lost, every finding labelled', () => {
    const r = evaluate(observe(), readLabels(path.join(WILD, 'LABELS.tsv')), readLabels(OWN_VERDICTS));
    for (const [rule, c] of r.perRule) {
      const judged = c.tp + c.fp + c.d;
      if (judged > 0) assert.ok(c.tp / judged >= 0.97, `${rule}: ${c.tp} TP of ${judged}`);
    }
    assert.deepEqual(r.errors.map((e) => `${e.repo}/${e.path}:${e.line}`), []);
    assert.deepEqual(r.lostTp.map((l) => `${l.repo}/${l.path}:${l.line} ${l.container}`), []);
    assert.deepEqual(r.unlabelled.map((o) => `${o.repo}/${o.path}:${o.line} ${o.rule} ${o.container}`), []);
  });
}
