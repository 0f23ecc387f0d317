/** The timeline picture: one lane per container, the marks of each lane, the app's drain, escaping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXml, inClusterRouter, podTimeline, timelineSvg, type RouterMark } from '../../../server/out/core';
import { lint } from './helpers';

function picture(text: string, routers: readonly RouterMark[] = [inClusterRouter(5)], shutdownSeconds = 20): string {
  const pod = lint(text).pods[0];
  assert.ok(pod, 'one pod');
  return timelineSvg(podTimeline(pod), { shutdownSeconds, routers });
}

/** The texts of one lane group, in document order. */
function laneTexts(svg: string, n: number): string[] {
  const lanes = [...svg.matchAll(/<g class="lane"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => m[1] ?? '');
  const lane = lanes[n];
  assert.ok(lane !== undefined, `lane ${n}`);
  return [...lane.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

function pod(spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
}

test('a lane per main container and per native sidecar, sidecars last', () => {
  const svg = picture(
    pod(`  terminationGracePeriodSeconds: 30
  initContainers:
    - {name: logs, image: logs, restartPolicy: Always}
    - {name: mesh, image: mesh, restartPolicy: Always}
  containers:
    - {name: a, image: a}
    - {name: b, image: b}
    - {name: c, image: c}
`),
  );
  const roles = [...svg.matchAll(/<g class="lane" data-role="(\w+)">/g)].map((m) => m[1]);
  assert.deepEqual(roles, ['main', 'main', 'main', 'sidecar', 'sidecar']);
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => laneTexts(svg, i)[0]),
    ['a', 'b', 'c', 'mesh', 'logs'],
    'sidecars in the order they get SIGTERM',
  );
  assert.match(laneTexts(svg, 3)[1] ?? '', /native sidecar, stops #1/);
});

test("a hook, SIGTERM at its end, the app's own drain cut off by SIGKILL at the grace period", () => {
  const svg = picture(
    pod(`  terminationGracePeriodSeconds: 40
  containers:
    - name: web
      image: web
      args: ["gunicorn", "--graceful-timeout", "45", "app:app"]
      lifecycle: {preStop: {sleep: {seconds: 10}}}
`),
  );
  const texts = laneTexts(svg, 0);
  assert.ok(texts.includes('preStop sleep action 10 s'), texts.join(' | '));
  assert.ok(texts.includes('SIGTERM 10 s'));
  assert.ok(texts.includes('drain: gunicorn --graceful-timeout 45, cut off by SIGKILL'));
  assert.ok(texts.includes('SIGKILL 40 s'));
  assert.match(svg, /fill="url\(#cut\)"/, 'the cut-off part is drawn');
  assert.match(svg, /grace period 40 s<\/text>/);
});

test('a drain that fits has no cut-off part; the setting is labelled as an assumption', () => {
  const svg = picture(
    pod(`  terminationGracePeriodSeconds: 60
  containers:
    - name: web
      image: web
      lifecycle: {preStop: {exec: {command: ["sleep", "5"]}}}
`),
  );
  const texts = laneTexts(svg, 0);
  assert.ok(texts.includes('drain: shutdownSeconds setting, 20 s (assumed)'), texts.join(' | '));
  assert.ok(texts.includes('SIGTERM 5 s'));
  assert.doesNotMatch(svg, /fill="url\(#cut\)"/);
});

test('unknown hooks, unbounded drains, grace period 0', () => {
  const unknown = laneTexts(
    picture(pod(`  containers:\n    - {name: web, image: web, lifecycle: {preStop: {httpGet: {path: /drain, port: 80}}}}\n`)),
    0,
  );
  assert.ok(unknown.includes('preStop httpGet: duration unknown, SIGTERM when it returns'), unknown.join(' | '));
  assert.ok(!unknown.some((t) => t.startsWith('SIGTERM')), 'no SIGTERM mark at a time nobody knows');
  const uvicorn = laneTexts(picture(pod(`  containers:\n    - {name: api, image: api, command: [uvicorn, "main:app"]}\n`)), 0);
  assert.ok(uvicorn.some((t) => /^drain: uvicorn, no --timeout-graceful-shutdown: waits without limit, cut off by SIGKILL$/.test(t)), uvicorn.join(' | '));
  const zero = picture(pod(`  terminationGracePeriodSeconds: 0\n  containers:\n    - {name: web, image: web, lifecycle: {preStop: {sleep: {seconds: 5}}}}\n`));
  assert.match(zero, /grace period 0 s: hooks do not run/);
  const texts = laneTexts(zero, 0);
  assert.ok(texts.includes('preStop sleep action not run (grace period 0)'), texts.join(' | '));
  assert.ok(texts.includes('SIGKILL 0 s'));
});

test('routers: a row each, with their time and source; none when the list is empty', () => {
  const spec = pod(`  containers:\n    - {name: web, image: web}\n`);
  const two = picture(spec, [inClusterRouter(5), { label: 'cloud load balancer', seconds: 120, source: 'test' }]);
  assert.equal(two.match(/<g class="router">/g)?.length, 2);
  assert.match(two, /cloud load balancer: new requests for 120 s \(test\)/);
  assert.match(two, />120 s</, 'the axis reaches the router');
  assert.equal(picture(spec, []).match(/<g class="router">/g), null);
});

test('every text is escaped and the document is ASCII', () => {
  assert.equal(escapeXml(`<a href="x">&'\u00e9\u0001\u{1F600}`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&#xe9; &#x1f600;');
  const svg = picture(
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x</text><script>alert(1)</script>\u00e9"\nspec:\n  containers:\n    - {name: "<b>&\u00fc", image: web}\n`,
  );
  assert.doesNotMatch(svg, /<script|<b>/);
  assert.match(svg, /&lt;\/text&gt;&lt;script&gt;/);
  assert.match(svg, /&lt;b&gt;&amp;&#xfc;/);
  assert.match(svg, /^[\x20-\x7e\n]*$/, 'ASCII only');
});
