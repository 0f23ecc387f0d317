import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nginxImage } from '../../../../server/out/core/model/images';
import { findingsOf, ruleTests, yaml } from '../helpers';

function deploy(image: string, extra = ''): string {
  return yaml`
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
            image: ${image}
            ports:
            - containerPort: 80${extra}
  `;
}

ruleTests('nginx-sigterm-fast-shutdown', {
  fire: [
    { name: 'the Kubernetes docs example image nginx:1.14.2 (no STOPSIGNAL SIGQUIT yet)', yaml: deploy('nginx:1.14.2'), lines: [14], severity: 'info', noFix: true },
    { name: 'a 1.19 mainline tag before 1.19.4', yaml: deploy('docker.io/library/nginx:1.19.2-alpine'), noFix: true },
    { name: 'nginxinc/nginx-unprivileged, old tag', yaml: deploy('nginxinc/nginx-unprivileged:1.17'), noFix: true },
    { name: 'an old bitnami/nginx', yaml: deploy('bitnami/nginx:1.21.6'), noFix: true },
    {
      name: 'a preStop that only sleeps',
      yaml: deploy('nginx:1.16', '\n        lifecycle:\n          preStop:\n            exec: {command: ["sleep", "10"]}'),
      noFix: true,
    },
  ],
  dontFire: [
    { name: 'a current official image (STOPSIGNAL SIGQUIT since 1.19.5)', yaml: deploy('nginx:1.27') },
    { name: 'an untagged official image', yaml: deploy('nginx') },
    { name: 'nginx:1.18 (rebuilt with SIGQUIT)', yaml: deploy('nginx:1.18.0') },
    { name: 'nginx:1.19 resolves to the last 1.19.x', yaml: deploy('nginx:1.19') },
    { name: 'an unknown registry: a mirror or a build FROM nginx inherits its STOPSIGNAL', yaml: deploy('registry.example.com/nginx:1.14') },
    { name: 'an ingress controller handles signals itself', yaml: deploy('registry.k8s.io/ingress-nginx/controller:v1.11.0') },
    { name: 'OpenResty: when its images got SIGQUIT is not known', yaml: deploy('openresty/openresty:1.15.8.1-alpine') },
    {
      name: 'a preStop with nginx -s quit',
      yaml: deploy('nginx:1.14.2', '\n        lifecycle:\n          preStop:\n            exec: {command: ["/bin/sh", "-c", "sleep 5 && /usr/sbin/nginx -s quit"]}'),
    },
    {
      name: 'the Kubernetes docs quit-and-wait loop',
      yaml: deploy(
        'nginx:1.14.2',
        '\n        lifecycle:\n          preStop:\n            exec: {command: ["/bin/sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"]}',
      ),
    },
    { name: 'stopSignal SIGQUIT', yaml: deploy('nginx:1.14.2', '\n        lifecycle:\n          stopSignal: SIGQUIT') },
    { name: 'the directive', yaml: deploy('nginx:1.14.2').replace('        image: nginx', '        # kube-graceful-disable-next-line nginx-sigterm-fast-shutdown\n        image: nginx') },
  ],
});

test('nginx images and their stop signal', () => {
  assert.equal(nginxImage('nginx:1.14.2')?.stopsWithSigterm, true);
  assert.equal(nginxImage('nginx:1.19.3')?.stopsWithSigterm, true);
  assert.equal(nginxImage('nginx:1.19.4')?.stopsWithSigterm, false);
  assert.equal(nginxImage('nginx:1.19.5')?.stopsWithSigterm, false);
  assert.equal(nginxImage('nginx:stable-alpine')?.stopsWithSigterm, false);
  assert.equal(nginxImage('bitnami/nginx:1.27.3'), undefined);
  assert.equal(nginxImage('nginx/nginx-ingress:3.5.0'), undefined);
  assert.equal(nginxImage('cgr.dev/chainguard/nginx'), undefined);
});

test('the message explains why the image gets SIGTERM', () => {
  const [f] = findingsOf(deploy('nginx:1.14.2'), 'nginx-sigterm-fast-shutdown');
  assert.match(f?.message ?? '', /1\.19\.5/);
  assert.match(f?.message ?? '', /fast/);
});
