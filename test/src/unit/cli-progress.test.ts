/** Progress of long CLI runs: on a terminal's stderr only, never in a pipe or in the report. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createProgress, PROGRESS_MIN_FILES, shouldShowProgress } from '../../../server/out/cli/progress';
import { yaml } from './helpers';

const BIN = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'kube-graceful.js');

const pod = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: api}
  spec:
    containers:
    - name: api
      image: example/api:1
      ports: [{containerPort: 8080}]
`;

function manyFiles(n: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-progress-'));
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `pod-${i}.yaml`), pod.replace('name: api}', `name: api-${i}}`));
  return dir;
}

/** util-linux `script` gives the command a pseudo-terminal; absent on some systems. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs a shell command line with a pseudo-terminal as its terminal; returns what the terminal showed. */
function onTerminal(commandLine: string): { code: number; screen: string } {
  const r = spawnSync('script', ['-q', '-e', '-c', commandLine, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, screen: r.stdout };
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

test('progress is shown only when stderr is a terminal and the run covers many files', () => {
  assert.equal(shouldShowProgress({ stderrIsTty: true, files: PROGRESS_MIN_FILES }), true);
  assert.equal(shouldShowProgress({ stderrIsTty: true, files: PROGRESS_MIN_FILES - 1 }), false);
  assert.equal(shouldShowProgress({ stderrIsTty: false, files: 100_000 }), false);
});

test('the progress line is redrawn at most every 100 ms, always at the end, and erased once', () => {
  const written: string[] = [];
  let now = 0;
  const p = createProgress(true, 20_000, (s) => written.push(s), () => now);
  p.update('reading', 1);
  now = 50;
  p.update('reading', 2);
  now = 150;
  p.update('reading', 4_000);
  now = 160;
  p.update('reading', 20_000);
  p.clear();
  p.clear();
  assert.deepEqual(written, [
    '\r\u001b[Kkube-graceful: reading 1/20,000 files',
    '\r\u001b[Kkube-graceful: reading 4,000/20,000 files',
    '\r\u001b[Kkube-graceful: reading 20,000/20,000 files',
    '\r\u001b[K',
  ]);
  const silent: string[] = [];
  const off = createProgress(false, 20_000, (s) => silent.push(s));
  off.update('reading', 1);
  off.clear();
  assert.deepEqual(silent, []);
});

test('CLI: progress on a terminal, erased, and the JSON report untouched', { skip: hasScript ? false : 'util-linux `script` is not installed: no pseudo-terminal to test with' }, () => {
  const dir = manyFiles(PROGRESS_MIN_FILES + 10);
  const report = path.join(dir, 'report.json');
  const r = onTerminal(`${quote(process.execPath)} ${quote(BIN)} -f json ${quote(dir)} > ${quote(report)}`);
  assert.equal(r.code, 0, r.screen);
  assert.match(r.screen, /kube-graceful: reading \d+\/210 files/);
  assert.match(r.screen, /kube-graceful: analysing 210\/210 files\r\u001b\[K$/);
  const json = fs.readFileSync(report, 'utf8');
  assert.equal((JSON.parse(json) as unknown[]).length, PROGRESS_MIN_FILES + 10);
  assert.doesNotMatch(json, /kube-graceful:|\u001b/);

  const few = onTerminal(`${quote(process.execPath)} ${quote(BIN)} -f json ${quote(path.join(dir, 'pod-1.yaml'))} > /dev/null`);
  assert.equal(few.code, 0);
  assert.doesNotMatch(few.screen, /kube-graceful:/);
});

test('CLI: no progress when stderr is not a terminal', () => {
  const dir = manyFiles(PROGRESS_MIN_FILES + 10);
  for (const format of ['stylish', 'github']) {
    const r = spawnSync(process.execPath, [BIN, '-f', format, dir], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /kube-graceful: (reading|analysing)|\u001b\[K/);
  }
});
