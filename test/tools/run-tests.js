#!/usr/bin/env node
// Runs Node's test runner on every *.test.js under the given folders. Node 20 expands a folder
// argument of `node --test` itself, Node 22 and later take arguments as files or glob patterns
// only, so the files are listed here for both.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

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
const r = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
