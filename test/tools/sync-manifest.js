#!/usr/bin/env node
// Writes what the settings schema (server/src/core/settings/schema.ts) and the rule registry
// generate into the repository: `contributes.configuration` and `contributes.yamlValidation` in
// package.json, and the JSON Schema of .kube-graceful.yaml (server/schemas/). Reads the compiled
// core: run `npm run build` first.
//
//   node test/tools/sync-manifest.js          rewrite what is stale
//   node test/tools/sync-manifest.js --check  exit 1 when anything is stale (CI)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const manifestFile = path.join(root, 'package.json');
const coreFile = path.join(root, 'server', 'out', 'core', 'index.js');

function main() {
  const check = process.argv.includes('--check');
  if (!fs.existsSync(coreFile)) {
    console.error(`sync-manifest: ${path.relative(root, coreFile)} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
  const core = require(coreFile);

  const outputs = [];

  const text = fs.readFileSync(manifestFile, 'utf8');
  const manifest = JSON.parse(text);
  if (!manifest.contributes) throw new Error('package.json has no "contributes"');
  manifest.contributes.configuration = core.editorConfiguration();
  manifest.contributes.yamlValidation = core.yamlValidation();
  outputs.push({ file: manifestFile, before: text, after: JSON.stringify(manifest, null, 2) + '\n' });

  const schemaFile = path.join(root, ...core.CONFIG_SCHEMA_PATH.split('/'));
  const schemaBefore = fs.existsSync(schemaFile) ? fs.readFileSync(schemaFile, 'utf8') : '';
  outputs.push({ file: schemaFile, before: schemaBefore, after: JSON.stringify(core.configJsonSchema(), null, 2) + '\n' });

  const stale = outputs.filter((o) => o.before !== o.after);
  if (stale.length === 0) {
    console.log('sync-manifest: package.json settings and the configuration schema are current');
    return;
  }
  const names = stale.map((o) => path.relative(root, o.file)).join(', ');
  if (check) {
    console.error(`sync-manifest: ${names} stale; run \`npm run manifest\` and commit`);
    process.exit(1);
  }
  for (const o of stale) {
    fs.mkdirSync(path.dirname(o.file), { recursive: true });
    fs.writeFileSync(o.file, o.after);
  }
  console.log(`sync-manifest: updated ${names}`);
}

main();
