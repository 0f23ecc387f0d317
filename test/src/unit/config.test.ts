import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../server/out/core';

test('config: all keys read, versions kept as written', () => {
  const c = parseConfig(
    'kubernetesVersion: 1.30\npreStopSleepSeconds: 15\nshutdownSeconds: 25\nminShutdownSeconds: 3\nminPropagationSeconds: 8\nminimalImages: ["my/static-*"]\nrules:\n  grace-period-zero: off\n',
  );
  assert.deepEqual(c.problems, []);
  assert.deepEqual(c.settings, {
    kubernetesVersion: '1.30',
    preStopSleepSeconds: 15,
    shutdownSeconds: 25,
    minShutdownSeconds: 3,
    minPropagationSeconds: 8,
    minimalImages: ['my/static-*'],
    rules: { 'grace-period-zero': 'off' },
  });
});

test('config: unknown keys, unknown rules and bad values are named', () => {
  const c = parseConfig('kubernetesVersion: latest\nfoo: 1\nrules:\n  no-such-rule: warning\n  grace-period-zero: loud\nshutdownSeconds: -3\n', 'team/.kube-graceful.yaml');
  const msgs = c.problems.map((p) => p.message);
  assert.equal(msgs.length, 5);
  assert.ok(msgs.every((m) => m.startsWith('team/.kube-graceful.yaml: ')));
  assert.ok(msgs.some((m) => m.includes('"kubernetesVersion"')));
  assert.ok(msgs.some((m) => m.includes('unknown key "foo"')));
  assert.ok(msgs.some((m) => m.includes('unknown rule "no-such-rule"')));
  assert.ok(msgs.some((m) => m.includes('"grace-period-zero" must be one of')));
  assert.ok(msgs.some((m) => m.includes('"shutdownSeconds"')));
});

test('config: broken YAML and empty files', () => {
  assert.equal(parseConfig('rules: [\n').problems.length, 1);
  assert.deepEqual(parseConfig(''), { settings: {}, problems: [] });
  assert.deepEqual(parseConfig('# nothing yet\n'), { settings: {}, problems: [] });
});
