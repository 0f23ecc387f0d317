import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wrapperVerdict } from '../../../../server/out/core/model/wrappers';
import { findingsOf, ruleTests, yaml } from '../helpers';

/** A Deployment whose container runs `lines` (already indented under `image:`). */
function deploy(lines: string, kind = 'Deployment', apiVersion = 'apps/v1'): string {
  return yaml`
    apiVersion: ${apiVersion}
    kind: ${kind}
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
            image: nginx:1.27
    ${lines}
  `;
}

const cmd = (s: string): string => `        ${s}`;

ruleTests('shell-wrapper-blocks-sigterm', {
  fire: [
    {
      name: "$(VAR) is Kubernetes' expansion, not a command substitution: the wrapper is still seen",
      yaml: deploy(cmd(`command: ["sh", "-c", "mkdir -p $(DATA_DIR) && /app --data=$(DATA_DIR) --port=$(PORT)"]`)),
      lines: [15],
      fixed: deploy(cmd(`command: ["sh", "-c", "mkdir -p $(DATA_DIR) && exec /app --data=$(DATA_DIR) --port=$(PORT)"]`)),
    },
    {
      name: 'flow list with a double-quoted script: `&&` then nginx',
      yaml: deploy(cmd(`command: ["sh", "-c", "mkdir -p /data && nginx -g 'daemon off;'"]`)),
      lines: [15],
      severity: 'warning',
      fixed: deploy(cmd(`command: ["sh", "-c", "mkdir -p /data && exec nginx -g 'daemon off;'"]`)),
    },
    {
      name: 'command ["/bin/sh", "-c"] with the script in args (plain scalar)',
      yaml: deploy(`${cmd('command: ["/bin/sh", "-c"]')}\n${cmd('args:')}\n${cmd('- cp /config/app.conf /etc/app/; /usr/bin/app --serve')}`),
      lines: [17],
      fixed: deploy(`${cmd('command: ["/bin/sh", "-c"]')}\n${cmd('args:')}\n${cmd('- cp /config/app.conf /etc/app/; exec /usr/bin/app --serve')}`),
    },
    {
      name: 'a literal block scalar over several lines',
      yaml: deploy(`${cmd('command:')}\n${cmd('- bash')}\n${cmd('- -ec')}\n${cmd('- |')}\n${cmd('  echo starting')}\n${cmd('  ./migrate')}\n${cmd('  java -jar /app.jar')}`),
      fixed: deploy(`${cmd('command:')}\n${cmd('- bash')}\n${cmd('- -ec')}\n${cmd('- |')}\n${cmd('  echo starting')}\n${cmd('  ./migrate')}\n${cmd('  exec java -jar /app.jar')}`),
    },
    {
      name: 'a literal block with a blank line and a comment line inside the script',
      yaml: deploy(`${cmd('command:')}\n${cmd('- sh')}\n${cmd('- -c')}\n${cmd('- |')}\n${cmd('  # prepare')}\n${cmd('  mkdir -p /data')}\n\n${cmd('  redis-server /etc/redis.conf')}`),
      fixed: deploy(`${cmd('command:')}\n${cmd('- sh')}\n${cmd('- -c')}\n${cmd('- |')}\n${cmd('  # prepare')}\n${cmd('  mkdir -p /data')}\n\n${cmd('  exec redis-server /etc/redis.conf')}`),
    },
    {
      name: 'a single-quoted script with a doubled quote',
      yaml: deploy(cmd(`command: ['/bin/ash', '-c', 'echo ''hi''; node server.js']`)),
      fixed: deploy(cmd(`command: ['/bin/ash', '-c', 'echo ''hi''; exec node server.js']`)),
    },
    {
      name: 'CRLF line endings in a literal block',
      yaml: deploy(`${cmd('command: [sh, -c]')}\n${cmd('args:')}\n${cmd('- |-')}\n${cmd('  sed -i s/a/b/ /etc/app.conf')}\n${cmd('  app')}`).replace(/\n/g, '\r\n'),
      fixed: deploy(`${cmd('command: [sh, -c]')}\n${cmd('args:')}\n${cmd('- |-')}\n${cmd('  sed -i s/a/b/ /etc/app.conf')}\n${cmd('  exec app')}`).replace(/\n/g, '\r\n'),
    },
    {
      name: 'a native sidecar is checked too',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          initContainers:
          - name: proxy
            image: example/proxy:1
            restartPolicy: Always
            command: ["sh", "-c", "sleep 2; proxy --listen :15001"]
          containers:
          - name: app
            image: example/app:1
      `,
      lines: [9],
    },
    {
      name: 'assignments before the last command: reported, no fix',
      yaml: deploy(cmd(`command: ["sh", "-c", "cd /srv; PORT=8080 ./server"]`)),
      noFix: true,
    },
    {
      name: 'a folded scalar has no exact offset mapping: no fix',
      yaml: deploy(`${cmd('command:')}\n${cmd('- sh')}\n${cmd('- -c')}\n${cmd('- >')}\n${cmd('  mkdir -p /data &&')}\n${cmd('  redis-server')}`),
      noFix: true,
    },
    {
      name: 'an escape in a double-quoted script before the last command: no fix',
      yaml: deploy(cmd(`command: ["sh", "-c", "echo\\tgo; app"]`)),
      noFix: true,
    },
    {
      name: 'escaped quotes map exactly',
      yaml: deploy(cmd(`command: ["sh", "-c", "echo \\"go\\"; app"]`)),
      fixed: deploy(cmd(`command: ["sh", "-c", "echo \\"go\\"; exec app"]`)),
    },
  ],
  dontFire: [
    { name: 'the last command is exec', yaml: deploy(cmd(`command: ["sh", "-c", "mkdir -p /data && exec nginx -g 'daemon off;'"]`)) },
    { name: 'a lone command (bash and BusyBox ash exec it themselves)', yaml: deploy(cmd(`command: ["sh", "-c", "/root/start.sh"]`)) },
    { name: 'ends with wait', yaml: deploy(cmd(`command: ["sh", "-c", "app & wait"]`)) },
    { name: 'a keep-alive sleep at the end', yaml: deploy(cmd(`command: ["sh", "-c", "touch /ready; sleep infinity"]`)) },
    { name: 'tail -f at the end', yaml: deploy(cmd(`command: ["sh", "-c", "touch /var/log/a.log; tail -f /var/log/a.log"]`)) },
    { name: 'a trap handles TERM itself', yaml: deploy(cmd(`command: ["sh", "-c", "trap 'kill -TERM $pid' TERM; app; echo done"]`)) },
    {
      name: 'a loop: the shell is the long-running process (k8s website sidecar)',
      yaml: deploy(cmd(`command: ['sh', '-c', 'while true; do echo "logging" >> /opt/logs.txt; sleep 1; done']`)),
    },
    { name: 'a pipeline at the end', yaml: deploy(cmd(`command: ["sh", "-c", "cd /app; ./server | tee /log"]`)) },
    { name: 'a || fallback at the end', yaml: deploy(cmd(`command: ["sh", "-c", "test -f /x; ./server || true"]`)) },
    { name: 'a command substitution (not parsed)', yaml: deploy(cmd(`command: ["sh", "-c", "export X=$(cat /x); app"]`)) },
    { name: 'an escaped $$(VAR) is a real command substitution (not parsed)', yaml: deploy(cmd(`command: ["sh", "-c", "export X=$$(CMD); app"]`)) },
    { name: 'a lower-case $(cmd) is the shell\'s command substitution (not parsed)', yaml: deploy(cmd(`command: ["sh", "-c", "export H=$(hostname); app"]`)) },
    { name: 'not a shell', yaml: deploy(cmd(`command: ["/app", "-c", "a; b"]`)) },
    { name: 'args only: PID 1 is the image entrypoint', yaml: deploy(cmd(`args: ["sh", "-c", "a; b"]`)) },
    { name: 'a Job is not rolled', yaml: deploy(cmd(`command: ["sh", "-c", "cd /work && ./batch"]`), 'Job', 'batch/v1').replace(/ {2}selector:\n {4}matchLabels: \{app: web\}\n/, '') },
    {
      name: 'a regular init container runs to completion',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          initContainers:
          - name: init
            image: busybox
            command: ["sh", "-c", "mkdir -p /data && chown 1000 /data"]
          containers:
          - name: app
            image: example/app:1
      `,
    },
    { name: 'the directive', yaml: deploy(`${cmd('# kube-graceful-disable-next-line shell-wrapper-blocks-sigterm')}\n${cmd(`command: ["sh", "-c", "a; b"]`)}`) },
  ],
});

test('wrapperVerdict: what counts as a blocking wrapper', () => {
  const blocks = (s: string): boolean => wrapperVerdict(s).blocks;
  assert.equal(blocks('a && b'), true);
  assert.equal(blocks('a\nb\n'), true);
  assert.equal(blocks('a; b;'), true);
  assert.equal(blocks('a; exec b'), false);
  assert.equal(blocks('b'), false);
  assert.equal(blocks('a; $CMD'), false);
  assert.equal(blocks('a & b'), false);
  assert.equal(blocks('if true; then b; fi'), false);
  assert.equal(blocks('a; b > /log'), true);
});

test('the message names the command and the shell', () => {
  const [f] = findingsOf(deploy(cmd(`command: ["bash", "-c", "mkdir -p /data && redis-server"]`)), 'shell-wrapper-blocks-sigterm');
  assert.match(f?.message ?? '', /`redis-server`/);
  assert.match(f?.message ?? '', /`bash -c`/);
});
