/** The many-file benchmark's harness, on a tiny repository: it measures both processes and prints its table. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const SCRIPT = path.resolve(__dirname, '..', '..', 'bench', 'many-files.js');

test('bench:files generates a repository, runs the bare parse and the CLI, and prints a row per size', () => {
  const r = spawnSync(process.execPath, [SCRIPT, '--sizes', '10', '--timeout', '60'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^10 files \(2 services,/m);
  assert.match(r.stdout, /kube-graceful -f json: [\d.]+ s, \d+ MiB, 10 files reported/);
  assert.match(r.stdout, /^\| 10 \| [\d.]+ s \| [\d.]+ s \| [\d.]+× \| \d+ MiB \/ \d+ MiB \|$/m);
});
