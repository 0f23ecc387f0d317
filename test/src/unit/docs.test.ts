import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../../server/out/core';
import { generatedReadme, ROOT } from '../tools/gen-docs';

test('the README rule and settings tables match the registry and the settings schema (run `npm run docs` to update)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, generatedReadme(readme));
});

for (const rule of RULES) {
  test(`rule ${rule.id} has its source file, docs and fire / dont-fire tests`, () => {
    assert.match(rule.id, /^[a-z]+(-[a-z0-9]+)*$/);
    assert.ok(rule.remediation.endsWith('.'), 'remediation ends with a period');
    assert.ok(fs.existsSync(path.join(ROOT, 'server', 'src', 'core', 'rules', `${rule.id}.ts`)), 'rule file');
    const docs = fs.readFileSync(path.join(ROOT, 'server', 'docs', 'rules', `${rule.id}.md`), 'utf8');
    assert.ok(docs.startsWith(`# ${rule.id}\n`), 'docs start with the rule id');
    for (const h of ['## What goes wrong', '## When it fires', '## How to fix', '## Examples', '## Options']) assert.ok(docs.includes(h), `docs section ${h}`);
    const tests = fs.readFileSync(path.join(ROOT, 'test', 'src', 'unit', 'rules', `${rule.id}.test.ts`), 'utf8');
    assert.match(tests, /fire:\s*\[/);
    assert.match(tests, /dontFire:\s*\[/);
  });
}

test('every rule doc belongs to a registered rule', () => {
  const ids = new Set(RULES.map((r) => r.id));
  for (const f of fs.readdirSync(path.join(ROOT, 'server', 'docs', 'rules'))) assert.ok(ids.has(f.replace(/\.md$/, '')), f);
});
