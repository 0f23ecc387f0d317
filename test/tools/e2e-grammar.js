#!/usr/bin/env node
// Checks syntaxes/kube-graceful-directives.tmLanguage.json against VS Code's own YAML
// grammar, tokenizing with the same vscode-textmate + vscode-oniguruma VS Code uses (both
// taken from the code-server that `npm run e2e:setup` installs; nothing extra to install).
// Verifies that the injection reaches YAML comments and scopes each part of a directive.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { paths, requireFromVscode } = require('./e2e-lib');

const DIRECTIVE = 'keyword.control.directive.kube-graceful';
const RULE = 'constant.other.rule.kube-graceful';
const COMMA = 'punctuation.separator.comma.kube-graceful';
const DASHES = 'punctuation.separator.reason.kube-graceful';
const REASON = 'meta.reason.kube-graceful';
const COMMENT = 'comment.line.number-sign.yaml';

/**
 * Each case: a line (or lines joined by \n, checked on the last one) and the scopes expected on
 * given substrings (null = no kube-graceful scope).
 */
const cases = [
  {
    line: '# kube-graceful-disable-next-line prestop-hook-missing, grace-period-zero -- drained by the mesh',
    expect: [
      ['kube-graceful-disable-next-line', DIRECTIVE],
      ['prestop-hook-missing', RULE],
      [',', COMMA],
      ['grace-period-zero', RULE],
      ['--', DASHES],
      ['drained by the mesh', REASON],
    ],
  },
  {
    line: '      terminationGracePeriodSeconds: 0 # kube-graceful-disable-line grace-period-zero',
    expect: [
      ['kube-graceful-disable-line', DIRECTIVE],
      ['grace-period-zero', RULE],
    ],
  },
  { line: '#kube-graceful-disable', expect: [['kube-graceful-disable', DIRECTIVE]] },
  {
    line: '# kube-graceful-disable -- whole file is a test fixture',
    expect: [
      ['kube-graceful-disable', DIRECTIVE],
      ['--', DASHES],
      ['whole file is a test fixture', REASON],
    ],
  },
  {
    line: '    # kube-graceful-disable-next-line prestop-hook-missing--rolled out by hand',
    expect: [
      ['kube-graceful-disable-next-line', DIRECTIVE],
      ['prestop-hook-missing', RULE],
      ['--', DASHES],
      ['rolled out by hand', REASON],
    ],
  },
  // Reason words are not rule ids.
  { line: '# kube-graceful-disable-line -- prestop-hook-missing is fine here', expect: [['prestop-hook-missing', REASON]] },
  // Not directives: not the first word, a longer word, or outside a comment.
  { line: '# see kube-graceful-disable-next-line in the docs', expect: [['kube-graceful-disable-next-line', null]] },
  { line: '# kube-graceful-disabled prestop-hook-missing', expect: [['kube-graceful-disabled', null]] },
  { line: 'name: kube-graceful-disable-line', expect: [['kube-graceful-disable-line', null]] },
  // After a value only the -line form applies (the server ignores the others there).
  { line: '  image: web # kube-graceful-disable-next-line prestop-hook-missing', expect: [['kube-graceful-disable-next-line', null]] },
  { line: '  image: web # kube-graceful-disable', expect: [['kube-graceful-disable', null]] },
  // Inside a block scalar it is text, not a comment.
  { line: 'script: |\n  # kube-graceful-disable-line', expect: [['kube-graceful-disable-line', null]] },
];

async function main() {
  const started = Date.now();
  const vsctm = requireFromVscode('vscode-textmate');
  const oniguruma = requireFromVscode('vscode-oniguruma');
  const wasm = fs.readFileSync(path.join(path.dirname(requireFromVscode.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

  const yamlDir = path.join(paths.vscodeDir, 'extensions', 'yaml', 'syntaxes');
  const ours = path.join(paths.root, 'syntaxes', 'kube-graceful-directives.tmLanguage.json');
  const ourGrammar = JSON.parse(fs.readFileSync(ours, 'utf8'));
  const manifest = JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'));
  const contributed = manifest.contributes.grammars.find((g) => g.scopeName === ourGrammar.scopeName);
  if (!contributed) throw new Error(`package.json contributes no grammar with scopeName ${ourGrammar.scopeName}`);
  if (path.resolve(paths.root, contributed.path) !== ours) throw new Error(`package.json grammar path ${contributed.path} is not ${ours}`);

  /** scopeName -> file, from VS Code's YAML extension manifest plus ours. */
  const files = new Map([[ourGrammar.scopeName, ours]]);
  const yamlManifest = JSON.parse(fs.readFileSync(path.join(yamlDir, '..', 'package.json'), 'utf8'));
  for (const g of yamlManifest.contributes.grammars) files.set(g.scopeName, path.join(yamlDir, '..', g.path));

  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => (contributed.injectTo.includes(scopeName) ? [ourGrammar.scopeName] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  if (!grammar) throw new Error('could not load source.yaml');

  const failures = [];
  for (const c of cases) {
    const lines = c.line.split('\n');
    let state = vsctm.INITIAL;
    let tokens = [];
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      tokens = r.tokens;
    }
    const last = lines[lines.length - 1];
    const scopesAt = (offset) => {
      const t = tokens.find((tok) => tok.startIndex <= offset && offset < tok.endIndex);
      return t ? t.scopes : [];
    };
    for (const [text, scope] of c.expect) {
      const at = last.indexOf(text);
      if (at < 0) throw new Error(`bad case: "${text}" not in "${last}"`);
      for (let i = at; i < at + text.length; i++) {
        if (last[i] === ' ') continue;
        const scopes = scopesAt(i);
        const ok =
          scope === null
            ? !scopes.some((s) => s.endsWith('.kube-graceful'))
            : scopes.includes(scope) && (!scope.startsWith('keyword') || scopes.includes(COMMENT));
        if (!ok) {
          failures.push(`"${c.line}": "${text}" at ${i} has [${scopes.join(', ')}], expected ${scope ?? 'no kube-graceful scope'}`);
          break;
        }
      }
    }
  }
  const ms = Date.now() - started;
  if (failures.length > 0) {
    for (const f of failures) console.error(`  FAIL ${f}`);
    console.error(`e2e grammar: FAILED ${failures.length} check(s) of ${cases.length} lines (${ms} ms)`);
    process.exit(1);
  }
  console.log(`e2e grammar: passed, ${cases.length} lines tokenized with VS Code's YAML grammar (${ms} ms)`);
}

main().catch((error) => {
  console.error(`e2e grammar: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
