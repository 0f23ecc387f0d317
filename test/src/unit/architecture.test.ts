/**
 * The core's dependency rules, checked on the source: what each folder may import, and no
 * folder importing one that imports it back. See ARCHITECTURE.md.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const CORE = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'core');

interface Source {
  /** Path relative to the core, with forward slashes. */
  readonly file: string;
  readonly imports: readonly string[];
}

function sources(dir: string): Source[] {
  const out: Source[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) {
      const text = fs.readFileSync(p, 'utf8');
      const imports = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] ?? '');
      out.push({ file: path.relative(CORE, p).split(path.sep).join('/'), imports });
    }
  }
  return out;
}

/** The module an import names, relative to the core ("yaml/nodes"), or the package name. */
function resolve(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/^\.\//, '');
}

/** The layer of a core module: its folder, or the file itself at the top. */
function layer(mod: string): string {
  const i = mod.indexOf('/');
  return i === -1 ? mod.replace(/\.ts$/, '') : mod.slice(0, i);
}

const ALL = sources(CORE);

test('the core imports nothing from Node or VS Code, and only core/yaml imports the yaml package', () => {
  for (const s of ALL) {
    for (const spec of s.imports) {
      assert.ok(!/^(node:|fs$|path$|os$|vscode)/.test(spec), `${s.file} imports ${spec}`);
      if (spec === 'yaml') assert.ok(s.file.startsWith('yaml/'), `${s.file} imports the yaml package`);
    }
  }
});

const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  // The YAML layer: parse, read, locate and edit. Knows nothing of Kubernetes.
  yaml: ['yaml', 'types'],
  // Settings: their type, defaults and schema. Validation and generation over the rule registry live in options/.
  settings: ['settings', 'types', 'yaml'],
  // The model reads documents through the YAML layer's read API into values.
  model: ['model', 'yaml', 'types', 'settings', 'features'],
  // Fixes turn intentions into edits through edit targets; they never import rules or the pipeline.
  fixes: ['fixes', 'model', 'yaml', 'types', 'settings', 'features', 'directives'],
  // Rules read the model and attach fix builders; never YAML.
  rules: ['rules', 'model', 'fixes', 'types', 'settings', 'features'],
  // The kustomize build reads files through the YAML layer's plain values; it knows no model, rule or pipeline.
  kustomize: ['kustomize', 'yaml', 'types'],
  // Renderers draw the model's values (the timeline picture); nothing below imports them.
  render: ['render', 'model', 'types', 'settings'],
};

test('dependencies point one way: yaml ← model ← rules, fixes beside rules; rules never read YAML', () => {
  for (const s of ALL) {
    const from = layer(s.file);
    const allowed = MAY_IMPORT[from];
    if (!allowed) continue;
    for (const spec of s.imports) {
      if (!spec.startsWith('.')) continue;
      const to = layer(resolve(s.file, spec));
      assert.ok(allowed.includes(to), `${s.file} (${from}) imports ${spec} (${to})`);
    }
  }
  for (const s of ALL.filter((x) => x.file.startsWith('model/') || x.file.startsWith('fixes/'))) {
    for (const spec of s.imports) {
      const to = resolve(s.file, spec);
      if (s.file.startsWith('fixes/')) assert.ok(to !== 'yaml/nodes', `${s.file} reads YAML nodes`);
    }
  }
});

test('no layer of the core imports one that imports it back', () => {
  const edges = new Map<string, Set<string>>();
  for (const s of ALL) {
    const from = layer(s.file);
    for (const spec of s.imports) {
      if (!spec.startsWith('.')) continue;
      const to = layer(resolve(s.file, spec));
      if (to === from) continue;
      const set = edges.get(from) ?? new Set<string>();
      set.add(to);
      edges.set(from, set);
    }
  }
  const reaches = (a: string, b: string, seen = new Set<string>()): boolean => {
    if (seen.has(a)) return false;
    seen.add(a);
    for (const n of edges.get(a) ?? []) if (n === b || reaches(n, b, seen)) return true;
    return false;
  };
  for (const [a, tos] of edges) for (const b of tos) assert.ok(!reaches(b, a), `${a} imports ${b}, which imports ${a} back`);
});

test('in the language server only main.ts and node/ import Node; the file features in disk/ read through the host', () => {
  const lsp = path.resolve(CORE, '..', 'lsp');
  const bad: string[] = [];
  for (const source of sources(lsp)) {
    // Paths relative to the language server's folder.
    const s = { ...source, file: path.relative(lsp, path.resolve(CORE, source.file)).split(path.sep).join('/') };
    if (s.file === 'main.ts' || s.file.startsWith('node/')) continue;
    for (const spec of s.imports) {
      const to = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(s.file), spec)) : spec;
      if (/^(node:|fs$|path$|os$|url$|util$|child_process$)/.test(spec) || /^(node|main)(\/|$)/.test(to) || /vscode-languageserver\/node/.test(spec)) bad.push(`${s.file} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('no function in the source is longer than 80 lines', () => {
  const root = path.resolve(CORE, '..');
  const long: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) long.push(...longFunctions(p, fs.readFileSync(p, 'utf8')));
    }
  };
  walk(root);
  assert.deepEqual(long, []);
});

/** Functions and methods whose body spans more than 80 lines, found by brace matching from each declaration line. */
function longFunctions(file: string, text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  const decl = /^\s*(export\s+)?(async\s+)?(function\s+\w+|(get\s+|private\s+|static\s+|readonly\s+)*\w+\s*\([^)]*\)\s*(:\s*[^={]+)?\{\s*$|(const|let)\s+\w+\s*=\s*(\([^)]*\)|\w+)\s*(:\s*[^=]+)?=>\s*\{\s*$)/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!decl.test(line) || /^\s*(if|for|while|switch|catch|return)\b/.test(line)) continue;
    let depth = 0;
    let end = i;
    for (let j = i; j < lines.length; j++) {
      for (const ch of (lines[j] ?? '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|\/\/.*$/g, '')) {
        if (ch === '{') depth++;
        else if (ch === '}') depth--;
      }
      if (depth <= 0) {
        end = j;
        break;
      }
    }
    if (end - i + 1 > 80) out.push(`${path.basename(file)}:${i + 1} (${end - i + 1} lines)`);
  }
  return out;
}
