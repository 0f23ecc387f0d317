import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, assertFixedClean, findingsOf, ruleTests, yaml } from '../helpers';

/** A Django app served by gunicorn, the way its chart renders it. */
const django = (grace: string, args: string, hook = 'sleep: {seconds: 10}'): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: shop-web
    namespace: shop
  spec:
    replicas: 3
    selector:
      matchLabels: {app.kubernetes.io/name: shop-web}
    template:
      metadata:
        labels: {app.kubernetes.io/name: shop-web}
      spec:${grace}
        containers:
        - name: web
          image: registry.example.com/shop/web:4.2.1
          command: ["gunicorn"]
          args: ${args}
          ports:
          - {name: http, containerPort: 8000}
          lifecycle:
            preStop:
              ${hook}
`;
const g = (n: number): string => `\n      terminationGracePeriodSeconds: ${n}`;
const GUNICORN_60 = '["shop.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--graceful-timeout", "60"]';
const GUNICORN_DEFAULT = '["shop.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]';

/** A FastAPI service on uvicorn. */
const fastapi = (grace: string, command: string, env = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: orders-api
  spec:
    selector:
      matchLabels: {app: orders-api}
    template:
      metadata:
        labels: {app: orders-api}
      spec:${grace}
        containers:
        - name: api
          image: ghcr.io/example/orders-api:1.8.0
          command: ${command}
          ports:
          - containerPort: 8080${env}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "5"]
`;

