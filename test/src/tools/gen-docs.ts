/**
 * Generates the README's rule and settings tables from the rule registry and the settings
 * schema. `node test/out/tools/gen-docs.js` rewrites README.md; the unit tests fail when the
 * committed README differs from what this produces.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EDITOR_SECTION, fullDescription, RULES, SETTINGS_SCHEMA, typeText } from '../../../server/out/core';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

export function ruleTable(): string {
  const rows = RULES.map(
    (r) => `| [\`${r.id}\`](server/docs/rules/${r.id}.md) | ${r.defaultSeverity} | ${r.fixable ? 'yes' : 'no'} | ${cell(r.title)} |`,
  );
  return ['| Rule | Default severity | Fix | What it catches |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** One row per setting of the schema, in its order: the editor key, the file key, type, default, description. */
export function settingsTable(): string {
  const rows = SETTINGS_SCHEMA.map((spec) => {
    const fileKey = spec.place === 'everywhere' ? `\`${spec.key}\`` : '—';
    return `| \`${EDITOR_SECTION}.${spec.key}\` | ${fileKey} | ${cell(typeText(spec))} | ${cell(JSON.stringify(spec.default))} | ${cell(fullDescription(spec))} |`;
  });
  return ['| Editor setting | In `.kube-graceful.yaml` | Type | Default | Description |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a === -1 || b === -1 || b < a) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

export function generatedReadme(readme: string): string {
  return replaceBetween(replaceBetween(readme, 'rules', ruleTable()), 'settings', settingsTable());
}

function main(): void {
  const readmePath = path.join(ROOT, 'README.md');
  const before = fs.readFileSync(readmePath, 'utf8');
  const after = generatedReadme(before);
  if (after !== before) {
    fs.writeFileSync(readmePath, after);
    process.stdout.write('README.md updated\n');
  } else {
    process.stdout.write('README.md is up to date\n');
  }
}

if (require.main === module) main();
