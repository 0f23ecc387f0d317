import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hover, MarkupContent, Position } from 'vscode-languageserver-protocol/node';
import { positionAt, WEB, withServer, type TestClient } from './helpers';

const HOOKED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: api
          image: ghcr.io/example/api:2.0.0
          ports:
            - containerPort: 8080
          lifecycle:
            preStop:
              sleep:
                seconds: 15
        - name: proxy
          image: ghcr.io/example/proxy:1.0.0
          lifecycle:
            preStop:
              httpGet:
                path: /drain
                port: 9901
`;

/** The position of the n-th occurrence of `needle` (plus `delta` characters). */
function at(text: string, needle: string, delta = 1, n = 0): Position {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in the text`);
  return positionAt(text, i + delta);
}

async function hover(client: TestClient, uri: string, position: Position): Promise<string | undefined> {
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  if (!h) return undefined;
  return (h.contents as MarkupContent).value;
}

test('hover on terminationGracePeriodSeconds shows the pod timeline from its values', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:api.yaml';
    await client.open(uri, HOOKED);
    await client.waitForCurrent(uri);
    const md = await hover(client, uri, at(HOOKED, 'terminationGracePeriodSeconds', 3));
    assert.ok(md, 'a hover');
    assert.match(md, /Termination timeline/);
    assert.match(md, /45 s/, 'the grace period');
    assert.match(md, /sleep action, 15 s/, 'the hook and its duration');
    assert.match(md, /\| 15 s \|.*SIGTERM.*30 s/, 'SIGTERM at the end of the hook, 30 s left');
    assert.match(md, /httpGet \/drain on port 9901.*unknown/, 'the httpGet hook: duration unknown');
    assert.match(md, /\| 45 s \|.*SIGKILL/, 'SIGKILL at the grace period');
    assert.match(md, /2 s extension/);
    assert.match(md, /1\.30/, 'the Kubernetes versions of the sleep action');
    assert.match(md, /container "api" serves traffic: it declares port 8080/);
  });
});

test('hover on preStop, lifecycle and the kind value; nothing elsewhere', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:api.yaml';
    await client.open(uri, HOOKED);
    await client.waitForCurrent(uri);
    for (const [needle, n] of [['preStop', 0], ['lifecycle', 1], ['Deployment', 0]] as const) {
      const md = await hover(client, uri, at(HOOKED, needle, 2, n));
      assert.match(md ?? '', /Termination timeline/, `hover on ${needle}`);
    }
    assert.equal(await hover(client, uri, at(HOOKED, 'image', 2)), undefined, 'no hover on image');
  });
});

test('hover without a hook or grace period: SIGTERM at once, the default 30 s', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:web.yaml';
    await client.open(uri, WEB);
    await client.waitForCurrent(uri);
    const md = await hover(client, uri, at(WEB, 'kind: Deployment', 8));
    assert.ok(md);
    assert.match(md, /default \*\*30 s\*\*/);
    assert.match(md, /SIGTERM at once/);
    assert.match(md, /Service "web" sends it traffic/);
  });
});

test('hover: an overrunning hook, sidecars in SIGTERM order, versions from the feature table', { timeout: 20_000 }, async () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: late
spec:
  terminationGracePeriodSeconds: 20
  initContainers:
    - name: logs
      image: logs:1
      restartPolicy: Always
    - name: mesh
      image: mesh:1
      restartPolicy: Always
  containers:
    - name: app
      image: app:1
      lifecycle:
        preStop:
          sleep:
            seconds: 25
`;
  await withServer({ configuration: (item) => (item.section === 'kubeGraceful' ? { kubernetesVersion: '1.28' } : null) }, async (client) => {
    const uri = 'untitled:late.yaml';
    await client.open(uri, text);
    await client.waitForCurrent(uri);
    const md = await hover(client, uri, at(text, 'terminationGracePeriodSeconds', 3));
    assert.ok(md);
    assert.match(md, /\| 0 → 20 s \|.*cut short/, 'the hook is cut at the grace period');
    assert.match(md, /\| 20 s \|.*SIGTERM with a one-off \*\*2 s\*\* extension/);
    assert.match(md, /\| 22 s \|.*SIGKILL/, 'SIGKILL 2 s after the grace period');
    assert.ok(md.indexOf('Sidecar `mesh`') < md.indexOf('Sidecar `logs`'), 'the last sidecar listed is stopped first');
    assert.match(md, /Sidecar `mesh`.*first of the 2 sidecars/);
    assert.match(md, /Target 1\.28: not available\*\* \(the API server rejects it\)/, 'the sleep action needs 1.30');
    assert.match(md, /Native sidecars .*SidecarContainers.*\*\*Target 1\.28: not available\*\*/);
  });
});

/** The SVG behind the hover's data-URI image, decoded; undefined without one. */
function hoverPicture(md: string): string | undefined {
  const m = /!\[[^\]]*\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)(?:\|width=\d+)?\)/.exec(md);
  return m?.[1] !== undefined ? Buffer.from(m[1], 'base64').toString('utf8') : undefined;
}

const GUNICORN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      terminationGracePeriodSeconds: 40
      initContainers:
        - name: mesh
          image: mesh:1
          restartPolicy: Always
      containers:
        - name: shop
          image: ghcr.io/example/shop:1.0.0
          command: ["gunicorn", "--graceful-timeout", "60", "shop.wsgi"]
          lifecycle:
            preStop:
              sleep:
                seconds: 10
        - name: worker
          image: ghcr.io/example/worker:1.0.0
`;

test('hover: the timeline picture above the table, one lane per container, the app drain from its args', { timeout: 20_000 }, async () => {
  await withServer({ initializationOptions: { hoverImages: true } }, async (client) => {
    const uri = 'untitled:shop.yaml';
    await client.open(uri, GUNICORN);
    await client.waitForCurrent(uri);
    const md = await hover(client, uri, at(GUNICORN, 'terminationGracePeriodSeconds', 3));
    assert.ok(md, 'a hover');
    const svg = hoverPicture(md);
    assert.ok(svg, 'a data-URI SVG image in the hover');
    assert.ok(md.indexOf('data:image/svg+xml') < md.indexOf('| t | what happens |'), 'the picture comes before the table');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>$/);
    assert.equal(svg.match(/<g class="lane" data-role="main">/g)?.length, 2, 'a lane per main container');
    assert.equal(svg.match(/<g class="lane" data-role="sidecar">/g)?.length, 1, 'a lane for the native sidecar');
    assert.match(svg, /Deployment shop: termination timeline, grace period 40 s/);
    assert.match(svg, /preStop sleep action 10 s/);
    assert.match(svg, /SIGTERM 10 s/);
    assert.match(svg, /drain: gunicorn --graceful-timeout 60, cut off by SIGKILL/, "the app's own timeout, cut off at SIGKILL");
    assert.match(svg, /drain: shutdownSeconds setting, 20 s \(assumed\)/, 'the setting where no app timeout is read');
    assert.match(svg, /SIGKILL 40 s/);
    assert.match(svg, /in-cluster routing: new requests for 5 s/);
    assert.match(md, /\| 10 s \|.*SIGTERM/, 'the table is still there');
  });
  await withServer({}, async (client) => {
    const uri = 'untitled:shop.yaml';
    await client.open(uri, GUNICORN);
    await client.waitForCurrent(uri);
    const md = await hover(client, uri, at(GUNICORN, 'terminationGracePeriodSeconds', 3));
    assert.ok(md, 'a hover');
    assert.equal(hoverPicture(md), undefined, 'no picture for a client that did not ask for images');
    assert.match(md, /\| 10 s \|.*SIGTERM/);
  });
});

