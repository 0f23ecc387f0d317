/**
 * Bounded by design: alias bombs, 10 MB files, 10,000-deep nesting and million-character lines
 * each get a notice of the expected kind (or silence) within a time and memory bound. Each case
 * runs in its own Node process with a capped heap, so a crash, a runaway allocation or a hang
 * fails that case instead of the test runner. Kinds are asserted, never wording.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { LIMIT_CASES, type LimitOutcome } from '../fuzz/limits';

const RUNNER = path.resolve(__dirname, '..', 'fuzz', 'limits.js');
/** Generous on purpose (a loaded 2-core machine): these bound runaway cases, they are not benchmarks. */
const TIME_BOUND_MS = 15_000;
const HEAP_CAP_MB = 1024;

for (const c of LIMIT_CASES) {
  test(`limits: ${c.name}`, { timeout: TIME_BOUND_MS * 3 }, (t) => {
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--stack-size=984', RUNNER, c.name], {
      encoding: 'utf8',
      timeout: TIME_BOUND_MS * 2,
      maxBuffer: 1024 * 1024,
    });
    assert.equal(r.error, undefined, `the analysis process did not finish: ${String(r.error)}`);
    assert.equal(r.status, 0, `the analysis process failed (signal ${String(r.signal)}): ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout.trim()) as LimitOutcome;
    t.diagnostic(`${out.chars} chars: ${Math.round(out.ms)} ms, peak RSS ${out.rssMiB} MiB, notices [${out.kinds.join(', ')}], rules [${out.rules.join(', ')}]`);
    assert.ok(out.ms < TIME_BOUND_MS, `analysis took ${Math.round(out.ms)} ms`);
    for (const k of out.kinds) assert.ok(c.allowed.includes(k), `unexpected notice kind ${k}`);
    if (c.required.length > 0) assert.ok(out.kinds.some((k) => c.required.includes(k)), `one of [${c.required.join(', ')}] expected, got [${out.kinds.join(', ')}]`);
    for (const id of c.expectRules ?? []) assert.ok(out.rules.includes(id), `the rest of the file is still analysed: ${id} expected`);
  });
}
