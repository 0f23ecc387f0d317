import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { LSPErrorCodes, type CodeAction, type Hover } from 'vscode-languageserver-protocol/node';
import { positionAt, WEB, withServer, type TestClient } from './helpers';

function aliasBomb(): string {
  const lines = [`a0: &a0 [${Array.from({ length: 10 }, () => 'x').join(',')}]`];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  lines.push('apiVersion: v1', 'kind: Pod', 'metadata: {name: bomb, labels: *a9}', 'spec:', '  containers: *a9', '  terminationGracePeriodSeconds: *a9');
  return `${lines.join('\n')}\n`;
}

const HOSTILE: readonly (readonly [string, () => string])[] = [
  ['an alias bomb nested 10 levels', aliasBomb],
  ['5 MB of random bytes', () => randomBytes(5 * 1024 * 1024).toString('latin1')],
  ['5 MB of random YAML punctuation', () => Array.from(randomBytes(5 * 1024 * 1024), (b) => ':-[]{}, \n#&*!|>\'"%@`ab'[b % 24] ?? ' ').join('')],
  // Every line a broken block structure, hundreds of `---` documents: the slowest input for the parser.
  ['1 MB of random block YAML', () => Array.from(randomBytes(1024 * 1024), (b) => 'ab: \n- '[b % 7] ?? ' ').join('')],
  ['a Helm template', () => 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n  template:\n    spec:\n      containers:\n{{- range .Values.containers }}\n        - name: {{ .name }}\n{{- end }}\n'],
  ['10,000 nested flow sequences', () => `${'['.repeat(10_000)}\n`],
  ['2,000 nested block maps', () => Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
];

async function stillServes(client: TestClient, what: string): Promise<void> {
  const uri = 'untitled:normal.yaml';
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionAt(WEB, WEB.indexOf('kind: Deployment') + 8) }, 10_000);
  assert.ok(h, `hover answered after ${what}`);
  assert.ok(client.alive, `server alive after ${what}`);
}

test('hostile input does not take the server down; normal requests are still answered', { timeout: 120_000 }, async () => {
  await withServer({}, async (client) => {
    await client.open('untitled:normal.yaml', WEB);
    await client.waitForCurrent('untitled:normal.yaml', (d) => d.length > 0);
    let n = 0;
    for (const [what, make] of HOSTILE) {
      const uri = `untitled:hostile-${n++}.yaml`;
      const text = make();
      const started = Date.now();
      await client.open(uri, text);
      await client.waitForCurrent(uri, () => true, `diagnostics for ${what}`);
      // Requests on the hostile document itself are answered too (empty or not).
      await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
      await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
        context: { diagnostics: [] },
      });
      await stillServes(client, what);
      await client.close(uri);
      assert.ok(Date.now() - started < 30_000, `${what} handled in ${Date.now() - started} ms`);
      if (process.env["KG_TIMING"]) process.stderr.write(`${what}: ${Date.now() - started} ms\n`);
    }
    assert.ok(!/Unhandled|uncaught/i.test(client.logs.join('\n')), client.logs.filter((l) => /Unhandled|uncaught/i.test(l)).join('\n'));
  });
});

test('requests for documents that are not open are answered empty', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:never-opened.yaml';
    assert.equal(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(
      await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      }),
      [],
    );
    const unknown = await client.request<CodeAction>('codeAction/resolve', { title: 'x', data: { action: 'fixAllRule', uri, version: 1, ruleId: 'prestop-hook-missing' } });
    assert.equal(unknown.title, 'x');
    assert.equal(await client.request('workspace/executeCommand', { command: 'kube-graceful.showRuleDocumentation', arguments: [42] }), null);
  });
});

test('a request cancelled before the server gets to it is answered with RequestCancelled', { timeout: 20_000 }, async () => {
  await withServer({}, async (client) => {
    const uri = 'untitled:cancel.yaml';
    await client.open(uri, WEB);
    await client.waitForCurrent(uri);
    // The request and its cancellation written in one piece, so the server reads them together
    // (sent one after the other, the answer may simply win the race).
    const frame = (msg: unknown): string => {
      const body = JSON.stringify(msg);
      return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    };
    const id = 'cancel-test-1';
    let seen = '';
    const answered = new Promise<string>((resolve) => {
      const onData = (d: Buffer): void => {
        seen += d.toString('utf8');
        const at = seen.indexOf(`"id":"${id}"`);
        if (at !== -1) {
          client.proc.stdout.off('data', onData);
          resolve(seen.slice(Math.max(0, seen.lastIndexOf('{', at) - 200), at + 200));
        }
      };
      client.proc.stdout.on('data', onData);
    });
    client.proc.stdin.write(
      frame({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { textDocument: { uri }, position: positionAt(WEB, WEB.indexOf('kind:') + 7) } }) +
        frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } }),
    );
    const response = await answered;
    assert.match(response, new RegExp(`"code":${LSPErrorCodes.RequestCancelled}`));
    // The server goes on answering.
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionAt(WEB, WEB.indexOf('kind:') + 7) });
    assert.ok(hover);
  });
});