const FROM_CONFIGMAPS = `apiVersion: v1
kind: ConfigMap
metadata: {name: nginx-config, namespace: edge}
data:
  worker-shutdown-timeout: "240s"
---
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
---
apiVersion: v1
kind: ConfigMap
metadata: {name: billing-config}
data:
  application.yaml: |
    spring:
      lifecycle:
        timeout-per-shutdown-phase: 45s
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: billing}
spec:
  template:
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: app
          image: example/billing:3
          workingDir: /app
          lifecycle: {preStop: {sleep: {seconds: 10}}}
          volumeMounts: [{name: config, mountPath: /app/config}]
      volumes:
        - {name: config, configMap: {name: billing-config}}
`;

test("hover: the app's timeout written in a ConfigMap, in the table and the picture, as the rules read it", { timeout: 20_000 }, async () => {
  await withServer({ initializationOptions: { hoverImages: true } }, async (client) => {
    const uri = 'untitled:configmaps.yaml';
    await client.open(uri, FROM_CONFIGMAPS);
    await client.waitForCurrent(uri);
    const nginx = await hover(client, uri, at(FROM_CONFIGMAPS, 'terminationGracePeriodSeconds', 3, 0));
    assert.ok(nginx, 'a hover on the controller');
    assert.match(nginx, /\| 10 s \|.*the app drains for up to \*\*240 s\*\* \(ingress-nginx worker-shutdown-timeout: 240s in ConfigMap edge\/nginx-config\)/);
    assert.match(hoverPicture(nginx) ?? '', /drain: ingress-nginx worker-shutdown-timeout: 240s in ConfigMap edge\/nginx-config/);
    assert.doesNotMatch(hoverPicture(nginx) ?? '', /shutdownSeconds setting/, 'not the assumed setting');
    const spring = await hover(client, uri, at(FROM_CONFIGMAPS, 'terminationGracePeriodSeconds', 3, 1));
    assert.ok(spring, 'a hover on the Spring Boot service');
    assert.match(spring, /the app drains for up to \*\*45 s\*\* \(Spring Boot spring\.lifecycle\.timeout-per-shutdown-phase: 45s in application\.yaml of ConfigMap billing-config.*\), but SIGKILL cuts it off at 30 s/);
    assert.match(hoverPicture(spring) ?? '', /drain: Spring Boot spring\.lifecycle\.timeout-per-shutdown-phase: 45s/);
  });
});

test('kubeGraceful/terminationTimeline: the picture of the workload at a position; null outside any', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:shop.yaml';
    const text = `${GUNICORN}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n`;
    await client.open(uri, text);
    await client.waitForCurrent(uri);
    type Result = { title: string; svg: string } | null;
    const r = await client.request<Result>('kubeGraceful/terminationTimeline', { textDocument: { uri }, position: at(text, 'image: ghcr.io/example/worker', 2) });
    assert.ok(r, 'a picture for the Deployment');
    assert.equal(r.title, 'Deployment shop: termination timeline, grace period 40 s');
    assert.equal(r.svg.match(/<g class="lane"/g)?.length, 3);
    const none = await client.request<Result>('kubeGraceful/terminationTimeline', { textDocument: { uri }, position: at(text, 'name: settings', 2) });
    assert.equal(none, null, 'no workload in a ConfigMap');
    const bad = await client.request<Result>('kubeGraceful/terminationTimeline', { textDocument: { uri } });
    assert.equal(bad, null, 'malformed parameters');
  });
});
