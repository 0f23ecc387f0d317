#!/usr/bin/env node
// Keeps the per-rule entries of the `kubeGraceful.rules` setting in package.json in step with
// the rule registry (server/src/core/rules/index.ts), so settings.json offers completion and a
// description for every rule id. Reads the compiled registry: run `npm run build` first.
//
//   node test/tools/sync-manifest.js          rewrite package.json when stale
//   node test/tools/sync-manifest.js --check  exit 1 when package.json is stale (CI)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const manifestFile = path.join(root, 'package.json');
const registryFile = path.join(root, 'server', 'out', 'core', 'rules', 'index.js');
const typesFile = path.join(root, 'server', 'out', 'core', 'rules', 'types.js');
const SETTING = 'kubeGraceful.rules';
const SEVERITIES = ['off', 'info', 'warning', 'error'];

function main() {
  const check = process.argv.includes('--check');
  if (!fs.existsSync(registryFile)) {
    console.error(`sync-manifest: ${path.relative(root, registryFile)} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
  const { RULES } = require(registryFile);
  const { docsUrl } = require(typesFile);

  const text = fs.readFileSync(manifestFile, 'utf8');
  const manifest = JSON.parse(text);
  const setting = manifest.contributes?.configuration?.properties?.[SETTING];
  if (!setting) throw new Error(`package.json has no contributes.configuration.properties["${SETTING}"]`);

  const severity = setting.additionalProperties;
  const properties = {};
  for (const rule of RULES) {
    properties[rule.id] = {
      ...severity,
      enum: SEVERITIES,
      markdownDescription:
        `${rule.title}. Default \`${rule.defaultSeverity}\`${rule.fixable ? '; has a quick fix' : ''}. ` +
        `[Documentation](${docsUrl(rule.id)})`,
    };
  }
  setting.properties = properties;

  const updated = JSON.stringify(manifest, null, 2) + '\n';
  if (updated === text) {
    console.log(`sync-manifest: package.json lists all ${RULES.length} rules`);
    return;
  }
  if (check) {
    console.error(`sync-manifest: package.json "${SETTING}" is stale; run \`node test/tools/sync-manifest.js\` and commit`);
    process.exit(1);
  }
  fs.writeFileSync(manifestFile, updated);
  console.log(`sync-manifest: updated "${SETTING}" in package.json (${RULES.length} rules)`);
}

main();
