#!/usr/bin/env node
// End-to-end test of the extension as VS Code for the Web runs it: installs kube-graceful.vsix
// into a fresh code-server whose user settings put the extension in the web worker extension
// host (`remote.extensionKind: { "kube-graceful.kube-graceful": ["web"] }`), so the workbench
// loads the "browser" entry (dist/web/extension.js) and the language server runs as a web
// worker (dist/web/server.js) with no disk. Opens a Deployment behind a Service without a
// preStop hook in headless Chromium, checks from the kube-graceful output that the server runs
// in a web worker, waits for the squiggle, applies the quick fix and checks the editor's text.
//
// Needs: npm run e2e:setup (once), npm run package.
// Exit code: 0 passed, 1 failed or timed out, 2 prerequisites missing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const lib = require('./e2e-lib');
const ui = require('./e2e-ui');

const TAG = 'e2e-web';
const FILE = 'web.yaml';
const EXTENSION_ID = 'kube-graceful.kube-graceful';
const WEB_SERVER_LOG = 'running in a web worker';
const TOTAL_TIMEOUT_MS = Number(process.env.E2E_WEB_TIMEOUT_MS || 180_000);

async function main() {
  const started = Date.now();
  const { paths } = lib;
  lib.requireFiles(TAG, [...lib.codeServerPrerequisites(), [paths.vsix, 'run `npm run package`']]);
  const shots = path.join(paths.screenshots, 'web');
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const sandbox = lib.makeSandbox('web', { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } });
  const logFile = path.join(paths.logs, 'e2e-web-code-server.log');
  const consoleLines = [];
  const step = (text) => lib.log(TAG, `${text} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let server;
  let browser;
  let page;
  let failure;
  try {
    const installed = lib.installExtension(sandbox, paths.vsix);
    if (!/successfully installed/i.test(installed)) throw new Error(`installing the .vsix said:\n${installed}`);
    step('installed kube-graceful.vsix');
    server = await lib.startCodeServer(sandbox, { logFile });
    browser = await lib.launchBrowser(sandbox);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    const shot = (name) => page.screenshot({ path: path.join(shots, name) });
    await lib.withTimeout(run(page, server, sandbox, step, shot), TOTAL_TIMEOUT_MS, `the web test did not finish within ${TOTAL_TIMEOUT_MS} ms`);
    checkConsole(consoleLines);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    if (page) await page.screenshot({ path: path.join(shots, 'failure.png'), timeout: 10_000 }).catch(() => undefined);
  } finally {
    if (browser) await lib.withTimeout(browser.close(), 10_000, 'browser close').catch(() => undefined);
    if (server) await server.stop();
  }
  fs.mkdirSync(paths.logs, { recursive: true });
  fs.writeFileSync(path.join(paths.logs, 'e2e-web-browser-console.log'), consoleLines.join('\n'));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failure === undefined) {
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
    console.log(`e2e web: PASSED (${seconds} s)`);
    process.exit(0);
  }
  console.error(`--- last lines of ${path.relative(paths.root, logFile)} ---\n${lib.tail(logFile)}`);
  console.error(`--- browser console: .e2e/logs/e2e-web-browser-console.log ---\n${consoleLines.slice(-30).join('\n')}`);
  console.error(`(sandbox kept for inspection: ${sandbox.dir}; screenshots in ${shots})`);
  console.error(`e2e web: FAILED: ${failure} (${seconds} s)`);
  process.exit(1);
}

/** The workbench must not report the extension failing in the web worker host. */
function checkConsole(lines) {
  const bad = lines.filter((l) => /kube-graceful/i.test(l) && /^error:/.test(l) && /activat|worker|Cannot find module/i.test(l));
  if (bad.length > 0) throw new Error(`the browser console reports errors of the extension:\n${bad.join('\n')}`);
}

async function run(page, server, sandbox, step, shot) {
  const editorText = async () => (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  await page.goto(`${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}`, { timeout: 30_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  step('workbench visible');

  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  step(`${FILE} open`);

  await page.locator(ui.SQUIGGLE).first().waitFor({ timeout: 60_000 });
  step('squiggle shown');
  const hover = await ui.hoverWithQuickFix(page, ui.RULE);
  lib.log(TAG, `hover: ${hover.text.replace(/\s+/g, ' ').trim()}`);
  await shot('1-diagnostic-hover.png');
  await ui.applyPreferredQuickFix(page, hover, shot);
  await ui.waitUntil('the editor to show a preStop key', async () => /^\s+preStop:/m.test(await editorText()));
  await ui.waitUntil('the squiggles to go away', async () => (await page.locator(ui.SQUIGGLE).count()) === 0);
  const text = await editorText();
  if (!/^\s+lifecycle:\s*$/m.test(text) || !/^\s+sleep:\s*$/m.test(text)) throw new Error(`the fixed text has no lifecycle sleep:\n${text}`);
  step('quick fix applied: the editor has the preStop hook');
  await shot('2-after-fix.png');

  await expectWebWorkerServer(page);
  step('the kube-graceful output says the server runs in a web worker');
  await shot('3-output.png');
}

/** Opens the kube-graceful output channel and waits for the web worker server's start line. */
async function expectWebWorkerServer(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('>kube-graceful: Show output');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show output' }).first().waitFor();
  await page.keyboard.press('Enter');
  const output = page.locator('.part.panel .monaco-editor .view-lines').first();
  await output.waitFor();
  let seen = '';
  await ui
    .waitUntil('the output to say the server runs in a web worker', async () => {
      seen = (await output.innerText()).replace(/\u00a0/g, ' ');
      return seen.includes(WEB_SERVER_LOG);
    }, 30_000)
    .catch((error) => {
      throw new Error(`${error.message}; the output shows:\n${seen.slice(-1500)}`);
    });
}

main().catch((error) => {
  console.error(`e2e web: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
