#!/usr/bin/env node
/**
 * npm run bench:files [-- options]
 *
 * The many-file path: generates repositories of small manifests — one folder per service with its
 * Deployment, its Service and three ConfigMaps (five files), one namespace — at 200, 2,000 and
 * 20,000 files in a temporary directory, then measures in the same run, each in its own process:
 *   - a bare `yaml` parse of the same files (walk the tree, read, parseAllDocuments);
 *   - `kube-graceful -f json <dir>` (the report goes to a file);
 * and prints a table: files, bare parse time, CLI time, ratio, peak RSS of each. Every process
 * has a time limit; a run that hits it is shown as "timeout", one that runs out of heap as "OOM".
 * Peak RSS comes from /usr/bin/time -v when present, else from process.resourceUsage() of the
 * measured process (recorded at its exit by a preloaded module).
 *
 * Options: --sizes 200,2000,20000 (file counts, rounded to whole services), --timeout S (per
 * process, default 120), --heap MB (--max-old-space-size for both), --keep (leave the trees),
 * --dir DIR (where to generate, default a new temporary directory), --runs N (best of N runs of
 * each, alternating; default 1).
 *
 * Internal: `many-files.js --parse <dir>` is the bare-parse process.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'bin', 'kube-graceful.js');
const OUT = path.join(__dirname, 'out');
const FILES_PER_SERVICE = 5;
const NAMESPACE = 'platform';

// ---------------------------------------------------------------- the bare-parse process

/** The files the CLI reads: *.yaml / *.yml, recursively, node_modules and .git skipped. */
function walk(dir, out) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of entries) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (d.name !== 'node_modules' && d.name !== '.git') walk(full, out);
    } else if (d.isFile() && /\.ya?ml$/i.test(d.name)) out.push(full);
  }
  return out;
}

function bareParse(dir) {
  const YAML = require(path.join(ROOT, 'node_modules', 'yaml'));
  let documents = 0;
  for (const file of walk(dir, [])) {
    const text = fs.readFileSync(file, 'utf8');
    documents += YAML.parseAllDocuments(text).length;
  }
  process.stdout.write(`${documents}\n`);
}

// ---------------------------------------------------------------- the repository

function deployment(i, name, withHook) {
  const hook = withHook
    ? `        lifecycle:
          preStop:
            sleep:
              seconds: 10
`
    : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
  labels:
    app: ${name}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: ${withHook ? 30 : 20 + (i % 3) * 5}
      containers:
      - name: app
        image: registry.example.com/${name}:1.${i % 10}.0
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        envFrom:
        - configMapRef:
            name: ${name}-env
        volumeMounts:
        - name: config
          mountPath: /etc/${name}
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
${hook}      volumes:
      - name: config
        configMap:
          name: ${name}-config
`;
}

function service(name) {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
spec:
  selector:
    app: ${name}
  ports:
  - name: http
    port: 80
    targetPort: http
`;
}

