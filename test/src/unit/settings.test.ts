/**
 * The settings schema: every value is accepted or rejected the same way from editor settings
 * and from `.kube-graceful.yaml`; what is generated from the schema is committed and current;
 * no setting can make a fix insert a sleep Kubernetes would refuse.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  analyzeText,
  applyEdits,
  CONFIG_SCHEMA_PATH,
  configJsonSchema,
  DEFAULT_SETTINGS,
  editorConfiguration,
  fileSettings,
  mergeSettings,
  parseConfig,
  refactoringsAt,
  RULES_BY_ID,
  SETTINGS_SCHEMA,
  yamlValidation,
  type PartialSettings,
} from '../../../server/out/core';
import { readEditorSettings } from '../../../server/out/lsp/services/settings';
import { ROOT } from '../tools/gen-docs';

/** A section written the same way in both places: top-level keys with JSON values (JSON is YAML). */
type Section = Record<string, unknown>;

function fileText(section: Section): string {
  return Object.entries(section)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`)
    .join('');
}

interface BothPaths {
  readonly editor: { readonly layer: PartialSettings; readonly problems: readonly string[] };
  readonly file: { readonly layer: PartialSettings; readonly problems: readonly string[] };
}

function bothPaths(section: Section): BothPaths {
  const e = readEditorSettings(section);
  const f = parseConfig(fileText(section), 'team/.kube-graceful.yaml');
  return { editor: { layer: e.layer, problems: e.problems }, file: { layer: f.settings, problems: f.problems.map((p) => p.message) } };
}

interface Case {
  readonly section: Section;
  /** The layer both paths must produce; `problems`: how many values each must reject. */
  readonly layer: PartialSettings;
  readonly problems: number;
}

const ok = (section: Section, layer: PartialSettings): Case => ({ section, layer, problems: 0 });
const bad = (section: Section, layer: PartialSettings = {}, problems = 1): Case => ({ section, layer, problems });

const INTEGER_KEYS = ['preStopSleepSeconds', 'shutdownSeconds', 'minShutdownSeconds', 'minPropagationSeconds'] as const;
const NOT_WHOLE_SECONDS: readonly unknown[] = [7.5, 0.5, -1, -0.5, '10', '', true, false, null, 1e20, 2 ** 53, 86401, [10], { seconds: 10 }];

const CASES: Case[] = [];
for (const key of INTEGER_KEYS) {
  for (const v of [1, 10, 86400]) CASES.push(ok({ [key]: v }, { [key]: v }));
  for (const v of NOT_WHOLE_SECONDS) CASES.push(bad({ [key]: v }));
  // A zero sleep is no sleep: only the thresholds and the shutdown time may be 0.
  CASES.push(key === 'preStopSleepSeconds' ? bad({ [key]: 0 }) : ok({ [key]: 0 }, { [key]: 0 }));
}
CASES.push(
  ok({ kubernetesVersion: '1.30' }, { kubernetesVersion: '1.30' }),
  ok({ kubernetesVersion: 'v1.31' }, { kubernetesVersion: '1.31' }),
  ok({ kubernetesVersion: '1.29.3' }, { kubernetesVersion: '1.29' }),
  ...['latest', '1', '1.x', '', 'v', '1.30-rc.1', ' 1.30', '1.30.2.1'].map((v) => bad({ kubernetesVersion: v })),
  bad({ kubernetesVersion: true }),
  bad({ kubernetesVersion: null }),
  bad({ kubernetesVersion: ['1.30'] }),
  ok({ minimalImages: ['registry.example.com/static-*'] }, { minimalImages: ['registry.example.com/static-*'] }),
  ok({ minimalImages: [] }, { minimalImages: [] }),
  bad({ minimalImages: 'gcr.io/distroless/*' }),
  bad({ minimalImages: [''] }),
  bad({ minimalImages: ['ok/*', 3] }),
  bad({ minimalImages: [null] }),
  bad({ minimalImages: { a: 'b' } }),
  // rules: the plain form
  ok({ rules: { 'grace-period-zero': 'off', 'prestop-hook-missing': 'error' } }, { rules: { 'grace-period-zero': 'off', 'prestop-hook-missing': 'error' } }),
  ok({ rules: {} }, { rules: {} }),
  bad({ rules: { 'grace-period-zero': 'loud' } }, { rules: {} }),
  bad({ rules: { 'grace-period-zero': 'warn' } }, { rules: {} }),
  bad({ rules: { 'grace-period-zero': 2 } }, { rules: {} }),
  bad({ rules: { 'grace-period-zero': null } }, { rules: {} }),
  bad({ rules: { 'no-such-rule': 'warning' } }, { rules: {} }),
  bad({ rules: { 'no-such-rule': 'warning', 'grace-period-zero': 'off' } }, { rules: { 'grace-period-zero': 'off' } }),
  bad({ rules: 'warning' }),
  bad({ rules: ['prestop-hook-missing'] }),
  // rules: the per-rule form, with the rule's own options
  ok(
    { rules: { 'prestop-sleep-too-short': { severity: 'warning', minPropagationSeconds: 8 } } },
    { minPropagationSeconds: 8, rules: { 'prestop-sleep-too-short': 'warning' } },
  ),
  ok({ rules: { 'prestop-sleep-too-short': { minPropagationSeconds: 8 } } }, { minPropagationSeconds: 8, rules: {} }),
  ok({ rules: { 'grace-period-too-short': { severity: 'error', minShutdownSeconds: 0 } } }, { minShutdownSeconds: 0, rules: { 'grace-period-too-short': 'error' } }),
  ok({ rules: { 'grace-period-zero': { severity: 'off' } } }, { rules: { 'grace-period-zero': 'off' } }),
  ok({ rules: { 'grace-period-zero': {} } }, { rules: {} }),
  // the rule's option wins over the top-level key, in either order
  ok({ minPropagationSeconds: 3, rules: { 'prestop-sleep-too-short': { minPropagationSeconds: 8 } } }, { minPropagationSeconds: 8, rules: {} }),
  ok({ rules: { 'prestop-sleep-too-short': { minPropagationSeconds: 8 } }, minPropagationSeconds: 3 }, { minPropagationSeconds: 8, rules: {} }),
  // a bad option is dropped, the rest of the rule's settings apply
  bad({ rules: { 'prestop-sleep-too-short': { severity: 'warning', minPropagationSeconds: 7.5 } } }, { rules: { 'prestop-sleep-too-short': 'warning' } }),
  bad({ rules: { 'prestop-sleep-too-short': { minPropagationSeconds: -1 } } }, { rules: {} }),
  bad({ rules: { 'prestop-sleep-too-short': { minPropagationSeconds: '8' } } }, { rules: {} }),
  bad({ rules: { 'prestop-sleep-too-short': { severity: 'loud', minPropagationSeconds: 8 } } }, { minPropagationSeconds: 8, rules: {} }),
  // an option of another rule, a setting that is not a rule option, ESLint's array form
  bad({ rules: { 'prestop-sleep-too-short': { minShutdownSeconds: 3 } } }, { rules: {} }),
  bad({ rules: { 'prestop-hook-missing': { preStopSleepSeconds: 3 } } }, { rules: {} }),
  bad({ rules: { 'prestop-sleep-too-short': ['warning', { minPropagationSeconds: 8 }] } }, { rules: {} }),
  // several keys: the good ones apply
  bad({ preStopSleepSeconds: 7.5, shutdownSeconds: 30, kubernetesVersion: 'latest' }, { shutdownSeconds: 30 }, 2),
);

for (const c of CASES) {
  test(`settings: ${JSON.stringify(c.section)} is ${c.problems === 0 ? 'accepted' : 'rejected'} alike by the editor and the file`, () => {
    const { editor, file } = bothPaths(c.section);
    assert.equal(editor.problems.length, c.problems, `editor: ${editor.problems.join(' | ')}`);
    assert.equal(file.problems.length, c.problems, `file: ${file.problems.join(' | ')}`);
    assert.deepEqual(editor.layer, c.layer);
    assert.deepEqual(file.layer, c.layer);
    for (const p of file.problems) assert.ok(p.startsWith('team/.kube-graceful.yaml: '), p);
    for (const p of editor.problems) assert.match(p, /kubeGraceful\./);
  });
}

test('settings: problems name the key, in the file with its path under rules', () => {
  const { editor, file } = bothPaths({ preStopSleepSeconds: 7.5, rules: { 'prestop-sleep-too-short': { minPropagationSeconds: 0.5 } } });
  assert.ok(editor.problems.some((p) => p.includes('kubeGraceful.preStopSleepSeconds')));
  assert.ok(editor.problems.some((p) => p.includes('kubeGraceful.rules.prestop-sleep-too-short.minPropagationSeconds')));
  assert.ok(file.problems.some((p) => p.includes('"preStopSleepSeconds"')));
  assert.ok(file.problems.some((p) => p.includes('"rules.prestop-sleep-too-short.minPropagationSeconds"')));
  const text = 'preStopSleepSeconds: 7.5\n';
  const [p] = parseConfig(text).problems;
  assert.equal(text.slice(p?.span.start, p?.span.end), '7.5', 'the file problem points at the value');
});

test('settings: where the two places differ on purpose', () => {
  // The editor section carries the extension's own keys and `enable`; the file knows neither.
  const e = readEditorSettings({ enable: false, trace: { server: 'verbose' }, somethingElse: 1 });
  assert.equal(e.enable, false);
  assert.deepEqual(e.problems, []);
  assert.equal(readEditorSettings({ enable: 'no' }).problems.length, 1);
  const f = parseConfig('enable: false\nsomethingElse: 1\n');
  assert.equal(f.problems.length, 2);
  assert.ok(f.problems.every((p) => p.message.includes('unknown key')));
  // An unquoted `1.30` in YAML is read by its text; a JSON number has lost its digits and is refused.
  assert.deepEqual(parseConfig('kubernetesVersion: 1.30\n').settings, { kubernetesVersion: '1.30' });
  assert.equal(readEditorSettings({ kubernetesVersion: 1.3 }).problems.length, 1);
});

test('settings: the schema covers the analysis settings, with their defaults, and names registered rules', () => {
  const fileKeys = fileSettings().map((s) => s.key);
  assert.deepEqual([...fileKeys].sort(), Object.keys(DEFAULT_SETTINGS).sort());
  for (const s of fileSettings()) assert.deepEqual(s.default, (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[s.key], s.key);
  for (const s of SETTINGS_SCHEMA) if (s.rule !== undefined) assert.ok(RULES_BY_ID.has(s.rule), `${s.key} belongs to ${s.rule}`);
  // The defaults pass the validators.
  const defaults = (specs: readonly { key: string; default: unknown }[]): Section => Object.fromEntries(specs.map((s) => [s.key, s.default]));
  assert.deepEqual(readEditorSettings(defaults(SETTINGS_SCHEMA.filter((s) => s.place !== 'client'))).problems, []);
  assert.deepEqual(parseConfig(fileText(defaults(fileSettings()))).problems, []);
});

test('settings: package.json configuration, yamlValidation and the JSON Schema are generated and current (run `npm run manifest`)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: Record<string, unknown> };
  assert.deepEqual(manifest.contributes['configuration'], editorConfiguration());
  assert.deepEqual(manifest.contributes['yamlValidation'], yamlValidation());
  const schemaText = fs.readFileSync(path.join(ROOT, ...CONFIG_SCHEMA_PATH.split('/')), 'utf8');
  assert.equal(schemaText, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  // Both packages carry the schema the manifest points at.
  assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!server\/schemas\/\*\.json$/m);
  assert.match(fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8'), /^!\/server\/schemas\/$/m);
});

/** The part of Ajv (a JSON Schema validator some development tools bring along) this test uses. */
interface AjvLike {
  compile(schema: object): (data: unknown) => boolean;
}

function loadAjv(): AjvLike | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('ajv') as { default: new (opts: object) => AjvLike };
    return new mod.default({ strict: false, allErrors: true });
  } catch {
    return undefined;
  }
}

test('settings: the JSON Schema and the manifest judge every case as the validators do', (t) => {
  const ajv = loadAjv();
  if (!ajv) {
    t.skip('ajv is not installed: the JSON Schemas are not checked against the cases');
    return;
  }
  const fileSchema = ajv.compile(configJsonSchema());
  const config = editorConfiguration() as { properties: Record<string, object> };
  const editorProps: Record<string, object> = {};
  for (const [k, v] of Object.entries(config.properties)) if (!k.includes('.', 'kubeGraceful.'.length)) editorProps[k.slice('kubeGraceful.'.length)] = v;
  const editorSchema = ajv.compile({ type: 'object', properties: editorProps });
  for (const c of CASES) {
    assert.equal(fileSchema(c.section), c.problems === 0, `JSON Schema on ${JSON.stringify(c.section)}`);
    assert.equal(editorSchema(c.section), c.problems === 0, `package.json on ${JSON.stringify(c.section)}`);
  }
});

test('settings: the JSON Schema and the manifest state the integer bounds of the schema', () => {
  const schema = configJsonSchema() as { properties: Record<string, { type: unknown; minimum?: number }> };
  const config = editorConfiguration() as { properties: Record<string, { type: unknown; minimum?: number }> };
  for (const key of INTEGER_KEYS) {
    const min = key === 'preStopSleepSeconds' ? 1 : 0;
    assert.equal(schema.properties[key]?.type, 'integer', key);
    assert.equal(schema.properties[key]?.minimum, min, key);
    assert.equal(config.properties[`kubeGraceful.${key}`]?.type, 'integer', key);
    assert.equal(config.properties[`kubeGraceful.${key}`]?.minimum, min, key);
  }
});

// --- No setting makes a fix insert a sleep the API server would refuse -------------------------

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ghcr.io/example/web:1.0.0
        ports:
        - containerPort: 8080
`;

/** Every number a fix wrote into a sleep or a grace period. */
function insertedSeconds(before: string, after: string): number[] {
  const out: number[] = [];
  const added = after.split('\n').filter((l) => !before.split('\n').includes(l));
  for (const l of added) {
    for (const m of l.matchAll(/(?:seconds:|terminationGracePeriodSeconds:|"sleep",?|sleep)\s*"?(-?[0-9.eE+]+)/g)) out.push(Number(m[1]));
  }
  return out;
}

const SLEEP_VALUES: readonly unknown[] = [7.5, 0, -1, '10', true, 0.5, 1e20, 86401, 1, 3, 86400];

for (const version of ['1.34', '1.29']) {
  for (const value of SLEEP_VALUES) {
    test(`settings: preStopSleepSeconds ${JSON.stringify(value)} (Kubernetes ${version}) never makes the hook-missing fix insert a fractional or zero sleep`, () => {
      // minPropagationSeconds 1: a valid short sleep is then no finding of its own (a fix that adds one is not offered).
      const section = { kubernetesVersion: version, preStopSleepSeconds: value, minPropagationSeconds: 1 };
      const { editor, file } = bothPaths(section);
      for (const layer of [editor.layer, file.layer]) {
        const settings = mergeSettings(DEFAULT_SETTINGS, layer);
        const analysis = analyzeText(WEB, { settings });
        const finding = analysis.findings.find((f) => f.ruleId === 'prestop-hook-missing');
        assert.ok(finding);
        const fix = analysis.fixFor(finding);
        assert.ok(fix, 'a fix with the setting or its default');
        const fixed = applyEdits(WEB, fix.edits);
        const seconds = insertedSeconds(WEB, fixed);
        assert.ok(seconds.length >= 1, fixed);
        for (const s of seconds) assert.ok(Number.isInteger(s) && s >= 1, `inserted ${s}:\n${fixed}`);
        const expected = typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 86400 ? value : DEFAULT_SETTINGS.preStopSleepSeconds;
        assert.ok(seconds.includes(expected), `sleeps ${expected} s:\n${fixed}`);
        // The "set up graceful shutdown" refactoring inserts the same sleep.
        for (const r of refactoringsAt(analysis, WEB.indexOf('Deployment'), settings)) {
          for (const s of insertedSeconds(WEB, applyEdits(WEB, r.edits))) assert.ok(Number.isInteger(s) && s >= 1, `${r.title}: ${s}`);
        }
      }
    });
  }
}

for (const value of [7.5, 0.5, 8, 20, 1e20]) {
  test(`settings: minPropagationSeconds ${value} per rule never makes the short-sleep fix insert a fractional sleep`, () => {
    const text = WEB.replace('        ports:', '        lifecycle:\n          preStop:\n            sleep:\n              seconds: 2\n        ports:');
    const { editor, file } = bothPaths({ rules: { 'prestop-sleep-too-short': { minPropagationSeconds: value } } });
    for (const layer of [editor.layer, file.layer]) {
      const analysis = analyzeText(text, { settings: mergeSettings(DEFAULT_SETTINGS, layer) });
      const finding = analysis.findings.find((f) => f.ruleId === 'prestop-sleep-too-short');
      assert.ok(finding);
      const fix = analysis.fixFor(finding);
      assert.ok(fix);
      const seconds = insertedSeconds(text, applyEdits(text, fix.edits));
      assert.ok(seconds.length >= 1);
      for (const s of seconds) assert.ok(Number.isInteger(s) && s >= 1, `inserted ${s}`);
    }
  });
}

test('settings: a caller of the core passing a fractional or zero sleep directly gets no hook fix rather than a bad one', () => {
  for (const preStopSleepSeconds of [7.5, 0, -2]) {
    const settings = mergeSettings(DEFAULT_SETTINGS, { preStopSleepSeconds, minPropagationSeconds: 0 });
    const analysis = analyzeText(WEB, { settings });
    const finding = analysis.findings.find((f) => f.ruleId === 'prestop-hook-missing');
    assert.ok(finding);
    assert.equal(analysis.fixFor(finding), undefined, String(preStopSleepSeconds));
    assert.deepEqual(refactoringsAt(analysis, WEB.indexOf('Deployment'), settings).filter((r) => insertedSeconds(WEB, applyEdits(WEB, r.edits)).some((s) => !Number.isInteger(s) || s < 1)), []);
  }
});
