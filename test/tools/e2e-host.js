#!/usr/bin/env node
// Runs the extension-host test suite (test/out/e2e/suite/index.js) inside a real VS Code
// extension host, offline: code-server serves VS Code's workbench, headless Chromium opens it
// with a payload that loads this repository as the extension under development and the suite
// as extensionTestsPath; the suite's exit code comes back through codeAutomationExit.
//
// Needs: npm run e2e:setup (once), npm run build, npm run bundle.
// E2E_EXTENSION_DIR=<folder> tests another copy of the extension instead of this repository.
// Exit code: 0 passed, 1 failed or timed out, 2 prerequisites missing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const lib = require('./e2e-lib');

const TAG = 'e2e-host';
/** Lines the suite's harness prints (results and their details). */
const SUITE_LINE = /^( {2}(ok|FAIL) | {7}|e2e host suite:)/;
const SUITE_TIMEOUT_MS = Number(process.env.E2E_SUITE_TIMEOUT_MS || 180_000);

async function main() {
  const started = Date.now();
  const { paths } = lib;
  const suite = path.resolve(process.env.E2E_TESTS_PATH || path.join(paths.root, 'test', 'out', 'e2e', 'suite', 'index.js'));
  // The extension under test: this repository (its package.json points at dist/), or another
  // folder with the same layout, e.g. an unpacked .vsix.
  const extensionDir = path.resolve(process.env.E2E_EXTENSION_DIR || paths.root);
  lib.requireFiles(TAG, [
    ...lib.codeServerPrerequisites(),
    [path.join(extensionDir, 'dist', 'extension.js'), 'run `npm run bundle`'],
    [
      ['dist/server.js', 'server/out/lsp/main.js'].map((p) => path.join(extensionDir, p)).find((p) => fs.existsSync(p)) ??
        path.join(extensionDir, 'dist', 'server.js'),
      'run `npm run bundle` (or `npm run build` for server/out)',
    ],
    [suite, 'run `npm run build`'],
  ]);

  const sandbox = lib.makeSandbox('host');
  const logFile = path.join(paths.logs, 'e2e-host-code-server.log');
  const consoleFile = path.join(paths.logs, 'e2e-host-console.log');
  let server;
  let browser;
  let result = { code: 1, reason: 'did not finish' };
  try {
    server = await lib.startCodeServer(sandbox, {
      logFile,
      extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    });
    lib.log(TAG, `code-server on ${server.url} (${Date.now() - started} ms)`);

    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(suite)],
    ];
    const url =
      `${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await lib.launchBrowser(sandbox);
    const page = browser.pages()[0] ?? (await browser.newPage());
    let resolveExit;
    const exited = new Promise((resolve) => {
      resolveExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(typeof code === 'number' ? code : 1);
    });
    // The workbench's console is noisy offline (gallery lookups, auth providers): keep all of it
    // in a log file and echo only the suite's own lines, unless E2E_VERBOSE is set.
    const consoleLog = fs.createWriteStream(consoleFile);
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? args.map(String).join(' ') : String(args);
      for (const line of text.split('\n')) {
        consoleLog.write(`[${type}] ${line}\n`);
        if (process.env.E2E_VERBOSE || SUITE_LINE.test(line)) console.log(`[host] ${line}`);
      }
    });
    await page.goto(url, { timeout: 30_000 });
    const code = await lib.withTimeout(exited, SUITE_TIMEOUT_MS, `the suite did not finish within ${SUITE_TIMEOUT_MS} ms`);
    result = { code: code === 0 ? 0 : 1, reason: `suite exit code ${code}` };
  } catch (error) {
    result = { code: 1, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    if (browser) await lib.withTimeout(browser.close(), 10_000, 'browser close').catch(() => undefined);
    if (server) await server.stop();
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.code === 0) {
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
    console.log(`e2e host: PASSED (${seconds} s)`);
  } else {
    console.error(`--- last lines of ${path.relative(paths.root, logFile)} ---\n${lib.tail(logFile)}`);
    console.error(`(workbench and extension host console: ${path.relative(paths.root, consoleFile)})`);
    console.error(`(sandbox kept for inspection: ${sandbox.dir})`);
    console.error(`e2e host: FAILED: ${result.reason} (${seconds} s)`);
  }
  process.exit(result.code);
}

main().catch((error) => {
  console.error(`e2e host: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
