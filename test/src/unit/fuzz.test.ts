/**
 * A small fixed-seed run of the mutation fuzzer (test/src/fuzz): the core never throws, each
 * analysis is bounded, and fixes on input that parsed stay valid. Long runs: `npm run fuzz`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { describeCase, loadSeeds, makeCase, runCase } from '../fuzz/engine';

const SEED = 20240611;
const ITERATIONS = 300;

test(`fuzz: ${ITERATIONS} mutated manifests (seed ${SEED}) keep every property`, { timeout: 120_000 }, (t) => {
  // Seeds over 160 kB make a slow unit test; `npm run fuzz` uses them all.
  const { seeds, corpusFound } = loadSeeds({ maxChars: 160_000 });
  if (!corpusFound) t.diagnostic('../shared/corpus not found: fuzzing the bundled examples only');
  assert.ok(seeds.length > 0, 'seed files found');
  const failures: string[] = [];
  let parsed = 0;
  let fixes = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const c = makeCase(SEED, i, seeds, { maxGiant: 50_000 });
    const r = runCase(c, seeds, { maxFixChecks: 3 });
    if (r.parsed) parsed++;
    fixes += r.fixesChecked;
    if (r.problems.length > 0) {
      const file = path.join(os.tmpdir(), `kube-graceful-fuzz-${SEED}-${i}.yaml`);
      fs.writeFileSync(file, c.text);
      failures.push(`${describeCase(c)} (input saved to ${file}):\n${r.problems.map((p) => `  ${p.property}: ${p.detail}`).join('\n')}`);
    }
  }
  t.diagnostic(`${ITERATIONS} inputs, ${parsed} parsed, ${fixes} fixes checked`);
  assert.deepEqual(failures, []);
  // The run must exercise the fix path, not only broken YAML.
  assert.ok(parsed > ITERATIONS / 5, `enough inputs parsed (${parsed})`);
  assert.ok(fixes > 20, `enough fixes checked (${fixes})`);
});