/** A Spring Boot service configured through env. */
const spring = (grace: string, env: string, args = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: payments
  spec:
    selector:
      matchLabels: {app: payments}
    template:
      metadata:
        labels: {app: payments}
      spec:${grace}
        containers:
        - name: payments
          image: example/payments-service:3.2.0${args}
          ports:
          - containerPort: 8080
          env:
          - name: SPRING_PROFILES_ACTIVE
            value: prod
          lifecycle:
            preStop:
              sleep:
                seconds: 10
`.replace('          value: prod\n', `          value: prod\n${env}\n`);
const envLine = (name: string, value: string): string => `        - name: ${name}\n          value: ${value}`;

/** Traefik as its Helm chart renders it: the image's entrypoint, options only. */
const traefik = (grace: number, lifecycle: string): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: traefik
    namespace: traefik
  spec:
    selector:
      matchLabels: {app.kubernetes.io/name: traefik}
    template:
      metadata:
        labels: {app.kubernetes.io/name: traefik}
      spec:
        terminationGracePeriodSeconds: ${grace}
        containers:
        - image: docker.io/traefik:v3.1.2
          imagePullPolicy: IfNotPresent
          name: traefik
          args:
          - "--global.checknewversion"
          - "--entryPoints.metrics.address=:9100/tcp"
          - "--entryPoints.traefik.address=:8080/tcp"
          - "--entryPoints.web.address=:8000/tcp"
          - "--entryPoints.websecure.address=:8443/tcp"
          - "--api.dashboard=true"
          - "--ping=true"
          - "--providers.kubernetescrd"
          ports:
          - {name: web, containerPort: 8000}
          lifecycle:
            preStop:
              sleep:
                seconds: 20
`.replace('        - "--providers.kubernetescrd"\n', `        - "--providers.kubernetescrd"\n${lifecycle}\n`);

/** A Rails app's Sidekiq worker. */
const sidekiq = (grace: string, args: string): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: app-sidekiq
  spec:
    selector:
      matchLabels: {app: app, component: sidekiq}
    template:
      metadata:
        labels: {app: app, component: sidekiq}
      spec:${grace}
        containers:
        - name: sidekiq
          image: registry.example.com/app/rails:2024.11.3
          command: ["bundle", "exec", "sidekiq"]
          args: ${args}
          env:
          - {name: RAILS_ENV, value: production}
`;

ruleTests('app-shutdown-exceeds-grace', {
  fire: [
    {
      name: 'gunicorn --graceful-timeout 60 after a 10 s sleep, grace 30: on the value, raised to 10 + 60 + 5',
      yaml: django(g(30), GUNICORN_60),
      lines: [19],
      severity: 'warning',
      fixed: django(g(75), GUNICORN_60),
    },
    {
      name: "gunicorn's default 30 s after an exec sleep of 5 s, grace omitted: info on the container name; the grace goes above containers",
      yaml: django('', GUNICORN_DEFAULT, 'exec: {command: ["sleep", "5"]}'),
      lines: [15],
      severity: 'info',
      fixed: django('', GUNICORN_DEFAULT, 'exec: {command: ["sleep", "5"]}').replace('      containers:', '      terminationGracePeriodSeconds: 40\n      containers:'),
    },
    {
      name: 'gunicorn through GUNICORN_CMD_ARGS',
      yaml: django(g(60), GUNICORN_DEFAULT).replace('        ports:', '        env:\n        - name: GUNICORN_CMD_ARGS\n          value: "--workers=4 --graceful-timeout=90"\n        ports:'),
      lines: [22],
      severity: 'warning',
      fixed: django(g(105), GUNICORN_DEFAULT).replace('        ports:', '        env:\n        - name: GUNICORN_CMD_ARGS\n          value: "--workers=4 --graceful-timeout=90"\n        ports:'),
    },
    {
      name: 'gunicorn started by a migrate-then-exec script',
      yaml: django(g(40), '["-c", "python manage.py migrate --noinput && exec gunicorn shop.wsgi --bind :8000 --graceful-timeout 45"]').replace('command: ["gunicorn"]', 'command: ["/bin/sh"]'),
      lines: [19],
      fixed: django(g(60), '["-c", "python manage.py migrate --noinput && exec gunicorn shop.wsgi --bind :8000 --graceful-timeout 45"]').replace('command: ["gunicorn"]', 'command: ["/bin/sh"]'),
    },
    {
      name: 'a Kubernetes $(VAR) reference resolved from env',
      yaml: django(g(30), '["shop.wsgi", "--graceful-timeout", "$(GRACEFUL_TIMEOUT)"]').replace('        ports:', '        env:\n        - {name: GRACEFUL_TIMEOUT, value: "120"}\n        ports:'),
      lines: [19],
      fixed: django(g(135), '["shop.wsgi", "--graceful-timeout", "$(GRACEFUL_TIMEOUT)"]').replace('        ports:', '        env:\n        - {name: GRACEFUL_TIMEOUT, value: "120"}\n        ports:'),
    },
    {
      name: 'uvicorn --timeout-graceful-shutdown 30 after a 5 s exec sleep, grace omitted',
      yaml: fastapi('', '["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080", "--timeout-graceful-shutdown", "30"]'),
      lines: [15],
      severity: 'warning',
      fixed: fastapi('', '["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080", "--timeout-graceful-shutdown", "30"]').replace(
        '      containers:',
        '      terminationGracePeriodSeconds: 40\n      containers:',
      ),
    },
    {
      name: 'python -m uvicorn with UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN',
      yaml: fastapi(g(45), '["python", "-m", "uvicorn", "app.main:app"]', '\n        env:\n        - name: UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN\n          value: "60"'),
      lines: [21],
      fixed: fastapi(g(70), '["python", "-m", "uvicorn", "app.main:app"]', '\n        env:\n        - name: UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN\n          value: "60"'),
    },
    {
      name: 'uvicorn without --timeout-graceful-shutdown waits without limit: an info hint with no number to fix',
      yaml: fastapi(g(30), '["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080"]'),
      lines: [14],
      severity: 'info',
      noFix: true,
    },
    {
      name: 'Spring Boot: SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE 45s after a 10 s sleep, grace 30',
      yaml: spring(g(30), `${envLine('SERVER_SHUTDOWN', 'graceful')}\n${envLine('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '45s')}`),
      lines: [24],
      severity: 'warning',
      fixed: spring(g(60), `${envLine('SERVER_SHUTDOWN', 'graceful')}\n${envLine('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '45s')}`),
    },
    {
      name: 'Spring Boot: an argument in ISO-8601 wins over the env variable',
      yaml: spring(g(30), envLine('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '10s'), '\n        args: ["--spring.lifecycle.timeout-per-shutdown-phase=PT40S"]'),
      lines: [16],
      fixed: spring(g(55), envLine('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '10s'), '\n        args: ["--spring.lifecycle.timeout-per-shutdown-phase=PT40S"]'),
    },
    {
      name: 'Spring Boot: SPRING_APPLICATION_JSON, nested',
      yaml: spring(g(30), envLine('SPRING_APPLICATION_JSON', `'{"server":{"shutdown":"graceful"},"spring":{"lifecycle":{"timeout-per-shutdown-phase":"1m"}}}'`)),
      lines: [22],
      fixed: spring(g(75), envLine('SPRING_APPLICATION_JSON', `'{"server":{"shutdown":"graceful"},"spring":{"lifecycle":{"timeout-per-shutdown-phase":"1m"}}}'`)),
    },
    {
      name: 'Spring Boot: a -D system property in JAVA_TOOL_OPTIONS',
      yaml: spring(g(30), envLine('JAVA_TOOL_OPTIONS', '"-XX:MaxRAMPercentage=75 -Dspring.lifecycle.timeout-per-shutdown-phase=25s"')),
      lines: [22],
      fixed: spring(g(40), envLine('JAVA_TOOL_OPTIONS', '"-XX:MaxRAMPercentage=75 -Dspring.lifecycle.timeout-per-shutdown-phase=25s"')),
    },
    {
      name: "Spring Boot: server.shutdown=graceful and the 30 s default phase timeout: info",
      yaml: spring(g(30), envLine('SERVER_SHUTDOWN', 'graceful')),
      lines: [14],
      severity: 'info',
      fixed: spring(g(45), envLine('SERVER_SHUTDOWN', 'graceful')),
    },
    {
      name: 'Traefik: requestAcceptGraceTimeout 20s then graceTimeOut 30s after a 20 s sleep, grace 60',
      yaml: traefik(60, '        - "--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=20s"\n        - "--entryPoints.web.transport.lifeCycle.graceTimeOut=30s"'),
      lines: [28],
      severity: 'warning',
      fixed: traefik(75, '        - "--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=20s"\n        - "--entryPoints.web.transport.lifeCycle.graceTimeOut=30s"'),
    },
    {
      name: "Traefik: the default 10 s graceTimeOut after a 20 s sleep, grace 25: info on the container name",
      yaml: traefik(25, '        - "--log.level=INFO"'),
      lines: [17],
      severity: 'info',
      // 20 + 10 + 5 is 35, but the hook + shutdownSeconds (20), what every grace fix gives, is more.
      fixed: traefik(40, '        - "--log.level=INFO"'),
    },
    {
      name: 'Sidekiq -t 60 with the config file, grace 30',
      yaml: sidekiq(g(30), '["-C", "config/sidekiq.yml", "-t", "60"]'),
      lines: [17],
      severity: 'warning',
      fixed: sidekiq(g(65), '["-C", "config/sidekiq.yml", "-t", "60"]'),
    },
    {
      name: "Sidekiq's default 25 s, grace 20",
      yaml: sidekiq(g(20), '["-q", "default", "-q", "mailers"]'),
      lines: [14],
      severity: 'info',
      fixed: sidekiq(g(30), '["-q", "default", "-q", "mailers"]'),
    },
    {
      name: 'a native sidecar gets SIGTERM only after the main containers: at least their 20 s hook + its 15 s',
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          terminationGracePeriodSeconds: 30
          initContainers:
          - name: admin-api
            image: example/admin:1
            restartPolicy: Always
            command: [uvicorn, admin:app, --timeout-graceful-shutdown, "15"]
          containers:
          - name: web
            image: example/web:1
            lifecycle:
              preStop:
                sleep: {seconds: 20}
      `,
      lines: [11],
      severity: 'warning',
    },
  ],
  dontFire: [
    { name: 'gunicorn --graceful-timeout 15 fits: 10 + 15 < 30', yaml: django(g(30), GUNICORN_60.replace('"60"', '"15"')) },
    { name: 'equal is enough: 10 + 20 = 30', yaml: django(g(30), GUNICORN_60.replace('"60"', '"20"')) },
    { name: "gunicorn's default 30 s after a 10 s sleep with grace 45", yaml: django(g(45), GUNICORN_DEFAULT) },
    { name: 'gunicorn with a config file: the default is not assumed', yaml: django(g(30), '["-c", "/etc/gunicorn/gunicorn.conf.py", "shop.wsgi"]') },
    { name: 'an httpGet hook takes an unknown time', yaml: django(g(30), GUNICORN_60, 'httpGet: {path: /drain, port: 8000}') },
    { name: 'a value from valueFrom is not known', yaml: django(g(30), '["shop.wsgi", "--graceful-timeout", "$(GRACEFUL_TIMEOUT)"]').replace('        ports:', '        env:\n        - name: GRACEFUL_TIMEOUT\n          valueFrom: {configMapKeyRef: {name: web, key: timeout}}\n        ports:') },
    {
      name: 'a mention in an unrelated env value or a comment is not a setting',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: gateway
        spec:
          selector:
            matchLabels: {app: gateway}
          template:
            metadata:
              labels: {app: gateway}
            spec:
              terminationGracePeriodSeconds: 30
              containers:
              - name: gateway
                image: example/node-gateway:5
                # was: gunicorn gateway.wsgi --graceful-timeout 120
                command: ["node", "server.js"]
                env:
                - name: MIGRATION_NOTE
                  value: "replaces gunicorn --graceful-timeout 120 and uvicorn --timeout-graceful-shutdown 90"
                - name: GUNICORN_CMD_ARGS
                  value: "--graceful-timeout 120"
                - name: SPRING_PROFILES_ACTIVE
                  value: prod
      `,
    },
    { name: 'uvicorn.run() inside a Python script reads neither flag nor env', yaml: fastapi(g(30), '["python", "main.py"]', '\n        env:\n        - name: UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN\n          value: "60"') },
    { name: 'uvicorn --timeout-graceful-shutdown 20 fits: 5 + 20 < 30', yaml: fastapi(g(30), '["uvicorn", "app.main:app", "--timeout-graceful-shutdown", "20"]') },
    { name: 'Spring Boot without server.shutdown or a timeout: its version decides, nothing is assumed', yaml: spring(g(30), envLine('SERVER_PORT', '"8080"')) },
    { name: 'Spring Boot with server.shutdown=immediate', yaml: spring(g(30), `${envLine('SERVER_SHUTDOWN', 'immediate')}\n${envLine('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '45s')}`) },
    { name: 'Spring Boot: a plain number is milliseconds', yaml: spring(g(30), envLine('SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '"15000"')) },
    { name: "Traefik's chart defaults: a 20 s sleep + 10 s within 60", yaml: traefik(60, '        - "--log.level=INFO"') },
    { name: 'Traefik with a config file: the default is not assumed', yaml: traefik(25, '        - "--configFile=/config/traefik.yml"') },
    { name: 'Sidekiq with its config file and no -t', yaml: sidekiq(g(20), '["-C", "config/sidekiq.yml"]') },
    { name: "Sidekiq's own Kubernetes advice: the 25 s default within a 30 s grace period", yaml: sidekiq(g(30), '["-q", "default"]') },
    { name: 'a Job runs to completion; its pods are not drained', yaml: sidekiq(g(20), '["-t", "60"]').replace('apps/v1\nkind: Deployment', 'batch/v1\nkind: Job').replace(/ {2}selector:\n {4}matchLabels: \{app: app, component: sidekiq\}\n/, '') },
    { name: 'grace period 0 is for grace-period-zero', yaml: django(g(0), GUNICORN_60) },
    {
      name: 'the ignore annotation',
      yaml: django(g(30), GUNICORN_60).replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    ignore-check.kube-graceful.io/app-shutdown-exceeds-grace: "long requests are retried"\n'),
    },
  ],
});

test('the message names the app, the evidence, the hook and the grace period', () => {
  const [f] = findingsOf(django(g(30), GUNICORN_60), 'app-shutdown-exceeds-grace');
  assert.match(f?.message ?? '', /gunicorn/);
  assert.match(f?.message ?? '', /--graceful-timeout 60/);
  assert.match(f?.message ?? '', /70 s/);
  assert.deepEqual(
    f?.related.map((r) => r.message),
    ['the grace period', 'the preStop hook of container "web"'],
  );
});

test('a native sidecar: the time before its SIGTERM is a lower bound, and the message says "at least"', () => {
  const text = yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
    spec:
      terminationGracePeriodSeconds: 30
      initContainers:
      - name: admin-api
        image: example/admin:1
        restartPolicy: Always
        command: [uvicorn, admin:app, --timeout-graceful-shutdown, "15"]
      containers:
      - name: web
        image: example/web:1
        lifecycle:
          preStop:
            sleep: {seconds: 20}
  `;
  const [f] = findingsOf(text, 'app-shutdown-exceeds-grace');
  assert.match(f?.message ?? '', /at least 35 s/);
  const out = applyFix(text, 'app-shutdown-exceeds-grace');
  // 20 (main hook) + 15 + 5 margin = 40; the main container's share (20 + 20) + the sidecar's 20 share is more.
  assert.match(out, /terminationGracePeriodSeconds: 60\n/);
  assertFixedClean(text, out, 'app-shutdown-exceeds-grace');
});

test("other fixes size the grace period with the app's own timeout, so they stay valid", () => {
  // No preStop hook, gunicorn drains for 25 s within 30: fine. prestop-hook-missing adds a
  // 10 s sleep and must raise the grace period to 10 + 25 + 5, or its fix would make this
  // rule fire (and be dropped by verification).
  const args = GUNICORN_60.replace('"60"', '"25"');
  const text = django(g(30), args).replace(/\n {8}lifecycle:\n {10}preStop:\n {12}sleep: \{seconds: 10\}/, '');
  assert.deepEqual(findingsOf(text, 'app-shutdown-exceeds-grace'), []);
  const out = applyFix(text, 'prestop-hook-missing');
  assert.match(out, /terminationGracePeriodSeconds: 40\n/);
  assertFixedClean(text, out, 'prestop-hook-missing');
});

/** The ingress-nginx controller as its static manifests deploy it, with `--configmap` and an optional preStop sleep. */
const controller = (grace: number, flags: string, hook = 'sleep: {seconds: 10}'): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ingress-nginx-controller
    namespace: ingress-nginx
  spec:
    selector:
      matchLabels: {app.kubernetes.io/name: ingress-nginx}
    template:
      metadata:
        labels: {app.kubernetes.io/name: ingress-nginx}
      spec:
        terminationGracePeriodSeconds: ${grace}
        containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.15.1
          args:
          - /nginx-ingress-controller
          - --election-id=ingress-nginx-leader${flags}
          env:
          - name: POD_NAMESPACE
            valueFrom:
              fieldRef:
                fieldPath: metadata.namespace
          ports:
          - {name: http, containerPort: 80}
          lifecycle:
            preStop:
              ${hook}
`;
const nginxConfig = (data: string, namespace = 'ingress-nginx', name = 'ingress-nginx-controller'): string => yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: ${name}
    namespace: ${namespace}
  data:${data}
`;
const CM_FLAG = '\n        - --configmap=$(POD_NAMESPACE)/ingress-nginx-controller';

/** A Spring Boot service whose application.yaml lives in a ConfigMap. */
const springApp = (grace: number, mount: string, env = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: billing
  spec:
    selector:
      matchLabels: {app: billing}
    template:
      metadata:
        labels: {app: billing}
      spec:
        terminationGracePeriodSeconds: ${grace}
        containers:
        - name: app
          image: example/billing:3
          workingDir: /app
          ports:
          - containerPort: 8080${env}
          lifecycle:
            preStop:
              sleep: {seconds: 10}${mount}
        volumes:
        - name: config
          configMap:
            name: billing-config
`;
const springConfig = (key: string, body: string): string => yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: billing-config
  data:
    ${key}: |
      ${body}
`;
const MOUNT = (path: string, subPath = ''): string => `\n        volumeMounts:\n        - name: config\n          mountPath: ${path}${subPath}`;
const PHASE_45 = 'spring:\n        lifecycle:\n          timeout-per-shutdown-phase: 45s';

ruleTests('app-shutdown-exceeds-grace', {
  fire: [
    {
      name: "ingress-nginx: worker-shutdown-timeout from the ConfigMap named through $(POD_NAMESPACE), in another file",
      yaml: controller(60, CM_FLAG),
      opts: { otherFiles: [nginxConfig('\n  worker-shutdown-timeout: "120s"')] },
      lines: [20],
      severity: 'warning',
      fixed: controller(135, CM_FLAG),
    },
    {
      name: 'ingress-nginx: the ConfigMap in the same file, a literal namespace, plain seconds',
      yaml: `${nginxConfig('\n  worker-shutdown-timeout: "90"')}---\n${controller(60, '\n        - --configmap=ingress-nginx/ingress-nginx-controller')}`,
      lines: [28],
      severity: 'warning',
    },
    {
      name: 'ingress-nginx: the ConfigMap does not set the key: the 240 s default, info',
      yaml: controller(60, CM_FLAG),
      opts: { otherFiles: [nginxConfig('\n  use-forwarded-headers: "true"')] },
      lines: [15],
      severity: 'info',
    },
    {
      name: 'ingress-nginx: --shutdown-grace-period adds to the worker timeout',
      yaml: controller(300, `${CM_FLAG}\n        - --shutdown-grace-period=60`),
      opts: { otherFiles: [nginxConfig('\n  worker-shutdown-timeout: "240s"')] },
      severity: 'warning',
    },
    {
      name: 'Spring Boot: application.yaml of a ConfigMap mounted at ./config/ of the working directory',
      yaml: springApp(30, MOUNT('/app/config')),
      opts: { otherFiles: [springConfig('application.yaml', PHASE_45)] },
      lines: [24],
      severity: 'warning',
    },
    {
      name: 'Spring Boot: application.properties through subPath',
      yaml: springApp(30, MOUNT('/app/application.properties', '\n          subPath: application.properties')),
      opts: { otherFiles: [springConfig('application.properties', 'spring.lifecycle.timeout-per-shutdown-phase=45s')] },
      severity: 'warning',
    },
    {
      name: 'Spring Boot: a profile variant when SPRING_PROFILES_ACTIVE names the profile',
      yaml: springApp(30, MOUNT('/app/config'), '\n        env:\n        - {name: SPRING_PROFILES_ACTIVE, value: prod}'),
      opts: { otherFiles: [springConfig('application-prod.yaml', PHASE_45)] },
      severity: 'warning',
    },
    {
      name: 'Spring Boot: SPRING_CONFIG_ADDITIONAL_LOCATION names the mounted folder',
      yaml: springApp(30, MOUNT('/etc/billing'), '\n        env:\n        - {name: SPRING_CONFIG_ADDITIONAL_LOCATION, value: "optional:file:/etc/billing/"}'),
      opts: { otherFiles: [springConfig('application.yml', PHASE_45)] },
      severity: 'warning',
    },
    {
      name: 'Spring Boot: SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE from an envFrom ConfigMap',
      yaml: springApp(30, '', '\n        envFrom:\n        - configMapRef: {name: billing-env}'),
      opts: { otherFiles: [nginxConfig('\n  SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: "45s"', '', 'billing-env')] },
      lines: [20],
      severity: 'warning',
    },
    {
      name: 'Spring Boot: env beats the mounted file (precedence)',
      yaml: springApp(30, MOUNT('/app/config'), '\n        env:\n        - {name: SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE, value: 45s}'),
      opts: { otherFiles: [springConfig('application.yaml', 'spring.lifecycle.timeout-per-shutdown-phase: 5s')] },
      lines: [20],
    },
  ],
  dontFire: [
    {
      name: 'ingress-nginx: the ConfigMap is not in view (its keys are unknown)',
      yaml: controller(60, CM_FLAG),
    },
    {
      name: 'ingress-nginx: a ConfigMap of the same name in another namespace is not the one $(POD_NAMESPACE) names',
      yaml: controller(60, CM_FLAG),
      opts: { otherFiles: [nginxConfig('\n  worker-shutdown-timeout: "120s"', 'other')] },
    },
    {
      name: 'ingress-nginx: worker-shutdown-timeout in an unrelated ConfigMap or a comment is not a setting',
      yaml: `${controller(300, CM_FLAG)}\n# worker-shutdown-timeout: "600s"`,
      opts: { otherFiles: [`${nginxConfig('\n  keep-alive: "75"')}---\n${nginxConfig('\n  worker-shutdown-timeout: "600s"', 'ingress-nginx', 'unrelated')}`] },
    },
    {
      name: 'ingress-nginx: the timeout fits the grace period',
      yaml: controller(300, CM_FLAG),
      opts: { otherFiles: [nginxConfig('\n  worker-shutdown-timeout: "240s"')] },
    },
    {
      name: 'ingress-nginx: /wait-shutdown takes an unknown time',
      yaml: controller(60, '', 'exec: {command: [/wait-shutdown]}'),
    },
    {
      name: 'Spring Boot: the ConfigMap is not mounted where Spring reads it',
      yaml: springApp(30, MOUNT('/etc/billing')),
      opts: { otherFiles: [springConfig('application.yaml', PHASE_45)] },
    },
    {
      name: 'Spring Boot: the ConfigMap volume is not mounted at all',
      yaml: springApp(30, ''),
      opts: { otherFiles: [springConfig('application.yaml', PHASE_45)] },
    },
    {
      name: 'Spring Boot: a profile variant without an active profile',
      yaml: springApp(30, MOUNT('/app/config')),
      opts: { otherFiles: [springConfig('application-prod.yaml', PHASE_45)] },
    },
    {
      name: 'Spring Boot: a command-line argument beats the mounted file (precedence)',
      yaml: springApp(30, MOUNT('/app/config')).replace('        workingDir: /app', '        workingDir: /app\n        args: ["--spring.lifecycle.timeout-per-shutdown-phase=5s"]'),
      opts: { otherFiles: [springConfig('application.yaml', PHASE_45)] },
    },
  ],
});

test('a value from a ConfigMap carries the ConfigMap line as related information', () => {
  const cm = nginxConfig('\n  worker-shutdown-timeout: "120s"');
  const [f] = findingsOf(controller(60, CM_FLAG), 'app-shutdown-exceeds-grace', { otherFiles: [cm] });
  assert.match(f?.message ?? '', /worker-shutdown-timeout: 120s in ConfigMap ingress-nginx\/ingress-nginx-controller/);
  const rel = f?.related?.find((r) => r.message.startsWith('worker-shutdown-timeout'));
  assert.equal(rel?.filePath, 'other-0.yaml');
});
