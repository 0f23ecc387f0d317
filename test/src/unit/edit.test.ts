/** The fix edits on awkward but valid YAML: indentation widths, sequence styles, CRLF, flow maps, comments. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, assertFixedClean, yaml } from './helpers';

const cases: { name: string; input: string; expected: string }[] = [
  {
    name: 'four-space indentation, indented sequences',
    input: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
          name: p
      spec:
          containers:
              - name: app
                image: app
                ports:
                    - containerPort: 80
    `,
    expected: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
          name: p
      spec:
          containers:
              - name: app
                image: app
                ports:
                    - containerPort: 80
                lifecycle:
                    preStop:
                        sleep:
                            seconds: 10
    `,
  },
  {
    name: 'no final newline',
    input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app\n    ports: [{containerPort: 80}]',
    expected:
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app\n    ports: [{containerPort: 80}]\n    lifecycle:\n      preStop:\n        sleep:\n          seconds: 10',
  },
  {
    name: 'CRLF line endings',
    input: 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: app\r\n    ports: [{containerPort: 80}]\r\n',
    expected:
      'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: app\r\n    ports: [{containerPort: 80}]\r\n    lifecycle:\r\n      preStop:\r\n        sleep:\r\n          seconds: 10\r\n',
  },
  {
    name: 'trailing comments and a comment after the last value stay where they are',
    input: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
        - name: app # the app
          image: app
          ports:
          - containerPort: 80 # http
          # more ports later
        # end of containers
    `,
    expected: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
        - name: app # the app
          image: app
          ports:
          - containerPort: 80 # http
          lifecycle:
            preStop:
              sleep:
                seconds: 10
          # more ports later
        # end of containers
    `,
  },
  {
    name: 'a block scalar as the last value',
    input: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
        - name: app
          image: app
          ports: [{containerPort: 80}]
          args:
          - |
            serve --port 80
            --verbose

      ---
      kind: ConfigMap
    `,
    expected: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
        - name: app
          image: app
          ports: [{containerPort: 80}]
          args:
          - |
            serve --port 80
            --verbose
          lifecycle:
            preStop:
              sleep:
                seconds: 10

      ---
      kind: ConfigMap
    `,
  },
  {
    name: 'a multi-line JSON-like flow map with trailing commas',
    input: yaml`
      {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
          "containers": [
            {
              "name": "app",
              "image": "app",
              "ports": [{"containerPort": 80}],
            },
          ],
        },
      }
    `,
    expected: yaml`
      {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
          "containers": [
            {
              "name": "app",
              "image": "app",
              "ports": [{"containerPort": 80}],
              "lifecycle": {"preStop": {"sleep": {"seconds": 10}}},
            },
          ],
        },
      }
    `,
  },
  {
    name: 'a grace period inserted above containers keeps the comment that belongs to containers',
    input: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        restartPolicy: Always
        # the app
        containers:
        - name: app
          image: app
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "45"]
    `,
    expected: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        restartPolicy: Always
        terminationGracePeriodSeconds: 65
        # the app
        containers:
        - name: app
          image: app
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "45"]
    `,
  },
];

for (const c of cases) {
  test(`fix edit: ${c.name}`, () => {
    const rule = c.input.includes('"sleep", "45"') ? 'grace-period-too-short' : 'prestop-hook-missing';
    const out = applyFix(c.input, rule);
    assert.equal(out, c.expected);
    assertFixedClean(c.input, out, rule);
  });
}

test('single quotes are kept when the file prefers them', () => {
  const input = yaml`
    apiVersion: 'v1'
    kind: 'Pod'
    metadata: {name: 'p'}
    spec:
      containers:
      - name: 'app'
        image: 'app'
        ports: [{containerPort: 80}]
  `;
  const out = applyFix(input, 'prestop-hook-missing', { settings: { kubernetesVersion: '1.28' } });
  assert.ok(out.endsWith("        exec:\n          command: ['sleep', '10']\n"), out);
});

test('a keep-chomped block scalar at the end of the container blocks the fix', () => {
  const input = yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
      - name: app
        image: app
        ports: [{containerPort: 80}]
        args:
        - |+
          keep

  `;
  assert.throws(() => applyFix(input, 'prestop-hook-missing'), /expected a fix/);
});
