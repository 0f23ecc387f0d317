/** The termination timeline model: hook lengths, SIGTERM, the app's time, SIGKILL, sidecar order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { longestTimedLane, podTimeline, type Lane, type PodTimeline } from '../../../server/out/core';
import { lint, yaml } from './helpers';

function timelineOf(grace: string, containers: string, initContainers = ''): PodTimeline {
  const text = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      ${grace}
      containers: ${containers}
      ${initContainers}
  `;
  const pod = lint(text).pods[0];
  assert.ok(pod, 'one pod');
  return podTimeline(pod);
}

function one(grace: string, hook: string): Lane {
  const hookPart = hook === '' ? '' : `, lifecycle: {preStop: ${hook}}`;
  const t = timelineOf(grace, `[{name: app, image: app${hookPart}}]`);
  const lane = t.main[0];
  assert.ok(lane);
  return lane;
}

interface Case {
  readonly name: string;
  readonly grace: string;
  readonly hook: string;
  readonly kind: Lane['hook']['kind'];
  readonly sigterm: { seconds: number; exact: boolean } | undefined;
  readonly budget: { seconds: number; exact: boolean } | undefined;
  readonly sigkill: number;
  readonly extension: Lane['extension'];
}

const cases: readonly Case[] = [
  {
    name: 'exact hook: SIGTERM when it ends, the rest of the grace period to exit',
    grace: 'terminationGracePeriodSeconds: 45',
    hook: '{sleep: {seconds: 15}}',
    kind: 'timed',
    sigterm: { seconds: 15, exact: true },
    budget: { seconds: 30, exact: true },
    sigkill: 45,
    extension: 'none',
  },
  {
    name: 'omitted grace period is 30',
    grace: '',
    hook: '{exec: {command: [sleep, "10"]}}',
    kind: 'timed',
    sigterm: { seconds: 10, exact: true },
    budget: { seconds: 20, exact: true },
    sigkill: 30,
    extension: 'none',
  },
  {
    name: 'at-least hook: SIGTERM no earlier, at most the rest',
    grace: 'terminationGracePeriodSeconds: 40',
    hook: '{exec: {command: [sh, -c, "sleep 10 && /bin/drain"]}}',
    kind: 'timed',
    sigterm: { seconds: 10, exact: false },
    budget: { seconds: 30, exact: false },
    sigkill: 40,
    extension: 'possible',
  },
  {
    name: 'unknown hook: SIGTERM when it returns, SIGKILL at the grace period or 2 s later',
    grace: 'terminationGracePeriodSeconds: 40',
    hook: '{httpGet: {path: /drain, port: 8080}}',
    kind: 'unknown',
    sigterm: undefined,
    budget: undefined,
    sigkill: 40,
    extension: 'possible',
  },
  {
    name: 'hook overruns the grace period: SIGTERM at the grace period, SIGKILL 2 s later',
    grace: 'terminationGracePeriodSeconds: 10',
    hook: '{exec: {command: [sleep, "25"]}}',
    kind: 'timed',
    sigterm: { seconds: 10, exact: true },
    budget: { seconds: 2, exact: true },
    sigkill: 12,
    extension: 'applied',
  },
  {
    name: 'hook equal to the grace period is cut short too',
    grace: 'terminationGracePeriodSeconds: 20',
    hook: '{sleep: {seconds: 20}}',
    kind: 'timed',
    sigterm: { seconds: 20, exact: true },
    budget: { seconds: 2, exact: true },
    sigkill: 22,
    extension: 'applied',
  },
  {
    name: 'less than 2 s left after the hook: the kubelet gives 2 s',
    grace: 'terminationGracePeriodSeconds: 20',
    hook: '{sleep: {seconds: 19}}',
    kind: 'timed',
    sigterm: { seconds: 19, exact: true },
    budget: { seconds: 2, exact: true },
    sigkill: 21,
    extension: 'applied',
  },
  {
    name: 'grace period 0: the hook does not run, killed at once',
    grace: 'terminationGracePeriodSeconds: 0',
    hook: '{sleep: {seconds: 5}}',
    kind: 'skipped',
    sigterm: { seconds: 0, exact: true },
    budget: { seconds: 0, exact: true },
    sigkill: 0,
    extension: 'none',
  },
  {
    name: 'negative grace period is treated as 1: a 5 s hook is cut at 1 s',
    grace: 'terminationGracePeriodSeconds: -3',
    hook: '{sleep: {seconds: 5}}',
    kind: 'timed',
    sigterm: { seconds: 1, exact: true },
    budget: { seconds: 2, exact: true },
    sigkill: 3,
    extension: 'applied',
  },
  {
    name: 'no hook: SIGTERM at once',
    grace: 'terminationGracePeriodSeconds: 25',
    hook: '',
    kind: 'none',
    sigterm: { seconds: 0, exact: true },
    budget: { seconds: 25, exact: true },
    sigkill: 25,
    extension: 'none',
  },
  {
    name: 'tcpSocket is not run: no delay',
    grace: 'terminationGracePeriodSeconds: 25',
    hook: '{tcpSocket: {port: 80}}',
    kind: 'ignored',
    sigterm: { seconds: 0, exact: true },
    budget: { seconds: 25, exact: true },
    sigkill: 25,
    extension: 'none',
  },
];

for (const c of cases) {
  test(`timeline: ${c.name}`, () => {
    const lane = one(c.grace, c.hook);
    assert.equal(lane.hook.kind, c.kind);
    assert.deepEqual(lane.sigterm, c.sigterm);
    assert.deepEqual(lane.budget, c.budget);
    assert.equal(lane.sigkill, c.sigkill);
    assert.equal(lane.extension, c.extension);
  });
}

test('timeline: grace period states and whether hooks run', () => {
  const states: [string, PodTimeline['graceState'], number, boolean][] = [
    ['terminationGracePeriodSeconds: 45', 'set', 45, true],
    ['', 'default', 30, true],
    ['terminationGracePeriodSeconds: 0', 'zero', 0, false],
    ['terminationGracePeriodSeconds: -1', 'negative', 1, true],
    ['terminationGracePeriodSeconds: soon', 'invalid', 30, true],
  ];
  for (const [grace, state, seconds, hooksRun] of states) {
    const t = timelineOf(grace, '[{name: app, image: app}]');
    assert.equal(t.graceState, state, grace);
    assert.equal(t.grace, seconds, grace);
    assert.equal(t.hooksRun, hooksRun, grace);
  }
});

test('timeline: native sidecars get SIGTERM after the main containers, in reverse order', () => {
  const t = timelineOf(
    'terminationGracePeriodSeconds: 60',
    '[{name: app, image: app, lifecycle: {preStop: {sleep: {seconds: 15}}}}]',
    yaml`
      initContainers:
        - {name: first, image: f, restartPolicy: Always}
        - {name: plain-init, image: i}
        - {name: second, image: s, restartPolicy: Always, lifecycle: {preStop: {sleep: {seconds: 25}}}}
    `.replace(/\n/g, '\n  '),
  );
  assert.deepEqual(
    t.sidecars.map((l) => [l.container.name, l.turn]),
    [
      ['second', 1],
      ['first', 2],
    ],
    'the last sidecar listed goes first; a regular init container is no lane',
  );
  const [second, first] = t.sidecars;
  assert.ok(second && first);
  // Its own hook (25 s) ends after the main container's SIGTERM (15 s).
  assert.deepEqual(second.sigterm, { seconds: 25, exact: false });
  assert.deepEqual(second.budget, { seconds: 35, exact: false });
  // No earlier than the sidecar stopped before it.
  assert.deepEqual(first.sigterm, { seconds: 25, exact: false });
  assert.equal(first.hook.kind, 'none');
  assert.equal(first.sigkill, 60);
  assert.equal(first.extension, 'possible');
});

test('timeline: a sidecar whose turn can only come at the grace period gets the 2 s floor', () => {
  const t = timelineOf(
    'terminationGracePeriodSeconds: 10',
    '[{name: app, image: app, lifecycle: {preStop: {sleep: {seconds: 30}}}}]',
    '\n  initContainers: [{name: proxy, image: p, restartPolicy: Always}]',
  );
  const proxy = t.sidecars[0];
  assert.ok(proxy);
  assert.deepEqual(proxy.sigterm, { seconds: 10, exact: false });
  assert.equal(proxy.sigkill, 12);
  assert.equal(proxy.extension, 'applied');
  assert.equal(t.end, 12);
});

test('timeline: the longest known hook among main containers and sidecars', () => {
  const t = timelineOf(
    'terminationGracePeriodSeconds: 90',
    '[{name: a, image: a, lifecycle: {preStop: {sleep: {seconds: 5}}}}, {name: b, image: b, lifecycle: {preStop: {httpGet: {port: 1}}}}]',
    '\n  initContainers: [{name: s, image: s, restartPolicy: Always, lifecycle: {preStop: {exec: {command: [sleep, "40"]}}}}]',
  );
  assert.equal(longestTimedLane(t)?.container.name, 's');
  const none = timelineOf('', '[{name: a, image: a, lifecycle: {preStop: {httpGet: {port: 1}}}}]');
  assert.equal(longestTimedLane(none), undefined, 'no lane with a known hook');
});

/** An ingress-nginx controller whose worker-shutdown-timeout is written in the ConfigMap it names. */
const NGINX_CONFIG = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: nginx-config, namespace: edge}
  data:
    worker-shutdown-timeout: "240s"
`;
const NGINX_CONTROLLER = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: controller, namespace: edge}
  spec:
    template:
      spec:
        terminationGracePeriodSeconds: 300
        containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.15.1
          args: [/nginx-ingress-controller, --configmap=edge/nginx-config]
          lifecycle: {preStop: {sleep: {seconds: 10}}}
`;

test("the app's timeout on the lane comes from the ConfigMaps the timeline is given, the same as the rules read", () => {
  const a = lint(NGINX_CONTROLLER, { otherFiles: [NGINX_CONFIG] });
  const pod = a.pods[0];
  assert.ok(pod);
  const lane = podTimeline(pod, undefined, a.configMapLookup).main[0];
  assert.equal(lane?.app?.seconds, 240);
  assert.equal(lane?.app?.source, 'explicit');
  assert.match(lane?.app?.evidence ?? '', /worker-shutdown-timeout: 240s in ConfigMap edge\/nginx-config/);
  // Without ConfigMaps only the container is read: the ConfigMap's keys are unknown.
  assert.equal(podTimeline(pod).main[0]?.app, undefined);
});
