#!/usr/bin/env node
// Runs every editor end-to-end layer and prints one summary line:
//   build (tsc -b) -> manifest check -> package (.vsix) -> grammar -> extension host suite -> UI test
//   -> web test (the extension in the web worker extension host, as VS Code for the Web runs it)
// Build and package failures stop the run (the layers need their output); the three test
// layers always all run. Each step has a time limit. Exit code 0 only when all passed.
//
//   node test/tools/e2e.js [--skip-build] [--update-images]
// --skip-build runs only the test layers on what is already built and packaged.
// Needs `npm run e2e:setup` once (Chromium, Node 24, code-server in .e2e/).
'use strict';

const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const node = process.execPath;

const prepare = [
  { name: 'build', cmd: npm, argv: ['run', '--silent', 'build'], timeoutMs: 5 * 60_000 },
  { name: 'manifest', cmd: node, argv: ['test/tools/sync-manifest.js', '--check'], timeoutMs: 30_000 },
  { name: 'package', cmd: npm, argv: ['run', '--silent', 'package'], timeoutMs: 3 * 60_000 },
];
const layers = [
  { name: 'grammar', cmd: node, argv: ['test/tools/e2e-grammar.js'], timeoutMs: 60_000 },
  { name: 'host', cmd: node, argv: ['test/tools/e2e-host.js'], timeoutMs: 5 * 60_000 },
  {
    name: 'ui',
    cmd: node,
    argv: ['test/tools/e2e-ui.js', ...(args.includes('--update-images') ? ['--update-images'] : [])],
    timeoutMs: 5 * 60_000,
  },
  { name: 'web', cmd: node, argv: ['test/tools/e2e-web.js'], timeoutMs: 5 * 60_000 },
];

function runStep(step) {
  const t0 = Date.now();
  console.log(`[e2e] ${step.name}: ${path.basename(step.cmd)} ${step.argv.join(' ')}`);
  const r = spawnSync(step.cmd, step.argv, {
    cwd: root,
    stdio: 'inherit',
    timeout: step.timeoutMs,
    killSignal: 'SIGKILL',
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  let outcome = 'passed';
  if (r.error && r.error.code === 'ETIMEDOUT') outcome = `timed out after ${step.timeoutMs / 1000} s`;
  else if (r.error) outcome = `could not run: ${r.error.message}`;
  else if (r.status !== 0) outcome = `failed (exit ${r.status ?? r.signal})`;
  console.log(`[e2e] ${step.name}: ${outcome} (${seconds} s)`);
  return { name: step.name, ok: outcome === 'passed', outcome, seconds };
}

const started = Date.now();
const results = [];
for (const step of args.includes('--skip-build') ? [] : prepare) {
  const r = runStep(step);
  results.push(r);
  if (!r.ok) break;
}
if (results.every((r) => r.ok)) {
  for (const step of layers) results.push(runStep(step));
}

const total = ((Date.now() - started) / 1000).toFixed(1);
const failed = results.filter((r) => !r.ok);
const parts = results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'}`).join(', ');
if (failed.length === 0) {
  console.log(`e2e: PASSED (${parts}; ${total} s)`);
} else {
  console.log(`e2e: FAILED (${parts}; ${total} s)`);
}
process.exit(failed.length === 0 ? 0 : 1);
