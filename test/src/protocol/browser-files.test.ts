// The web worker server's file access, tested directly with a fake client: URIs as paths and
// back, posix path operations, answers fetched for synchronous reads, and the index's reads ahead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientFiles } from '../../../server/out/lsp/browser/clientFiles';
import { ClientWorkspaceFiles, READ_AHEAD } from '../../../server/out/lsp/browser/files';
import type { ClientRequests } from '../../../server/out/lsp/browser/protocol';
import { BrowserUris } from '../../../server/out/lsp/browser/uris';
import { POSIX } from '../../../server/out/lsp/disk/posix';

const ROOT = 'vscode-vfs://github/example/shop';

test('a URI is its path; a path maps back to the URI it was seen with, else to the nearest folder seen', () => {
  const uris = new BrowserUris();
  assert.equal(uris.uriToPath(`${ROOT}/deploy/my%20app.yaml`), '/example/shop/deploy/my app.yaml');
  assert.equal(uris.pathToUri('/example/shop/deploy/my app.yaml'), `${ROOT}/deploy/my%20app.yaml`);
  assert.equal(uris.pathToUri('/example/shop/deploy/.kube-graceful.yaml'), `${ROOT}/deploy/.kube-graceful.yaml`);
  assert.equal(uris.uriToPath('untitled:Untitled-1'), undefined);
  assert.equal(uris.normalizeUri(`VSCODE-VFS://github/example/shop/a/../b%2Dc.yaml`), `vscode-vfs://github/example/shop/b-c.yaml`);
  assert.equal(uris.normalizeUri('untitled:Untitled-1'), 'untitled:Untitled-1');
});

test('posix path operations', () => {
  assert.equal(POSIX.join('/a/b', '../c', 'd.yaml'), '/a/c/d.yaml');
  assert.equal(POSIX.dirname('/a/b/c.yaml'), '/a/b');
  assert.equal(POSIX.dirname('/a'), '/');
  assert.equal(POSIX.basename('/a/b/c.yaml'), 'c.yaml');
  assert.equal(POSIX.relative('/a/b', '/a/b/templates/x.yaml'), 'templates/x.yaml');
  assert.equal(POSIX.relative('/a/b', '/a/c/x.yaml'), '../c/x.yaml');
  assert.equal(POSIX.relative('/a/b', '/a/b'), '');
});

/** A client whose answers the test releases by hand, recording what was asked. */
function manualClient(files: Map<string, string>): { requests: ClientRequests; asked: string[]; release: () => Promise<void> } {
  const asked: string[] = [];
  let queue: (() => void)[] = [];
  const later = <T>(value: () => T): Promise<T> => new Promise((resolve) => queue.push(() => resolve(value())));
  const path = (u: unknown): string => String((u as { uri: string }).uri).slice(ROOT.length);
  return {
    asked,
    requests: {
      listFiles: (p) => (asked.push(`list ${p.base.slice(ROOT.length)} ${p.pattern}`), later(() => [...files.keys()].filter((k) => k.endsWith('.tpl')).map((k) => ROOT + k))),
      readFile: (p) => (asked.push(`read ${path(p)}`), later(() => files.get(path(p)) ?? null)),
      stat: (p) => (asked.push(`stat ${path(p)}`), later(() => (files.has(path(p)) ? { type: 'file', size: 1, mtime: 1 } : null))),
    },
    release: async () => {
      const now = queue;
      queue = [];
      for (const r of now) r();
      // Let the answers settle and the batched notification run.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

test('synchronous reads answer "missing" until fetched, then the listeners hear once; a file event fetches again and keeps the old answer meanwhile', async () => {
  const files = new Map([['/values.yaml', 'a: 1\n'], ['/templates/_helpers.tpl', '{{- define "x" -}}{{- end }}']]);
  const client = manualClient(files);
  const uris = new BrowserUris();
  uris.uriToPath(`${ROOT}/`);
  const changed: string[] = [];
  const access = new ClientFiles(client.requests, uris, () => undefined, (p) => changed.push(p));
  let heard = 0;
  access.onFetched(() => heard++);

  assert.equal(access.readFileSync('/example/shop/values.yaml'), undefined);
  assert.equal(access.statSync('/example/shop/values.yaml'), undefined);
  assert.deepEqual(access.findSync('/example/shop/templates', '_*.tpl'), []);
  assert.equal(access.readFileSync('/example/shop/values.yaml'), undefined, 'asked once');
  assert.deepEqual(client.asked, ['read /values.yaml', 'stat /values.yaml', 'list /templates **/_*.tpl']);
  const before = access.generation;
  await client.release();
  assert.equal(heard, 1, 'one notification for the answers that arrived together');
  assert.ok(access.generation > before);
  assert.equal(access.readFileSync('/example/shop/values.yaml'), 'a: 1\n');
  assert.equal(access.statSync('/example/shop/values.yaml')?.type, 'file');
  assert.deepEqual(access.findSync('/example/shop/templates', '_*.tpl'), ['/example/shop/templates/_helpers.tpl']);

  files.set('/values.yaml', 'a: 2\n');
  access.changed('/example/shop/values.yaml');
  assert.deepEqual(changed, ['/example/shop/values.yaml']);
  assert.equal(access.readFileSync('/example/shop/values.yaml'), 'a: 1\n', 'the old text until the new one arrives');
  await client.release();
  assert.equal(heard, 2);
  assert.equal(access.readFileSync('/example/shop/values.yaml'), 'a: 2\n');

  // An answer that did not change is not news.
  access.changed('/example/shop/values.yaml');
  await client.release();
  assert.equal(heard, 2);
});

test('the index reads ahead of itself, and a file event drops an answer read ahead', async () => {
  const files = new Map(Array.from({ length: 20 }, (_, i) => [`/f${String(i).padStart(2, '0')}.yaml`, `n: ${i}\n`] as [string, string]));
  const asked: string[] = [];
  const requests: ClientRequests = {
    listFiles: () => Promise.resolve([...files.keys()].map((k) => ROOT + k)),
    readFile: (p) => {
      const path = p.uri.slice(ROOT.length);
      asked.push(path);
      return Promise.resolve(files.get(path) ?? null);
    },
    stat: () => Promise.resolve(null),
  };
  const uris = new BrowserUris();
  const reader = new ClientWorkspaceFiles(requests, uris);
  const folder = { uri: ROOT, path: '/example/shop', exclude: () => false };
  const listed = await reader.list([folder], () => true);
  assert.equal(listed?.length, 20);
  assert.equal(await reader.read('/example/shop/f00.yaml', 1000), 'n: 0\n');
  assert.deepEqual(asked, ['/f00.yaml', ...Array.from({ length: READ_AHEAD }, (_, i) => `/f${String(i + 1).padStart(2, '0')}.yaml`)], 'the file asked for first, then the next ones');
  files.set('/f01.yaml', 'n: changed\n');
  reader.forget('/example/shop/f01.yaml');
  assert.equal(await reader.read('/example/shop/f01.yaml', 1000), 'n: changed\n');
  assert.equal(await reader.read('/example/shop/f02.yaml', 1000), 'n: 2\n');
  assert.equal(asked.filter((p) => p === '/f02.yaml').length, 1, 'read once, ahead');
});
