/**
 * The pre-commit hooks: their declaration, the npm package pre-commit builds them from, and the
 * entry run on a list of staged files as pre-commit runs it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { service, tooShort } from './cli-fixtures';
import { yaml } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  types?: string[];
  exclude?: string;
  require_serial?: boolean;
}

const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

/** Runs a hook's entry on files as pre-commit does: the entry's words, then the file names. */
function runHook(hook: Hook, files: string[], cwd: string): { code: number; stdout: string } {
  const [command, ...args] = hook.entry.split(/\s+/);
  const bin = pkg.bin[command ?? ''];
  assert.ok(bin, `entry ${hook.entry} is not a bin of package.json`);
  const r = spawnSync(process.execPath, [path.join(ROOT, bin), ...args, ...files], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout + r.stderr };
}

const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - name: web
          image: example/web:1
`;

test('.pre-commit-hooks.yaml: node hooks on YAML files, all staged files in one process, the configuration file left out', () => {
  assert.deepEqual(hooks.map((h) => h.id), ['kube-graceful', 'kube-graceful-fix']);
  for (const h of hooks) {
    assert.equal(h.language, 'node');
    assert.deepEqual(h.types, ['yaml']);
    assert.equal(h.require_serial, true);
    const exclude = new RegExp(h.exclude ?? '^$');
    assert.equal(exclude.test('.kube-graceful.yaml'), true);
    assert.equal(exclude.test('deploy/prod/.kube-graceful.yaml'), true);
    assert.equal(exclude.test('deploy/prod/web.yaml'), false);
  }
});

test('npm pack prints only the tarball name (what pre-commit installs) and the tarball carries the built CLI', () => {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--loglevel=warn'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(packed.status, 0, packed.stderr);
  assert.equal(packed.stdout.trim(), `${pkg.name}-${pkg.version}.tgz`);
  const listed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(listed.status, 0, listed.stderr);
  const files = new Set((JSON.parse(listed.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path));
  for (const bin of Object.values(pkg.bin)) assert.ok(files.has(bin.replace(/^\.\//, '')), bin);
  assert.ok(files.has('server/out/cli/main.js'));
});

test('hook entries on staged files: exit 1 on errors, 0 on warnings, Services of other staged files count, --fix writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-pre-commit-'));
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(path.join(dir, 'k8s', 'svc.yaml'), service);
  fs.writeFileSync(path.join(dir, 'k8s', 'web.yaml'), deployment);
  fs.writeFileSync(path.join(dir, 'k8s', 'api.yaml'), tooShort);
  const [check, fix] = hooks;
  assert.ok(check && fix);

  const withService = runHook(check, ['k8s/svc.yaml', 'k8s/web.yaml'], dir);
  assert.equal(withService.code, 0);
  assert.match(withService.stdout, /prestop-hook-missing/);
  // Alone, the Deployment declares no port and nothing selects it: not serving, nothing to say.
  const alone = runHook(check, ['k8s/web.yaml'], dir);
  assert.equal(alone.code, 0);
  assert.doesNotMatch(alone.stdout, /prestop-hook-missing/);
  assert.equal(runHook(check, ['k8s/api.yaml', 'k8s/web.yaml'], dir).code, 1);

  assert.equal(runHook(fix, ['k8s/api.yaml'], dir).code, 0);
  assert.match(fs.readFileSync(path.join(dir, 'k8s', 'api.yaml'), 'utf8'), /terminationGracePeriodSeconds: 30/);
  assert.equal(runHook(check, ['k8s/api.yaml'], dir).code, 0);
});
