/**
 * Kustomize layouts through the CLI: each overlay judged as it builds its workloads, findings
 * placed in the file that holds the line (the base, a patch), a base reported once for what its
 * overlays leave broken and not at all for what they fix, and --fix editing that layer only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { yaml } from './helpers';

const BIN = path.resolve(__dirname, '..', '..', '..', 'server', 'bin', 'kube-graceful.js');

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; line: number; message: string }[];
}

function layout(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-kustomize-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function run(args: string[], cwd: string): { code: number; out: JsonResult[]; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '-f', 'json', ...args], { cwd, input: '', encoding: 'utf8', timeout: 60_000 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return { code: r.status ?? -1, out: JSON.parse(r.stdout) as JsonResult[], stderr: r.stderr };
}

/** file → [ruleId, line] of every rule finding, files with none left out. */
function findings(out: JsonResult[]): Record<string, [string | null, number][]> {
  const r: Record<string, [string | null, number][]> = {};
  for (const f of out) {
    const list = f.messages.filter((m) => m.ruleId !== null).map((m): [string | null, number] => [m.ruleId, m.line]);
    if (list.length > 0) r[f.filePath] = list;
  }
  return r;
}

const baseDeployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
        - name: web
          image: example/web:1
          ports:
          - containerPort: 8080
`;

const baseService = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector: {app: web}
    ports:
    - port: 80
      targetPort: 8080
`;

const base = {
  'base/deployment.yaml': baseDeployment,
  'base/service.yaml': baseService,
  'base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n',
};

const addHook = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - name: web
          lifecycle:
            preStop:
              sleep: {seconds: 10}
`;

test('a hook every overlay adds in a patch is not reported on the base', () => {
  const dir = layout({
    ...base,
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: hook.yaml\n',
    'overlays/prod/hook.yaml': addHook,
    'overlays/staging/kustomization.yaml': 'namePrefix: staging-\nresources:\n- ../../base\npatches:\n- path: hook.yaml\n',
    'overlays/staging/hook.yaml': addHook,
  });
  const r = run(['.'], dir);
  assert.deepEqual(findings(r.out), {});
  // Read alone, the base is still judged as written.
  assert.deepEqual(findings(run(['base'], dir).out), { 'base/deployment.yaml': [['prestop-hook-missing', 13]] });
});

test('a hook one overlay lacks is reported once on the base, naming that overlay; --fix inserts it in the base', () => {
  const dir = layout({
    ...base,
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: hook.yaml\n',
    'overlays/prod/hook.yaml': addHook,
    'overlays/dev/kustomization.yaml': 'namespace: dev\nnamePrefix: dev-\nresources:\n- ../../base\n',
  });
  const r = run(['.'], dir);
  assert.deepEqual(findings(r.out), { 'base/deployment.yaml': [['prestop-hook-missing', 13]] });
  const msg = r.out.find((f) => f.filePath === 'base/deployment.yaml')?.messages[0]?.message ?? '';
  assert.match(msg, /as built by overlays\/dev\)$/);
  assert.doesNotMatch(msg, /overlays\/prod/);
});

test('a JSON 6902 patch that lowers the grace period below the base hook is reported on the patch line', () => {
  const withHook = baseDeployment.replace('        - containerPort: 8080\n', '        - containerPort: 8080\n        lifecycle:\n          preStop:\n            sleep: {seconds: 20}\n');
  assert.notEqual(withHook, baseDeployment);
  const dir = layout({
    ...base,
    'base/deployment.yaml': withHook.replace('    spec:\n      containers:', '    spec:\n      terminationGracePeriodSeconds: 60\n      containers:'),
    'overlays/prod/kustomization.yaml': yaml`
      resources:
      - ../../base
      patches:
      - target: {kind: Deployment, name: web}
        path: grace.yaml
    `,
    'overlays/prod/grace.yaml': '- op: replace\n  path: /spec/template/spec/terminationGracePeriodSeconds\n  value: 5\n',
  });
  const r = run(['overlays/prod'], dir);
  assert.deepEqual(findings(r.out), { 'overlays/prod/grace.yaml': [['grace-period-too-short', 3]] });
  assert.equal(r.code, 1);

  // --fix raises the number in the patch, not in the base; the overlay is then clean.
  const baseText = fs.readFileSync(path.join(dir, 'base/deployment.yaml'), 'utf8');
  spawnSync(process.execPath, [BIN, '--fix', 'overlays/prod'], { cwd: dir, input: '', encoding: 'utf8', timeout: 60_000 });
  const patched = fs.readFileSync(path.join(dir, 'overlays/prod/grace.yaml'), 'utf8');
  const grace = Number(/value: (\d+)\n$/.exec(patched)?.[1]);
  assert.ok(grace >= 22, patched);
  assert.equal(patched.replace(/value: \d+/, 'value: 5'), '- op: replace\n  path: /spec/template/spec/terminationGracePeriodSeconds\n  value: 5\n');
  assert.equal(fs.readFileSync(path.join(dir, 'base/deployment.yaml'), 'utf8'), baseText);
  assert.deepEqual(findings(run(['overlays/prod'], dir).out), {});
});

test('--fix with overlays: the base gets the hook no overlay adds, and nothing where an overlay adds it', () => {
  const dir = layout({
    ...base,
    'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\n',
  });
  const before = fs.readFileSync(path.join(dir, 'base/deployment.yaml'), 'utf8');
  spawnSync(process.execPath, [BIN, '--fix', '.'], { cwd: dir, input: '', encoding: 'utf8', timeout: 60_000 });
  const after = fs.readFileSync(path.join(dir, 'base/deployment.yaml'), 'utf8');
  assert.notEqual(after, before);
  assert.match(after, /preStop:/);
  assert.deepEqual(findings(run(['.'], dir).out), {});

  const fixed = layout({
    ...base,
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: hook.yaml\n',
    'overlays/prod/hook.yaml': addHook,
  });
  spawnSync(process.execPath, [BIN, '--fix', '.'], { cwd: fixed, input: '', encoding: 'utf8', timeout: 60_000 });
  assert.equal(fs.readFileSync(path.join(fixed, 'base/deployment.yaml'), 'utf8'), before);
});

test('labels with includeSelectors and namePrefix keep the overlay Service selecting its pods', () => {
  const dir = layout({
    ...base,
    'overlays/prod/kustomization.yaml': yaml`
      namePrefix: prod-
      namespace: prod
      labels:
      - pairs: {team: shop}
        includeSelectors: true
      resources:
      - ../../base
    `,
  });
  const r = run(['.'], dir);
  assert.deepEqual(findings(r.out), { 'base/deployment.yaml': [['prestop-hook-missing', 13]] });
  assert.match(r.out.find((f) => f.filePath === 'base/deployment.yaml')?.messages[0]?.message ?? '', /\(as built by overlays\/prod\)$/);
});
