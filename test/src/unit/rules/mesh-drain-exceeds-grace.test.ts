import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration } from '../../../../server/out/core/model/mesh';
import { findingsOf, ruleTests, yaml } from '../helpers';

/** A Deployment whose pod template carries `meta` (lines under template.metadata) and `grace`. */
function deploy(meta: string, grace = ''): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels:
            app: api
    ${meta}
        spec:${grace}
          containers:
          - name: api
            image: example/api:2
  `;
}

const istio = (config: string): string => `      annotations:\n        proxy.istio.io/config: ${config}`;
const g = (n: number): string => `\n      terminationGracePeriodSeconds: ${n}`;

ruleTests('mesh-drain-exceeds-grace', {
  fire: [
    {
      name: 'Istio terminationDrainDuration (YAML text) longer than the grace period',
      yaml: deploy(istio('"terminationDrainDuration: 45s"'), g(30)),
      lines: [13],
      severity: 'warning',
      // 45 + minShutdownSeconds 5
      fixed: deploy(istio('"terminationDrainDuration: 45s"'), g(50)),
    },
    {
      name: 'JSON config and an omitted grace period (30); the field goes above containers',
      yaml: deploy(istio(`'{"terminationDrainDuration": "1m"}'`)),
      fixed: deploy(istio(`'{"terminationDrainDuration": "1m"}'`)).replace('      containers:', '      terminationGracePeriodSeconds: 65\n      containers:'),
    },
    {
      name: 'a block scalar config with several keys',
      yaml: deploy(`      annotations:\n        proxy.istio.io/config: |\n          holdApplicationUntilProxyStarts: true\n          terminationDrainDuration: 40s`, g(20)),
      fixed: deploy(`      annotations:\n        proxy.istio.io/config: |\n          holdApplicationUntilProxyStarts: true\n          terminationDrainDuration: 40s`, g(45)),
    },
    {
      name: 'Istio injected by label with a grace period below the 5 s default drain: reported on the grace period',
      yaml: deploy('        sidecar.istio.io/inject: "true"', g(3)),
      lines: [14],
      fixed: deploy('        sidecar.istio.io/inject: "true"', g(20)),
    },
    {
      name: 'Linkerd shutdown-grace-period longer than the grace period; CRLF',
      yaml: deploy('      annotations:\n        config.linkerd.io/shutdown-grace-period: "120s"', g(60)).replace(/\n/g, '\r\n'),
      fixed: deploy('      annotations:\n        config.linkerd.io/shutdown-grace-period: "120s"', g(125)).replace(/\n/g, '\r\n'),
    },
    {
      name: 'a bare Pod',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: {config.linkerd.io/shutdown-grace-period: 45s}
        spec:
          terminationGracePeriodSeconds: 40
          containers:
          - {name: app, image: example/app:1}
      `,
      lines: [5],
      fixed: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: {config.linkerd.io/shutdown-grace-period: 45s}
        spec:
          terminationGracePeriodSeconds: 50
          containers:
          - {name: app, image: example/app:1}
      `,
    },
  ],
  dontFire: [
    { name: 'the drain fits', yaml: deploy(istio('"terminationDrainDuration: 20s"'), g(30)) },
    { name: 'equal is accepted', yaml: deploy(istio('"terminationDrainDuration: 30s"'), g(30)) },
    { name: 'injected with the default 5 s drain and the default grace period', yaml: deploy('      annotations:\n        sidecar.istio.io/inject: "true"') },
    { name: 'injected and the config does not set the drain', yaml: deploy(istio('"holdApplicationUntilProxyStarts: true"'), g(10)) },
    { name: 'Linkerd without the annotation (its 120 s default is a ceiling, not a plan)', yaml: deploy('      annotations:\n        linkerd.io/inject: enabled', g(30)) },
    { name: 'an unparsable duration', yaml: deploy('      annotations:\n        config.linkerd.io/shutdown-grace-period: "two minutes"', g(30)) },
    { name: 'grace period 0 is for grace-period-zero', yaml: deploy(istio('"terminationDrainDuration: 45s"'), g(0)) },
    { name: 'an annotation on the Deployment, not on the pod template, does not configure the proxy', yaml: deploy('', g(30)).replace('  name: api\nspec:', '  name: api\n  annotations:\n    proxy.istio.io/config: "terminationDrainDuration: 45s"\nspec:') },
    { name: 'the ignore annotation', yaml: deploy(istio('"terminationDrainDuration: 45s"'), g(30)).replace('  name: api\nspec:', '  name: api\n  annotations:\n    ignore-check.kube-graceful.io/mesh-drain-exceeds-grace: "drain is best effort"\nspec:') },
  ],
});

test('Go durations', () => {
  assert.equal(parseGoDuration('30s'), 30);
  assert.equal(parseGoDuration('1m30s'), 90);
  assert.equal(parseGoDuration('1.5h'), 5400);
  assert.equal(parseGoDuration('500ms'), 0.5);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('30'), undefined);
  assert.equal(parseGoDuration('soon'), undefined);
});

test('the message says the grace period wins', () => {
  const [f] = findingsOf(deploy(istio('"terminationDrainDuration: 45s"'), g(30)), 'mesh-drain-exceeds-grace');
  assert.match(f?.message ?? '', /45 s/);
  assert.match(f?.message ?? '', /grace period wins/);
  assert.equal(f?.related.length, 1);
});
