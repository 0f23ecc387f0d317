import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execDuration, scriptDuration } from '../../../server/out/core/model/hooks';
import { parseShell, shellScriptOf, sleepOperandSeconds } from '../../../server/out/core/model/shell';

const cases: [string, readonly string[], { seconds: number; exact: boolean } | undefined][] = [
  ['plain sleep', ['sleep', '15'], { seconds: 15, exact: true }],
  ['absolute path', ['/bin/sleep', '15'], { seconds: 15, exact: true }],
  ['usr path with suffix', ['/usr/bin/sleep', '2m'], { seconds: 120, exact: true }],
  ['several operands add up', ['sleep', '1m', '30s'], { seconds: 90, exact: true }],
  ['fraction', ['sleep', '1.5'], { seconds: 1.5, exact: true }],
  ['infinity is unknown', ['sleep', 'infinity'], undefined],
  ['a variable is unknown', ['sleep', '$DELAY'], { seconds: 0, exact: true }],
  ['sh -c sleep and quit', ['/bin/sh', '-c', 'sleep 10 && nginx -s quit'], { seconds: 10, exact: true }],
  ['bash -ec', ['bash', '-ec', 'sleep 5; sleep 5'], { seconds: 10, exact: true }],
  ['busybox sh', ['busybox', 'sh', '-c', 'sleep 7'], { seconds: 7, exact: true }],
  ['unknown command after the sleep: lower bound', ['sh', '-c', 'sleep 5; /app/drain'], { seconds: 5, exact: false }],
  ['conditional sleep is not counted', ['sh', '-c', '/app/check && sleep 30'], undefined],
  ['sleep after || is not counted', ['sh', '-c', 'sleep 3 || sleep 30'], { seconds: 3, exact: false }],
  ['loop is unknown', ['sh', '-c', 'while true; do sleep 1; done'], undefined],
  ['command substitution is unknown', ['sh', '-c', 'sleep $(cat /delay)'], undefined],
  ['background sleep does not count', ['sh', '-c', 'sleep 30 &'], undefined],
  ['kill of PID 1 ends the count', ['sh', '-c', 'kill -15 1; sleep 15s'], undefined],
  ['exec sleep', ['sh', '-c', 'echo bye; exec sleep 4'], { seconds: 4, exact: true }],
  ['a script file is unknown', ['/bin/sh', '/scripts/stop.sh'], undefined],
  ['a custom binary is unknown', ['/wait-shutdown'], undefined],
  ['quoted operand', ['sh', '-c', "sleep '12'"], { seconds: 12, exact: true }],
  ['comment in the script', ['sh', '-c', 'sleep 3 # wait for endpoints'], { seconds: 3, exact: true }],
];

for (const [name, argv, expected] of cases) {
  test(`hook duration: ${name}`, () => {
    const d = execDuration(argv);
    if (name === 'a variable is unknown') {
      assert.equal(d, undefined);
      return;
    }
    assert.deepEqual(d, expected);
  });
}

test('shell reader: separators, quotes and complex scripts', () => {
  const p = parseShell(`mkdir -p /data && echo "a;b" | tee x; exec nginx -g 'daemon off;'`);
  assert.equal(p.complex, false);
  if (!p.complex) {
    assert.deepEqual(
      p.commands.map((c) => [c.words.map((w) => w.value).join(' '), c.sep]),
      [
        ['mkdir -p /data', '&&'],
        ['echo a;b', '|'],
        ['tee x', ';'],
        ["exec nginx -g daemon off;", 'end'],
      ],
    );
  }
  assert.equal(parseShell('if true; then a; fi').complex, true);
  assert.equal(parseShell('a `b`').complex, true);
  assert.equal(parseShell('cat <<EOF\nx\nEOF').complex, true);
  assert.equal(parseShell("echo 'unterminated").complex, true);
});

test('shell -c detection', () => {
  assert.deepEqual(shellScriptOf(['sh', '-c', 'x']), { shell: 'sh', script: 'x', scriptIndex: 2 });
  assert.deepEqual(shellScriptOf(['/bin/bash', '-e', '-o', 'pipefail', '-c', 'x']), { shell: 'bash', script: 'x', scriptIndex: 5 });
  assert.equal(shellScriptOf(['python', '-c', 'x']), undefined);
  assert.equal(shellScriptOf(['sh', 'script.sh']), undefined);
});

test('sleep operands', () => {
  assert.equal(sleepOperandSeconds('10'), 10);
  assert.equal(sleepOperandSeconds('1h'), 3600);
  assert.equal(sleepOperandSeconds('.5'), 0.5);
  assert.equal(sleepOperandSeconds('10x'), undefined);
  assert.equal(sleepOperandSeconds('-1'), undefined);
  assert.deepEqual(scriptDuration(''), { seconds: 0, exact: true });
  assert.deepEqual(scriptDuration('nginx -s quit'), { seconds: 0, exact: true });
});
