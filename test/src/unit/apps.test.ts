/** The app shutdown readers (model/apps) and the container data they read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appShutdownOf } from '../../../server/out/core/model/apps';
import { flagValue, launchesOf, splitWords } from '../../../server/out/core/model/apps/launch';
import { parseSpringDuration } from '../../../server/out/core/model/apps/spring';
import { parseTraefikDuration } from '../../../server/out/core/model/apps/traefik';
import { lint, yaml } from './helpers';

/** The first container of a Pod whose container body is `body` (lines at the container's indentation). */
function container(body: string): { text: string; c: NonNullable<ReturnType<typeof lint>['pods'][number]['containers'][number]> } {
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: example/app:1\n${body
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
  const c = lint(text).pods[0]?.containers[0];
  assert.ok(c);
  return { text, c };
}

test('model: env entries, with the span of their value, and valueFrom as undefined', () => {
  const { text, c } = container(yaml`
    env:
    - name: A
      value: "1"
    - {name: B, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - name: C
  `);
  assert.deepEqual(
    c.env.map((e) => [e.name, e.value]),
    [
      ['A', '1'],
      ['B', undefined],
      ['C', undefined],
    ],
  );
  const a = c.env[0];
  assert.ok(a);
  assert.equal(text.slice(a.span.start, a.span.end), '"1"');
});

test('model: each command and args item keeps its span', () => {
  const { text, c } = container('command: [gunicorn]\nargs:\n- app:app\n- "--graceful-timeout=60"');
  assert.deepEqual(c.commandItemSpans?.map((s) => text.slice(s.start, s.end)), ['gunicorn']);
  assert.deepEqual(c.argsItemSpans?.map((s) => text.slice(s.start, s.end)), ['app:app', '"--graceful-timeout=60"']);
});

test('launchers are looked through', () => {
  const programs = (cmd: string): string[] => launchesOf(container(cmd).c).map((l) => l.program);
  assert.deepEqual(programs('command: [tini, --, gunicorn, app:app]'), ['gunicorn']);
  assert.deepEqual(programs('command: [/usr/bin/dumb-init, "--", /usr/local/bin/uvicorn, main:app]'), ['uvicorn']);
  assert.deepEqual(programs('command: [python3, -u, -m, uvicorn, main:app]'), ['uvicorn']);
  assert.deepEqual(programs('command: [bundle, exec, sidekiq]'), ['sidekiq']);
  assert.deepEqual(programs('command: [poetry, run, gunicorn]'), ['gunicorn']);
  assert.deepEqual(programs('command: [python, main.py]'), ['python']);
  assert.deepEqual(programs('command: [sh, -c, "python manage.py migrate && exec gunicorn app.wsgi"]'), ['python', 'gunicorn']);
  assert.deepEqual(programs('command: [sh, -c, "if true; then gunicorn; fi"]'), [], 'a script beyond the shell reader says nothing');
  assert.deepEqual(programs('args: [gunicorn, app:app]'), ['gunicorn']);
  assert.deepEqual(programs('ports: [{containerPort: 80}]'), [], 'nothing written: the image decides');
});

test('option forms', () => {
  const words = (xs: string[]) => xs.map((value) => ({ value, span: { start: 0, end: 0 }, dynamic: false }));
  assert.equal(flagValue(words(['-t', '25']), ['-t', '--timeout'])?.value, '25');
  assert.equal(flagValue(words(['-t25']), ['-t', '--timeout'])?.value, '25');
  assert.equal(flagValue(words(['--timeout=40']), ['-t', '--timeout'])?.value, '40');
  assert.equal(flagValue(words(['--timeout', '40', '--timeout', '50']), ['--timeout'])?.value, '50', 'the last one wins');
  assert.equal(flagValue(words(['--', '--timeout', '40']), ['--timeout']), undefined, 'after -- nothing is an option');
  assert.equal(flagValue(words(['--timeout-x=40']), ['--timeout']), undefined);
  assert.deepEqual(splitWords(`--bind=0.0.0.0:8000 --graceful-timeout "60" --name 'a b'`), ['--bind=0.0.0.0:8000', '--graceful-timeout', '60', '--name', 'a b']);
  assert.equal(splitWords('"unbalanced'), undefined);
});

test("Spring Boot's duration syntax", () => {
  assert.equal(parseSpringDuration('30s'), 30);
  assert.equal(parseSpringDuration('1m'), 60);
  assert.equal(parseSpringDuration('2H'), 7200);
  assert.equal(parseSpringDuration('1d'), 86400);
  assert.equal(parseSpringDuration('500ms'), 0.5);
  assert.equal(parseSpringDuration('45000'), 45, 'a plain number is milliseconds');
  assert.equal(parseSpringDuration('PT45S'), 45);
  assert.equal(parseSpringDuration('pt1m30s'), 90);
  assert.equal(parseSpringDuration('PT0.5S'), 0.5);
  assert.equal(parseSpringDuration('P1DT1H'), 90000);
  assert.equal(parseSpringDuration('PT'), undefined);
  assert.equal(parseSpringDuration('30 seconds'), undefined);
  assert.equal(parseSpringDuration('30x'), undefined);
  assert.equal(parseSpringDuration('-5s'), undefined);
});

test('Traefik durations: plain numbers are seconds, else Go durations', () => {
  assert.equal(parseTraefikDuration('42'), 42);
  assert.equal(parseTraefikDuration('1m30s'), 90);
  assert.equal(parseTraefikDuration('500ms'), 0.5);
  assert.equal(parseTraefikDuration('soon'), undefined);
});

test('readers: what each recognises, and what it leaves alone', () => {
  const read = (body: string) => appShutdownOf(container(body).c);
  assert.deepEqual(
    (({ app, seconds, source }) => ({ app, seconds, source }))(read('command: [gunicorn, "-k", uvicorn.workers.UvicornWorker, app:app]') ?? assert.fail()),
    { app: 'gunicorn', seconds: 30, source: 'default' },
    'uvicorn workers under gunicorn: gunicorn decides',
  );
  assert.equal(read('command: [uvicorn, app:app]\nenv:\n- {name: UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN, valueFrom: {configMapKeyRef: {name: a, key: b}}}'), undefined);
  assert.equal(read('command: [sidekiq, -t, "$(T)"]'), undefined, 'an unresolved $(VAR)');
  assert.equal(read('command: [sidekiq, -t, "$(T)"]\nenv:\n- {name: T, value: "8"}')?.seconds, 8);
  assert.equal(read('command: [sidekiq, -t, "$$(T)"]\nenv:\n- {name: T, value: "8"}'), undefined, '$$ escapes: the app gets the literal text');
  assert.equal(read('args: ["--entryPoints.web.address=:80"]'), undefined, 'options alone, to an image that is not traefik');
  assert.equal(read('command: [sh, -c, "echo --spring.lifecycle.timeout-per-shutdown-phase=60s"]'), undefined, 'text an echo prints');
  assert.equal(
    read('command: [java, "-Dspring.lifecycle.timeoutPerShutdownPhase=20s", -jar, app.jar, "--spring.lifecycle.timeout-per-shutdown-phase=40s"]')?.seconds,
    40,
    'a command-line argument wins over a system property; camelCase binds too',
  );
  assert.equal(read('env:\n- {name: SPRING_APPLICATION_JSON, value: \'{"spring.lifecycle.timeout-per-shutdown-phase": "50s"}\'}')?.seconds, 50, 'flat JSON keys');
  assert.equal(read('env:\n- {name: SPRING_APPLICATION_JSON, value: "not json"}'), undefined);
  assert.equal(
    read('command: [traefik, "--entrypoints.web.transport.lifecycle.gracetimeout=5", "--entryPoints.websecure.transport.lifeCycle.graceTimeOut=45s"]')?.seconds,
    45,
    'the longest entry point',
  );
  assert.equal(read('command: [sh, -c, "exec gunicorn app:app --bind 0.0.0.0:${PORT}"]')?.source, 'default', 'a variable inside a value does not hide options');
  assert.equal(read('command: [sh, -c, "exec gunicorn app:app $GUNICORN_OPTS"]'), undefined, 'a whole word from a variable may hold any option');
  assert.equal(read('command: [gunicorn, app:app]\nenvFrom:\n- configMapRef: {name: web-env}'), undefined, 'envFrom may bring GUNICORN_CMD_ARGS');
  assert.equal(read('command: [gunicorn, app:app, --graceful-timeout, "40"]\nenvFrom:\n- configMapRef: {name: web-env}')?.seconds, 40, 'the command line wins over envFrom');
  assert.equal(read('command: [uvicorn, app:app]\nenvFrom:\n- configMapRef: {name: api-env}'), undefined);
  assert.equal(read('command: [traefik]\nenv:\n- {name: TRAEFIK_ENTRYPOINTS_WEB_TRANSPORT_LIFECYCLE_GRACETIMEOUT, value: 1m}')?.seconds, 60);
});
