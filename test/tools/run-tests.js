#!/usr/bin/env node
// Runs every *.test.js under the given folders with Node's test runner, one process per file
// (as `node --test` does), a file at a time per spare core. Prints one line per file, the
// reason of every skipped test, and the whole report of a file that fails or hangs; a file that
// runs past its time limit is killed with everything it started and counts as failed.
// Node 20 expands a folder argument of `node --test` itself, Node 22 and later take files or
// glob patterns only, so the files are listed here for both.
//
//   KUBE_GRACEFUL_TEST_FILE_TIMEOUT  seconds one test file may take (default 600)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

function testFiles(dir, out) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) testFiles(full, out);
    else if (d.isFile() && d.name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

const files = [];
for (const dir of process.argv.slice(2)) testFiles(dir, files);
if (files.length === 0) {
  process.stderr.write(`no *.test.js files under ${process.argv.slice(2).join(', ')}: build first (tsc -b)\n`);
  process.exit(1);
}

const fileTimeoutMs = Number(process.env.KUBE_GRACEFUL_TEST_FILE_TIMEOUT || 600) * 1000;
// A test that never settles fails on its own after this long, so the report names it.
const testTimeoutMs = Math.min(300_000, fileTimeoutMs - 10_000);
const runnerArgs = ['--test', '--test-reporter=tap'];
if (process.allowedNodeEnvironmentFlags.has('--test-timeout')) runnerArgs.push(`--test-timeout=${testTimeoutMs}`);
const concurrency = Math.max(1, (os.availableParallelism ? os.availableParallelism() : os.cpus().length) - 1);

/** Counts and skip reasons from a file's TAP report. */
function summarise(tap) {
  const count = (name) => Number((tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const skips = [...tap.matchAll(/^\s*ok \d+ - (.*) # SKIP(?: (.*))?$/gm)].map((m) => `${m[1]}${m[2] ? `: ${m[2]}` : ''}`);
  return { tests: count('tests'), pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: count('skipped'), skips };
}

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Its own process group, so a hang is ended with every process the file started.
    const child = spawn(process.execPath, [...runnerArgs, file], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, fileTimeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ file, code, signal, timedOut, seconds: (Date.now() - started) / 1000, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

function report(r) {
  const s = summarise(r.output);
  const failed = r.timedOut || r.code !== 0 || s.fail > 0;
  const name = path.relative(process.cwd(), r.file);
  const what = r.timedOut ? `killed after ${fileTimeoutMs / 1000} s` : `${s.pass}/${s.tests} passed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
  process.stdout.write(`${failed ? 'FAIL' : 'ok  '} ${name}  ${what}  (${r.seconds.toFixed(1)} s)\n`);
  for (const skip of s.skips) process.stdout.write(`       skipped: ${skip}\n`);
  if (failed) {
    const lines = r.output.split('\n');
    const shown = lines.length > 400 ? ['[…]', ...lines.slice(-400)] : lines;
    process.stdout.write(`${shown.map((l) => `  | ${l}`).join('\n')}\n`);
  }
  return { failed, ...s };
}

async function main() {
  const started = Date.now();
  const queue = [...files];
  const results = new Map();
  let next = 0;
  const printed = [];
  // Reports come out in file order whatever order the files end in.
  const flush = () => {
    while (results.has(files[next])) printed.push(report(results.get(files[next++])));
  };
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      results.set(file, await runFile(file));
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  const total = printed.reduce((a, s) => ({ tests: a.tests + s.tests, pass: a.pass + s.pass, skipped: a.skipped + s.skipped }), { tests: 0, pass: 0, skipped: 0 });
  const failedFiles = printed.filter((s) => s.failed).length;
  process.stdout.write(
    `\n${files.length} files, ${total.tests} tests: ${total.pass} passed, ${total.skipped} skipped, ${failedFiles} file(s) failed (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  process.exit(failedFiles === 0 ? 0 : 1);
}

main();
