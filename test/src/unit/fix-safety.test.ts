/**
 * Fixes never edit through an alias or an anchor another object reads, never lower a grace
 * period, never add a hook that cannot run, and fix-all keeps what is safe when some fixes
 * are not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { analyzeText, applyEdits, DEFAULT_SETTINGS, fixAll } from '../../../server/out/core';

const settings = DEFAULT_SETTINGS;

function values(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
}

const SHARED_CONTAINERS = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: &c
            - name: app
              image: example/app:1
              ports: [{containerPort: 8080}]
  - apiVersion: batch/v1
    kind: Job
    metadata: {name: once}
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 0
          restartPolicy: Never
          containers: *c
`;

test('a hook is not inserted into a containers list that another object reads through an alias', () => {
  const a = analyzeText(SHARED_CONTAINERS, { settings });
  const f = a.findings.find((x) => x.ruleId === 'prestop-hook-missing');
  assert.ok(f, 'the Deployment is reported');
  assert.equal(a.fixFor(f), undefined);
  assert.match(a.fixProblem(f) ?? '', /alias|place/);
  const all = fixAll(SHARED_CONTAINERS, { settings });
  assert.equal(all.output, SHARED_CONTAINERS);
  assert.ok(all.notFixed.some((n) => n.finding.ruleId === 'prestop-hook-missing'), 'fix-all says what it left');
});

test('an alias above the pod spec (template: *tpl) is seen: neither copy is edited through the anchor', () => {
  const single = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: a}
    spec:
      selector: {matchLabels: {app: a}}
      template: &tpl
        metadata: {labels: {app: a}}
        spec:
          containers:
            - name: app
              image: example/app:1
              ports: [{containerPort: 8080}]
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: b}
    spec:
      selector: {matchLabels: {app: a}}
      template: *tpl
`;
  const a = analyzeText(single, { settings });
  const hooks = a.findings.filter((x) => x.ruleId === 'prestop-hook-missing');
  assert.equal(hooks.length, 2, 'both Deployments are reported');
  for (const f of hooks) assert.equal(a.fixFor(f), undefined, f.subject);
});

test('a shared terminationGracePeriodSeconds anchor is not raised for one pod and silently for another', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          terminationGracePeriodSeconds: &g 10
          containers:
            - name: app
              image: example/app:1
              ports: [{containerPort: 8080}]
              lifecycle: {preStop: {sleep: {seconds: 9}}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: other}
    spec:
      selector: {matchLabels: {app: other}}
      template:
        metadata: {labels: {app: other}}
        spec:
          terminationGracePeriodSeconds: *g
          containers:
            - name: app
              image: example/app:1
`;
  const a = analyzeText(text, { settings });
  const f = a.findings.find((x) => x.ruleId === 'grace-period-too-short');
  assert.ok(f);
  assert.equal(a.fixFor(f), undefined);
});

test('a fix that would land beside an unshared anchor still works, and changes nothing else', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - &base
          name: app
          image: example/app:1
          ports: [{containerPort: 8080}]
`;
  const a = analyzeText(text, { settings });
  const f = a.findings.find((x) => x.ruleId === 'prestop-hook-missing');
  assert.ok(f);
  const fix = a.fixFor(f);
  assert.ok(fix, 'an anchor no alias reads does not block the fix');
  const out = applyEdits(text, fix.edits);
  const [before] = values(text) as [Record<string, unknown>];
  const [after] = values(out) as [Record<string, unknown>];
  assert.deepEqual({ ...after, spec: undefined }, { ...before, spec: undefined });
});

test('at grace 0 the hook fix raises the grace period with the hook', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: app
          image: example/app:1
          ports: [{containerPort: 8080}]
        - name: side
          image: example/side:1
          ports: [{containerPort: 9000}]
          lifecycle: {preStop: {sleep: {seconds: 5}}}
`;
  const a = analyzeText(text, { settings });
  const hook = a.findings.find((x) => x.ruleId === 'prestop-hook-missing');
  assert.ok(hook);
  const fix = a.fixFor(hook);
  assert.ok(fix);
  const out = applyEdits(text, fix.edits);
  assert.match(out, /terminationGracePeriodSeconds: (\d+)/);
  assert.ok(Number(/terminationGracePeriodSeconds: (\d+)/.exec(out)?.[1]) > 0);
  const all = fixAll(text, { settings });
  const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(all.output)?.[1]);
  assert.ok(grace >= 10, `grace after fix-all: ${grace}`);
});

test('fix-all applies what is safe and leaves only the fix it cannot apply, saying why', () => {
  const text = `${SHARED_CONTAINERS}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: plain}
spec:
  selector: {matchLabels: {app: plain}}
  template:
    metadata: {labels: {app: plain}}
    spec:
      containers:
        - name: app
          image: example/app:1
          ports: [{containerPort: 8080}]
`;
  const all = fixAll(text, { settings });
  assert.ok(all.applied >= 1);
  assert.match(all.output, /name: plain[\s\S]*preStop/);
  const left = all.notFixed.map((n) => n.finding.subject);
  assert.ok(left.some((s) => s.includes('Deployment//web')), left.join(', '));
  assert.ok(!left.some((s) => s.includes('plain')));
});

test('no fix lowers a grace period', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 120
      containers:
        - name: app
          image: example/app:1
          ports: [{containerPort: 8080}]
          lifecycle: {preStop: {sleep: {seconds: 2}}}
`;
  const low = { ...settings, shutdownSeconds: 1, minShutdownSeconds: 1 };
  const all = fixAll(text, { settings: low });
  assert.match(all.output, /terminationGracePeriodSeconds: 120/);
});
