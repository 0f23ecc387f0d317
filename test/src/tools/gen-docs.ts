/**
 * Generates the README's rule and settings tables from the rule registry and the extension
 * manifest. `node test/out/tools/gen-docs.js` rewrites README.md; the unit tests fail when the
 * committed README differs from what this produces.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/out/core';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

interface ConfigProperty {
  readonly type?: string | readonly string[];
  readonly default?: unknown;
  readonly description?: string;
  readonly markdownDescription?: string;
  readonly scope?: string;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

export function ruleTable(): string {
  const rows = RULES.map(
    (r) => `| [\`${r.id}\`](server/docs/rules/${r.id}.md) | ${r.defaultSeverity} | ${r.fixable ? 'yes' : 'no'} | ${cell(r.title)} |`,
  );
  return ['| Rule | Default severity | Fix | What it catches |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function settingsTable(manifest: unknown): string {
  const props = ((manifest as { contributes?: { configuration?: { properties?: Record<string, ConfigProperty> } } }).contributes?.configuration?.properties ?? {});
  const rows = Object.keys(props)
    .sort()
    .map((k) => {
      const p = props[k] as ConfigProperty;
      const desc = p.markdownDescription ?? p.description ?? '';
      return `| \`${k}\` | ${cell(JSON.stringify(p.default))} | ${cell(desc)} |`;
    });
  return ['| Setting | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a === -1 || b === -1 || b < a) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

export function generatedReadme(readme: string, manifest: unknown): string {
  return replaceBetween(replaceBetween(readme, 'rules', ruleTable()), 'settings', settingsTable(manifest));
}

function main(): void {
  const readmePath = path.join(ROOT, 'README.md');
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const before = fs.readFileSync(readmePath, 'utf8');
  const after = generatedReadme(before, manifest);
  if (after !== before) {
    fs.writeFileSync(readmePath, after);
    process.stdout.write('README.md updated\n');
  } else {
    process.stdout.write('README.md is up to date\n');
  }
}

if (require.main === module) main();