function configMap(name, suffix, i) {
  const data = [];
  for (let k = 0; k < 3 + (i % 4); k++) data.push(`  key_${k}: "value ${i}-${k}"`);
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-${suffix}
  namespace: ${NAMESPACE}
data:
${data.join('\n')}
`;
}

/** Writes `services` service folders under `dir`; returns the file count and bytes. */
function generateRepository(dir, services) {
  fs.rmSync(dir, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  const write = (file, text) => {
    fs.writeFileSync(file, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  for (let i = 0; i < services; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const folder = path.join(dir, 'services', name);
    fs.mkdirSync(folder, { recursive: true });
    // Two in three have a hook, so the run has findings to report, as a real repository does.
    write(path.join(folder, 'deployment.yaml'), deployment(i, name, i % 3 !== 0));
    write(path.join(folder, 'service.yaml'), service(name));
    write(path.join(folder, 'configmap-config.yaml'), configMap(name, 'config', i));
    write(path.join(folder, 'configmap-env.yaml'), configMap(name, 'env', i + 1));
    write(path.join(folder, 'configmap-files.yaml'), configMap(name, 'files', i + 2));
  }
  return { files, bytes };
}

// ---------------------------------------------------------------- measuring a process

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' }).status === 0;
// coreutils `timeout` kills the measured process itself (not only a wrapper around it).
const hasTimeout = spawnSync('timeout', ['--version'], { encoding: 'utf8' }).status === 0;
const KILLED_BY_TIMEOUT = 128 + 9;
const RSS_PRELOAD = path.join(OUT, 'many-files-rss.js');

/**
 * Runs `node <args>` with a time limit; returns wall time, peak RSS (MiB), exit status and what
 * went wrong ("timeout", "OOM", "exit N").
 */
function measure(nodeArgs, { timeoutS, heapMiB, stdoutFile }) {
  const heap = heapMiB ? [`--max-old-space-size=${heapMiB}`] : [];
  const rssFile = path.join(OUT, `many-files-rss-${process.pid}.txt`);
  fs.rmSync(rssFile, { force: true });
  const node = hasGnuTime ? [process.execPath, ...heap, ...nodeArgs] : [process.execPath, ...heap, '--require', RSS_PRELOAD, ...nodeArgs];
  const limited = hasTimeout ? ['timeout', '--signal=KILL', String(timeoutS), ...node] : node;
  const argv = hasGnuTime ? [GNU_TIME, '-v', ...limited] : limited;
  const out = fs.openSync(stdoutFile, 'w');
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: ['ignore', out, 'pipe'],
    encoding: 'utf8',
    // A last resort: `timeout` ends the run first; without it, this kills the process directly.
    timeout: (hasTimeout ? timeoutS + 30 : timeoutS) * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KG_BENCH_RSS_FILE: rssFile },
  });
  const ms = performance.now() - t0;
  fs.closeSync(out);
  const stderr = r.stderr ?? '';
  let rssMiB;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (m) rssMiB = Number(m[1]) / 1024;
  else if (fs.existsSync(rssFile)) rssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  // GNU time exits with the measured command's status, or says which signal ended it.
  const signalled = /Command terminated by signal (\d+)/.exec(stderr)?.[1];
  const status = signalled !== undefined ? null : r.status;
  const killed = r.signal === 'SIGKILL' || r.status === KILLED_BY_TIMEOUT || signalled === '9';
  let problem = null;
  if ((r.error && /ETIMEDOUT/.test(String(r.error.code ?? r.error))) || (killed && ms >= timeoutS * 1000)) problem = 'timeout';
  else if (/heap out of memory|Allocation failed/i.test(stderr) || r.status === 134 || r.signal === 'SIGABRT' || signalled === '6') problem = 'OOM';
  else if (r.signal || signalled !== undefined) problem = `killed (${r.signal ?? `signal ${signalled}`})`;
  // A process killed at the time limit leaves no reliable peak (the wrapper may not have reaped it).
  if (problem === 'timeout') rssMiB = undefined;
  return { ms, rssMiB, status, problem, stderrTail: stderr.split('\n').filter((l) => !/^\t/.test(l) && l.trim() !== '').slice(-3).join(' | ') };
}

// ---------------------------------------------------------------- main

function parseArgs(argv) {
  const get = (name, dflt) => {
    const i = argv.indexOf(name);
    return i === -1 ? dflt : argv[i + 1];
  };
  return {
    sizes: get('--sizes', '200,2000,20000')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0),
    timeoutS: Number(get('--timeout', '120')),
    heapMiB: get('--heap', undefined),
    keep: argv.includes('--keep'),
    dir: get('--dir', undefined),
    runs: Math.max(1, Number(get('--runs', '1'))),
  };
}

const fmtS = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
const fmtMiB = (x) => (x === undefined ? 'n/a' : `${Math.round(x)} MiB`);
const count = (n) => n.toLocaleString('en-US');

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'server', 'out', 'cli', 'main.js'))) throw new Error('server/out not found: run npm run build');
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(RSS_PRELOAD, "'use strict';\nprocess.on('exit', () => { require('node:fs').writeFileSync(process.env.KG_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n");
  const base = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-many-files-'));
  const log = (s) => process.stdout.write(`${s}\n`);
  log(`kube-graceful many-file benchmark, ${new Date().toISOString()}`);
  log(`${os.availableParallelism()} CPUs (${os.cpus()[0]?.model?.trim() ?? 'unknown CPU'}), Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  log(`peak RSS from ${hasGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage() of the measured process'}; time limit ${opts.timeoutS} s per process${opts.heapMiB ? `; heap limit ${opts.heapMiB} MiB` : ''}`);
  const rows = [];
  for (const size of opts.sizes) {
    const services = Math.max(1, Math.round(size / FILES_PER_SERVICE));
    const dir = path.join(base, `repo-${size}`);
    const repo = generateRepository(dir, services);
    log(`${count(repo.files)} files (${services} services, ${(repo.bytes / 1e6).toFixed(1)} MB) in ${dir} ...`);
    // Best of `runs`, alternating the two, so that other work on the machine weighs on both alike.
    let parse;
    let cli;
    const reportFile = path.join(OUT, 'many-files-report.json');
    for (let run = 0; run < opts.runs; run++) {
      const p = measure([__filename, '--parse', dir], { ...opts, stdoutFile: path.join(OUT, 'many-files-parse.txt') });
      if (!parse || (!p.problem && (parse.problem || p.ms < parse.ms))) parse = p;
      const c = measure([CLI, '-f', 'json', dir], { ...opts, stdoutFile: reportFile });
      if (!cli || (!c.problem && (cli.problem || c.ms < cli.ms))) cli = c;
    }
    log(`  bare yaml parse: ${parse.problem ?? fmtS(parse.ms)}, ${fmtMiB(parse.rssMiB)}`);
    let reported = null;
    if (!cli.problem && (cli.status === 0 || cli.status === 1)) {
      try {
        reported = JSON.parse(fs.readFileSync(reportFile, 'utf8')).length;
      } catch {
        cli.problem = 'bad report';
      }
    } else if (!cli.problem) cli.problem = `exit ${cli.status}`;
    log(`  kube-graceful -f json: ${cli.problem ?? fmtS(cli.ms)}, ${fmtMiB(cli.rssMiB)}${cli.problem ? (cli.stderrTail ? ` (${cli.stderrTail})` : '') : `, ${count(reported)} files reported`}`);
    rows.push({ files: repo.files, services, bytes: repo.bytes, parse, cli, reported });
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!opts.keep && !opts.dir) fs.rmSync(base, { recursive: true, force: true });

  const lines = [
    '',
    '| files | bare `yaml` parse | `kube-graceful -f json <dir>` | ratio | peak RSS (parse / CLI) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const cliCell = r.cli.problem ? `${r.cli.problem} after ${fmtS(r.cli.ms)}` : fmtS(r.cli.ms);
    const ratio = r.cli.problem || r.parse.problem ? '—' : `${(r.cli.ms / r.parse.ms).toFixed(2)}×`;
    lines.push(`| ${count(r.files)} | ${r.parse.problem ?? fmtS(r.parse.ms)} | ${cliCell} | ${ratio} | ${fmtMiB(r.parse.rssMiB)} / ${fmtMiB(r.cli.rssMiB)} |`);
  }
  const ok = rows.filter((r) => !r.cli.problem && !r.parse.problem);
  const at = (n) => ok.find((r) => r.files === n);
  const first = at(2000) ?? ok[0];
  const last = ok[ok.length - 1];
  if (first && last && first !== last) {
    const growth = last.cli.ms / last.parse.ms / (first.cli.ms / first.parse.ms);
    lines.push('', `Ratio at ${count(last.files)} files / ratio at ${count(first.files)} files: ${growth.toFixed(2)} (1.00 is linear in the parse).`);
  }
  lines.push('Goal: at most 1.5× the bare parse, peak RSS under 500 MB, the same ratio at 2,000 and 20,000 files.');
  log(lines.join('\n'));
  fs.writeFileSync(path.join(OUT, 'many-files.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, opts, rows }, null, 2));
}

if (process.argv[2] === '--parse') bareParse(process.argv[3]);
else main();
