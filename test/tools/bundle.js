#!/usr/bin/env node
// Bundles the extension for packaging: dist/extension.js (the VS Code client, `vscode` left
// external) and dist/server.js (the language server, launched by the client over IPC).
// Each is one self-contained CommonJS file, so the .vsix ships no node_modules.
//
//   node test/tools/bundle.js          minified, no source maps (what `npm run package` uses)
//   node test/tools/bundle.js --dev    development: only dist/extension.js, readable, with inline
//                                   source maps; dist/server.js is removed so the client runs
//                                   the tsc output server/out/lsp/main.js (npm run build), which
//                                   a debugger can attach to on port 6009 with TS breakpoints
'use strict';

const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..', '..');
const dev = process.argv.includes('--dev');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

const client = { entry: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'] };
const server = { entry: 'server/src/lsp/main.ts', out: 'dist/server.js', external: [] };
const targets = dev ? [client] : [client, server];

async function main() {
  const started = Date.now();
  if (dev) fs.rmSync(path.join(root, server.out), { force: true });
  for (const t of targets) {
    if (!fs.existsSync(path.join(root, t.entry))) {
      throw new Error(`entry point ${t.entry} does not exist`);
    }
  }
  await Promise.all(
    targets.map((t) =>
      esbuild.build({ ...common, entryPoints: [t.entry], outfile: t.out, external: t.external }),
    ),
  );
  for (const t of targets) {
    const size = fs.statSync(path.join(root, t.out)).size;
    console.log(`bundle: ${t.out} ${(size / 1024).toFixed(1)} KiB`);
  }
  console.log(`bundle: done in ${Date.now() - started} ms`);
  if (dev) console.log('bundle: dev mode; the extension runs server/out/lsp/main.js (build it with `npm run build`)');
}

main().catch((error) => {
  console.error(`bundle: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
