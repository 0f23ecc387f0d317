/**
 * The generated-manifest fuzzer (test/src/fuzz/generate.ts, semantic.ts): a fixed-seed run in
 * which every fix and fix-all must change nothing but its intended paths, stay valid for the
 * API server, keep directives, comments, line endings, the BOM and JSON; and checks that the
 * checker itself catches each kind of damage. Long runs: `npm run fuzz -- --generated`.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, mergeSettings } from '../../../server/out/core';
import { renderCase, type GenOptions } from '../fuzz/generate';
import { describeGenCase, makeGenCase, runGenCase, saveFailure, shrink } from '../fuzz/generated';
import { checkOutput, type SemanticProperty } from '../fuzz/semantic';
import { formatPath, sameValue, structuralDiff } from '../fuzz/structural';
import { yaml } from './helpers';

const SEED = 20261129;

function run(cases: number, gen: GenOptions, flags: string, shrinkBudget: number): { failures: string[]; features: Set<string>; fixes: number; applied: number } {
  const failures: string[] = [];
  const features = new Set<string>();
  let fixes = 0;
  let applied = 0;
  for (let i = 0; i < cases; i++) {
    const c = makeGenCase(SEED, i, gen);
    for (const f of c.features) features.add(f);
    const r = runGenCase(c, { maxFixChecks: 6 });
    fixes += r.fixesChecked;
    applied += r.fixAllApplied;
    if (r.problems.length === 0) continue;
    const small = shrinkBudget > 0 ? shrink(c, r.problems[0]?.property ?? 'throws', shrinkBudget) : { c, problems: r.problems };
    const dir = path.join(os.tmpdir(), 'kube-graceful-fuzz-generated');
    const name = `seed-${SEED}-case-${i}${flags.replace(/ --/g, '-')}`;
    const replay = `npm run fuzz -- --generated --replay ${path.join(dir, `${name}.json`)}   (unshrunk: npm run fuzz -- --generated --seed ${SEED} --only ${i}${flags})`;
    saveFailure(dir, name, small.c, small.problems, replay);
    failures.push(`${describeGenCase(SEED, i, c)}\n${small.problems.map((p) => `  ${p.property}: ${p.fix}: ${p.detail}`).join('\n')}\n  replay: ${replay}`);
  }
  return { failures, features, fixes, applied };
}

test('generated manifests without aliases, grace <= 0 or a short shutdown: every fix changes only its intended paths', { timeout: 120_000 }, (t) => {
  const CASES = 250;
  const r = run(CASES, { aliases: false, nonPositiveGrace: false, shortShutdown: false }, ' --no-aliases --no-zero-grace --no-short-shutdown', 150);
  t.diagnostic(`${CASES} cases, ${r.fixes} fixes checked one by one, ${r.applied} applied by fix-all`);
  assert.deepEqual(r.failures, []);
  // The run must cover what makes edits dangerous, and exercise the fixes.
  for (const f of ['json', 'literal-block', 'folded-block', 'directive', 'bom', 'crlf', 'mesh-drain', 'lifecycle-empty', 'shell-wrapper', 'kind:List', 'flow-container', 'native-sidecar']) assert.ok(r.features.has(f), `generated ${f}`);
  for (const k of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'PodTemplate']) assert.ok(r.features.has(`kind:${k}`), `generated a ${k}`);
  assert.ok(r.fixes > CASES, `enough fixes checked (${r.fixes})`);
  assert.ok(r.applied > CASES, `enough fixes applied by fix-all (${r.applied})`);
});

test(
  'generated manifests with aliases, merges, grace <= 0 and a short shutdown: no fix edits through an alias, adds a hook that cannot run or lowers a grace period',
  { timeout: 120_000 },
  (t) => {
    const CASES = 150;
    const r = run(CASES, {}, '', 0);
    for (const k of ['shared-containers', 'shared-item', 'shared-merge', 'shared-lifecycle', 'shared-grace', 'shared-template', 'shared-spec', 'merge-item-same-pod', 'grace<=0']) assert.ok(r.features.has(k), `generated ${k}`);
    t.diagnostic(`${CASES} cases, ${r.failures.length} failing`);
    assert.deepEqual(r.failures, []);
  },
);

test('a generated case renders the same text every time, and the shrinker keeps it valid', () => {
  const a = renderCase(makeGenCase(SEED, 3));
  const b = renderCase(makeGenCase(SEED, 3));
  assert.equal(a, b);
  assert.notEqual(renderCase(makeGenCase(SEED, 4)), a);
});

test('structural diff: paths of changed, added and removed values; key order ignored', () => {
  const before = { a: { b: [1, { c: 'x' }] }, k: 1, m: { x: 1, y: 2 } };
  const after = { m: { y: 2, x: 1 }, a: { b: [1, { c: 'y' }, 3] }, n: null };
  assert.deepEqual(
    structuralDiff(before, after).map((d) => [formatPath(d.path), d.before, d.after]),
    [
      ['a.b[1].c', 'x', 'y'],
      ['a.b[2]', undefined, 3],
      ['k', 1, undefined],
      ['n', undefined, null],
    ],
  );
  assert.ok(sameValue({ x: [1, 2], y: { z: null } }, { y: { z: null }, x: [1, 2] }));
  assert.ok(!sameValue([1, 2], [2, 1]));
});

const SHARED = [
  'apiVersion: v1',
  'kind: List',
  'items:',
  '  - apiVersion: apps/v1',
  '    kind: Deployment',
  '    metadata: {name: web}',
  '    spec:',
  '      template:',
  '        spec:',
  '          terminationGracePeriodSeconds: 30',
  '          containers: &c',
  '            - name: web',
  '              image: example/web',
  '              args:',
  '                - |',
  '                  set -e',
  '                  # end',
  '  - apiVersion: batch/v1',
  '    kind: Job',
  '    metadata: {name: job}',
  '    spec:',
  '      template:',
  '        spec:',
  '          terminationGracePeriodSeconds: 0',
  '          containers: *c',
  '',
].join('\n');
const HOOKED = (t: string): string => t.replace('              image: example/web\n', '              image: example/web\n              lifecycle: {preStop: {sleep: {seconds: 10}}}\n');

const CHECKER_CASES: { name: string; text: string; edit: (t: string) => string; /** A text inside the object the edit is meant for. */
  intended: string; expect: SemanticProperty; settings?: { kubernetesVersion: string } }[] = [
  {
    name: 'an edit through an alias reaches the other object',
    text: SHARED,
    edit: HOOKED,
    intended: 'kind: Deployment',
    expect: 'changes-other-object',
  },
  {
    name: 'a hook on a pod whose grace period is zero',
    text: SHARED,
    edit: HOOKED,
    intended: 'kind: Deployment',
    expect: 'hook-at-zero-grace',
  },
  {
    name: 'a sleep longer than the grace period',
    text: SHARED,
    edit: HOOKED,
    intended: 'kind: Deployment',
    expect: 'sleep-exceeds-grace',
  },
  {
    name: 'the last line of a block scalar lost',
    text: SHARED,
    edit: (t) => t.replace('                  # end\n', ''),
    intended: 'kind: Deployment',
    expect: 'changes-other-paths',
  },
  {
    name: 'a grace period lowered',
    text: SHARED,
    edit: (t) => t.replace('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 20'),
    intended: 'kind: Deployment',
    expect: 'lowers-grace',
  },
  {
    name: 'a directive separated from its line',
    text: 'kind: Pod\nspec:\n  # kube-graceful-disable-next-line prestop-hook-missing\n  containers: []\n',
    edit: (t) => t.replace('  containers', '  terminationGracePeriodSeconds: 40\n  containers'),
    intended: 'kind:',
    expect: 'directive-moved',
  },
  {
    name: 'a JSON document written as block YAML',
    text: '{"kind": "Pod", "spec": {"containers": [{"name": "a", "lifecycle": null}]}}\n',
    edit: (t) => t.replace('"lifecycle": null', '"lifecycle": {preStop: {sleep: {seconds: 5}}}'),
    intended: 'kind:',
    expect: 'json-lost',
  },
  {
    name: 'the native sleep action for a version before 1.30',
    text: 'kind: Pod\nspec:\n  containers:\n  - name: a\n',
    edit: (t) => `${t}    lifecycle: {preStop: {sleep: {seconds: 5}}}\n`,
    intended: 'kind:',
    expect: 'native-sleep-unsupported',
    settings: { kubernetesVersion: '1.28' },
  },
  {
    name: 'a BOM lost',
    text: '\uFEFFkind: Pod\nspec:\n  containers: []\n',
    edit: (t) => t.slice(1),
    intended: 'kind:',
    expect: 'bom',
  },
  {
    name: 'a bare newline in a CRLF file',
    text: 'kind: Pod\r\nspec:\r\n  containers: []\r\n',
    edit: (t) => `${t}  terminationGracePeriodSeconds: 40\n`,
    intended: 'kind:',
    expect: 'line-endings',
  },
];

