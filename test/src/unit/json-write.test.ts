/**
 * The JSON stream writer of the YAML layer: its text cut as `splitDocuments` cuts it, and each
 * chunk's parse, built while writing, equal to what the parser reads from the chunk's text
 * (values, scalar types, ranges, and so the model); a chunk it cannot be sure of has none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readChunk } from '../../../server/out/core/pipeline/cache';
import { JsonStreamWriter, type JsonScalar } from '../../../server/out/core/yaml/json-write';
import { parseChunk, splitDocuments } from '../../../server/out/core/yaml/parse';

type Value = JsonScalar | readonly Value[] | { readonly [k: string]: Value };

function write(w: JsonStreamWriter, v: Value): void {
  if (Array.isArray(v)) {
    w.beginList();
    for (const x of v as readonly Value[]) write(w, x);
    w.endList();
  } else if (v !== null && typeof v === 'object') {
    w.beginMap();
    for (const [k, x] of Object.entries(v)) {
      w.key(k);
      write(w, x);
    }
    w.endMap();
  } else w.scalar(v);
}

function written(docs: readonly Value[]): ReturnType<JsonStreamWriter['finish']> {
  const w = new JsonStreamWriter();
  for (const d of docs) {
    w.beginDocument();
    write(w, d);
    w.endDocument();
  }
  return w.finish();
}

const deployment: Value = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', 'x.io/tier': 'front' }, annotations: {} },
  spec: {
    replicas: 3,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 45,
        containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }], lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } }, args: [] }],
      },
    },
  },
};

const scalars: Value = {
  kind: 'ConfigMap',
  metadata: { name: 'odd' },
  data: { a: 'quote " and \\ backslash', b: 'tab\tnew\nline\r\u0001\b\f', c: 'caf\u00e9 \u2019 \u00a0', d: '', e: '1.30', f: 'true' },
  numbers: [0, -0, 1.5, -2, 1e21, 5e-7, 2 ** 64, Number.NaN, Number.POSITIVE_INFINITY],
  other: [true, false, null],
};

function jsonOf(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (v instanceof Map ? [...(v as Map<unknown, unknown>)] : v instanceof Set ? [...(v as Set<unknown>)] : v));
}

test('the writer cuts its text as splitDocuments does, and each chunk parses as it was built', () => {
  const dashboard = { kind: 'ConfigMap', metadata: { name: 'dashboards' }, data: { 'd.json': '{"panels": [{"a": [1, 2]}]}'.repeat(2000) } };
  const { text, chunks } = written([deployment, scalars, { kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, dashboard]);
  assert.deepEqual(
    chunks.map((c) => ({ start: c.start, text: c.text })),
    splitDocuments(text),
  );
  assert.equal(chunks.length, 4);
  chunks.forEach((c, i) => {
    assert.ok(c.parsed, `chunk ${i} has its parse`);
    const real = parseChunk(c.text);
    assert.equal(real.error, undefined);
    assert.deepEqual(
      c.parsed.docs.map((d) => d.toJS() as unknown),
      real.docs.map((d) => d.toJS() as unknown),
    );
    assert.equal(jsonOf(readChunk(c.parsed, 0, i)), jsonOf(readChunk(real, 0, i)));
  });
});

test('the writer leaves a chunk to the parser where it cannot be sure of the parse', () => {
  const unsure: Value[] = [
    { kind: 'ConfigMap', data: { a: '{{ .Values.x }}' } },
    { kind: 'ConfigMap', data: { a: 'line\u2028separator' } },
    { kind: 'ConfigMap', data: { a: 'emoji \u{1F600}' } },
    { kind: 'ConfigMap', data: { a: '\u007f' } },
  ];
  for (const v of unsure) assert.equal(written([v]).chunks[0]?.parsed, undefined, JSON.stringify(v));
  // A duplicate key, in a small map and in a big one: the parser reports it.
  const w = new JsonStreamWriter();
  w.beginDocument();
  w.beginMap();
  w.key('kind');
  w.scalar('ConfigMap');
  w.key('kind');
  w.scalar('Secret');
  w.endMap();
  w.endDocument();
  w.beginDocument();
  w.beginMap();
  for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'c']) {
    w.key(k);
    w.scalar(1);
  }
  w.endMap();
  w.endDocument();
  const { chunks } = w.finish();
  assert.deepEqual(
    chunks.map((c) => c.parsed),
    [undefined, undefined],
  );
  assert.match(parseChunk(chunks[0]?.text ?? '').error?.message ?? '', /unique/);
  // Nesting near the parser's limit.
  let deep: Value = 'x';
  for (let i = 0; i < 600; i++) deep = [deep];
  assert.equal(written([{ kind: 'ConfigMap', deep }]).chunks[0]?.parsed, undefined);
  const brackets = written([{ kind: 'ConfigMap', data: { a: '['.repeat(600) } }]).chunks[0];
  assert.equal(brackets?.parsed, undefined);
  assert.equal(parseChunk(brackets?.text ?? '').tooDeep, true);
  // No document: one empty chunk, as the parser sees it.
  assert.deepEqual(written([]).chunks, [{ start: 0, text: '\n', parsed: undefined }]);
});
