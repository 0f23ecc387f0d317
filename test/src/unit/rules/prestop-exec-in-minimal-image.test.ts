import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../../server/out/core';
import { minimalImage, parseImageRef } from '../../../../server/out/core/model/images';
import { findingsOf, ruleTests, yaml } from '../helpers';

function pod(image: string, hook: string, grace = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: dns
    spec:${grace}
      containers:
      - name: dns
        image: ${image}
        lifecycle:
          preStop:
            ${hook}
  `;
}

const coredns = 'registry.k8s.io/coredns/coredns:v1.11.1';

ruleTests('prestop-exec-in-minimal-image', {
  fire: [
    {
      name: 'exec sleep in CoreDNS (coredns/helm#43); the fix converts it to the native sleep action',
      yaml: pod(coredns, 'exec: {command: ["/usr/bin/sleep", "10"]}'),
      lines: [11],
      severity: 'warning',
      fixed: pod(coredns, 'sleep: {seconds: 10}'),
    },
    {
      name: 'sh -c "sleep N" in distroless, block style',
      yaml: pod('gcr.io/distroless/static-debian12:nonroot', 'exec:\n          command:\n          - /bin/sh\n          - -c\n          - sleep 15'),
      fixed: pod('gcr.io/distroless/static-debian12:nonroot', 'sleep:\n          seconds: 15'),
    },
    {
      name: 'a shell script that is more than a sleep: reported, no fix',
      yaml: pod('quay.io/k8scsi/csi-node-driver-registrar:v1.2.0', 'exec: {command: ["/bin/sh", "-c", "rm -rf /registration/x.sock"]}'),
      noFix: true,
    },
    {
      name: 'before 1.30 there is no native sleep to convert to',
      yaml: pod(coredns, 'exec: {command: ["sleep", "10"]}'),
      opts: { settings: { kubernetesVersion: '1.29' } },
      noFix: true,
    },
    {
      name: 'a sleep longer than the grace period also raises the grace period (the API server would reject the sleep action)',
      yaml: pod('cgr.dev/chainguard/static:latest', 'exec: {command: ["sleep", "1m"]}', '\n  terminationGracePeriodSeconds: 30'),
      fixed: pod('cgr.dev/chainguard/static:latest', 'sleep: {seconds: 60}', '\n  terminationGracePeriodSeconds: 80'),
    },
    {
      name: 'envoy distroless tag, CRLF',
      yaml: pod('docker.io/envoyproxy/envoy:distroless-v1.39.0', "exec: {command: ['sleep', '5s']}").replace(/\n/g, '\r\n'),
      fixed: pod('docker.io/envoyproxy/envoy:distroless-v1.39.0', 'sleep: {seconds: 5}').replace(/\n/g, '\r\n'),
    },
    {
      name: 'an image from the minimalImages setting',
      yaml: pod('registry.example.com/base/app:3', 'exec: {command: ["bash", "-c", "sleep 5"]}'),
      opts: { settings: { minimalImages: ['registry.example.com/base/*'] } },
      fixed: pod('registry.example.com/base/app:3', 'sleep: {seconds: 5}'),
    },
    {
      name: 'a fractional sleep has no native equivalent',
      yaml: pod(coredns, 'exec: {command: ["sleep", "1.5"]}'),
      noFix: true,
    },
  ],
  dontFire: [
    { name: 'an image with a shell', yaml: pod('nginx:1.27', 'exec: {command: ["sleep", "10"]}') },
    { name: 'a distroless debug image has busybox', yaml: pod('gcr.io/distroless/base:debug', 'exec: {command: ["sh", "-c", "sleep 10"]}') },
    { name: 'a Chainguard -dev image has a shell', yaml: pod('cgr.dev/chainguard/python:latest-dev', 'exec: {command: ["sleep", "10"]}') },
    { name: 'a custom binary in a minimal image (e.g. ingress-nginx /wait-shutdown)', yaml: pod(coredns, 'exec: {command: ["/wait-shutdown"]}') },
    { name: 'the native sleep action needs no binary', yaml: pod(coredns, 'sleep: {seconds: 10}') },
    { name: 'an httpGet hook', yaml: pod('docker.io/envoyproxy/envoy:distroless-v1.39.0', 'httpGet: {path: /shutdown, port: 8090}') },
    { name: 'a name ending in -static is not enough (nginx-static serves static files)', yaml: pod('flashspys/nginx-static:latest', 'exec: {command: ["sleep", "10"]}') },
    { name: 'an unknown image', yaml: pod('example/api:2', 'exec: {command: ["sleep", "10"]}') },
  ],
});

test('image references are normalised', () => {
  assert.deepEqual(parseImageRef('nginx'), { registry: 'docker.io', repository: 'library/nginx', tag: undefined, name: 'nginx' });
  assert.deepEqual(parseImageRef('coredns/coredns:1.11.1@sha256:abc'), { registry: 'docker.io', repository: 'coredns/coredns', tag: '1.11.1', name: 'coredns' });
  assert.deepEqual(parseImageRef('localhost:5000/app'), { registry: 'localhost:5000', repository: 'app', tag: undefined, name: 'app' });
  assert.equal(parseImageRef('{{ .Values.image }}'), undefined);
});

test('the built-in minimal image list', () => {
  const s = DEFAULT_SETTINGS;
  for (const img of [
    'gcr.io/distroless/static',
    'gcr.io/distroless/java17-debian12:nonroot',
    'coredns/coredns:1.9.3',
    'k8s.gcr.io/coredns:1.7.0',
    'registry.k8s.io/sig-storage/csi-provisioner:v5.0.1',
    'registry.k8s.io/sig-storage/livenessprobe:v2.13.0',
    'registry.k8s.io/pause:3.9',
    'cgr.dev/chainguard/nginx:latest',
    'ghcr.io/example/tool:1.2-static',
    'example.com/distroless/base:1',
  ]) {
    assert.ok(minimalImage(img, s), img);
  }
  for (const img of [
    'gcr.io/distroless/base-debian12:debug',
    'cgr.dev/chainguard/busybox:latest',
    'cgr.dev/chainguard/wolfi-base',
    'registry.k8s.io/sig-storage/hostpathplugin:v1.14.0',
    'busybox',
    'alpine:3.20',
    'registry.k8s.io/ingress-nginx/controller:v1.11.0',
    undefined,
  ]) {
    assert.equal(minimalImage(img, s), undefined, String(img));
  }
});

test('the message names the image and what it lacks', () => {
  const [f] = findingsOf(pod(coredns, 'exec: {command: ["sleep", "10"]}'), 'prestop-exec-in-minimal-image');
  assert.match(f?.message ?? '', /coredns/);
  assert.match(f?.message ?? '', /neither `sleep` nor a shell/);
});