for (const c of CHECKER_CASES) {
  test(`the checker reports ${c.expect}: ${c.name}`, () => {
    const settings = c.settings ? mergeSettings(DEFAULT_SETTINGS, c.settings) : DEFAULT_SETTINGS;
    const out = c.edit(c.text);
    assert.notEqual(out, c.text);
    const found = checkOutput(c.text, out, [c.text.indexOf(c.intended)], settings).map((p) => p.property);
    assert.ok(found.includes(c.expect), `expected ${c.expect}, got ${found.join(', ') || 'nothing'}`);
  });
}

test('the checker accepts an intended edit: a hook on the intended container and a raised grace period', () => {
  const text = yaml`
    kind: Pod
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: a
        image: x
  `;
  const out = text.replace('10', '30').replace('    image: x\n', '    image: x\n    lifecycle:\n      preStop:\n        sleep:\n          seconds: 10\n');
  assert.deepEqual(checkOutput(text, out, [0], DEFAULT_SETTINGS), []);
  // Only the container the finding is about may get a hook.
  assert.deepEqual(checkOutput(text, out, [0], DEFAULT_SETTINGS, { list: 'containers', name: 'a' }), []);
  assert.deepEqual(
    checkOutput(text, out, [0], DEFAULT_SETTINGS, { list: 'containers', name: 'b' }).map((p) => p.property),
    ['changes-other-paths'],
  );
  // The same edit for another object is not intended.
  assert.deepEqual(
    checkOutput(text, out, [], DEFAULT_SETTINGS).map((p) => p.property),
    ['changes-other-object'],
  );
});
