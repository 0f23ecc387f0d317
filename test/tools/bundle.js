#!/usr/bin/env node
// Bundles the extension for packaging: dist/extension.js (the VS Code client, `vscode` left
// external) and dist/server.js (the language server, launched by the client over IPC) for Node
// extension hosts, and for web extension hosts (VS Code for the Web) dist/web/extension.js (the
// client, CommonJS as the web extension host loads it) and dist/web/server.js (the language
// server as a web worker script). Each is one self-contained file, so the .vsix ships no
// node_modules; the web bundles are built for the browser and must not need Node's modules.
//
//   node test/tools/bundle.js          minified, no source maps (what `npm run package` uses)
//   node test/tools/bundle.js --dev    development: dist/extension.js and the web bundles, readable,
//                                   with inline source maps; dist/server.js is removed so the client runs
//                                   the tsc output server/out/lsp/main.js (npm run build), which
//                                   a debugger can attach to on port 6009 with TS breakpoints
//   node test/tools/bundle.js --web --outdir <dir>
//                                   only the two web bundles, minified, under <dir>/dist/web/
//                                   (the tests read them without touching the project's dist/)
'use strict';

const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..', '..');
const dev = process.argv.includes('--dev');
const webOnly = process.argv.includes('--web');
const outdirAt = process.argv.indexOf('--outdir');
const outRoot = outdirAt === -1 ? root : path.resolve(process.argv[outdirAt + 1] ?? '.');

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

/** Web extension host and web worker: browser modules, no Node built-ins. */
const web = { platform: 'browser', target: 'es2022', mainFields: ['browser', 'module', 'main'] };

const client = { entry: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'] };
const server = { entry: 'server/src/lsp/main.ts', out: 'dist/server.js', external: [] };
const webClient = { entry: 'client/src/browser.ts', out: 'dist/web/extension.js', external: ['vscode'], options: { ...web, format: 'cjs' } };
const webServer = { entry: 'server/src/lsp/browser/main.ts', out: 'dist/web/server.js', external: [], options: { ...web, format: 'iife' } };
const targets = webOnly ? [webClient, webServer] : dev ? [client, webClient, webServer] : [client, server, webClient, webServer];

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
      esbuild.build({ ...common, ...(t.options ?? {}), entryPoints: [t.entry], outfile: path.join(outRoot, t.out), external: t.external }),
    ),
  );
  for (const t of targets) {
    const size = fs.statSync(path.join(outRoot, t.out)).size;
    console.log(`bundle: ${t.out} ${(size / 1024).toFixed(1)} KiB`);
  }
  console.log(`bundle: done in ${Date.now() - started} ms`);
  if (dev) console.log('bundle: dev mode; the extension runs server/out/lsp/main.js (build it with `npm run build`)');
}

main().catch((error) => {
  console.error(`bundle: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
