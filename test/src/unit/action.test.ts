/**
 * The GitHub Action as a runner runs it: the command and environment of action.yml's check step,
 * with GITHUB_WORKSPACE, GITHUB_ACTION_PATH and GITHUB_OUTPUT set as GitHub sets them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { deployment, service, tooShort } from './cli-fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface ActionInput {
  description: string;
  default?: string;
}
interface ActionStep {
  id?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface ActionYml {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const check = action.runs.steps.find((s) => s.id === 'check');

/** Evaluates the only expressions the step's env uses: `${{ inputs.<name> }}`. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    const declared = action.inputs[name];
    assert.ok(declared, `action.yml uses an undeclared input: ${name}`);
    return inputs[name] ?? declared.default ?? '';
  });
}

function runStep(workspace: string, inputs: Record<string, string>): { code: number; stdout: string; stderr: string; outputs: string } {
  assert.ok(check?.run && check.env);
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-gh-')), 'output');
  fs.writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITHUB_ACTION_PATH: ROOT, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile };
  for (const [k, v] of Object.entries(check.env)) env[k] = expand(v, inputs);
  const r = spawnSync('bash', ['-e', '-c', check.run], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs: fs.readFileSync(outputFile, 'utf8') };
}


function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-ws-'));
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(path.join(dir, 'k8s', 'svc.yaml'), service);
  fs.writeFileSync(path.join(dir, 'k8s', 'web.yaml'), deployment);
  fs.writeFileSync(path.join(dir, 'k8s', 'api.yaml'), tooShort);
  fs.writeFileSync(path.join(dir, 'README.md'), '# not a manifest\n');
  return dir;
}

interface Sarif {
  runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
}

const annotationsOf = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::'));

test('action.yml: a composite action that builds the CLI in its own folder, then runs the entry with every input', () => {
  assert.equal(action.runs.using, 'composite');
  const build = action.runs.steps[0];
  assert.equal(build?.['working-directory'], '${{ github.action_path }}');
  assert.match(build?.run ?? '', /npm ci[^\n]*\n\s*npx tsc -b server/);
  assert.ok(check?.env);
  assert.deepEqual(Object.values(check.env).map((v) => /inputs\.([\w-]+)/.exec(v)?.[1]).sort(), Object.keys(action.inputs).sort());
  assert.equal(action.outputs['sarif-file']?.value, '${{ steps.check.outputs.sarif-file }}');
  assert.ok(fs.existsSync(path.join(ROOT, 'server', 'out', 'cli', 'action.js')));
});

test('action: defaults write SARIF, annotate every finding, and fail on errors', () => {
  const ws = workspace();
  const r = runStep(ws, { paths: 'k8s' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const sarifFile = path.join(ws, 'kube-graceful.sarif');
  assert.equal(r.outputs, `sarif-file=${sarifFile}\n`);
  const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as Sarif;
  const results = sarif.runs[0]?.results ?? [];
  assert.deepEqual(
    results.map((x) => [x.ruleId, x.level, x.locations[0]?.physicalLocation.artifactLocation.uri, x.locations[0]?.physicalLocation.region.startLine]),
    [
      ['grace-period-too-short', 'error', 'k8s/api.yaml', 5],
      ['prestop-hook-missing', 'warning', 'k8s/web.yaml', 10],
    ],
  );
  const lines = annotationsOf(r.stdout);
  assert.equal(lines.length, 2, r.stdout);
  assert.match(lines[0] ?? '', /^::error file=k8s\/api\.yaml,line=5,col=34,endLine=5,endColumn=36,title=grace-period-too-short::/);
  assert.match(lines[1] ?? '', /^::warning file=k8s\/web\.yaml,line=10,col=\d+,endLine=10,endColumn=\d+,title=prestop-hook-missing::/);
});

test('action: fail-level decides the exit code; the Service in another file still counts', () => {
  const ws = workspace();
  const files = 'k8s/web.yaml\nk8s/svc.yaml';
  assert.equal(runStep(ws, { paths: files }).code, 0);
  const strict = runStep(ws, { paths: files, 'fail-level': 'warning' });
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /Service "web"/);
  const never = runStep(ws, { paths: 'k8s', 'fail-level': 'none' });
  assert.equal(never.code, 0);
  assert.equal(annotationsOf(never.stdout).length, 2);
});

test('action: annotations off, SARIF in a new folder; a configuration file and a Kubernetes version are passed on', () => {
  const ws = workspace();
  fs.writeFileSync(path.join(ws, 'kg.yaml'), 'rules:\n  prestop-hook-missing: "off"\n');
  const r = runStep(ws, { paths: 'k8s', annotations: 'false', 'sarif-file': 'reports/kg.sarif', config: 'kg.yaml', 'kubernetes-version': '1.28' });
  assert.equal(r.code, 1);
  assert.deepEqual(annotationsOf(r.stdout), []);
  const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'reports', 'kg.sarif'), 'utf8')) as Sarif;
  assert.deepEqual(sarif.runs[0]?.results.map((x) => x.ruleId), ['grace-period-too-short']);
  const noSarif = runStep(ws, { paths: 'k8s/web.yaml', 'sarif-file': '' });
  assert.equal(noSarif.code, 0);
  assert.equal(noSarif.outputs, '');
  assert.equal(fs.existsSync(path.join(ws, 'kube-graceful.sarif')), false);
});

test('action: bad inputs and missing paths exit 2 with an error annotation', () => {
  const ws = workspace();
  for (const inputs of [{ 'kubernetes-version': 'latest' }, { 'fail-level': 'often' }, { paths: 'nowhere' }, { annotations: 'yes' }]) {
    const r = runStep(ws, inputs);
    assert.equal(r.code, 2, JSON.stringify(inputs));
    assert.match(r.stdout, /^::error title=kube-graceful::\S/m, JSON.stringify(inputs));
  }
});
