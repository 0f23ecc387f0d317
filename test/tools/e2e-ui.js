#!/usr/bin/env node
// UI end-to-end test of the packaged extension, as a user gets it: installs kube-graceful.vsix
// into a fresh code-server, opens a fixture manifest in headless Chromium, waits for the
// squiggle, reads its hover, applies the quick fix with Ctrl+. and Enter, saves with Ctrl+S
// and checks the file on disk; then checks that a suppression comment is highlighted by the
// directive grammar, and that the hover of a pod with a hook and an app timeout shows the
// termination timeline picture. Screenshots go to .e2e/screenshots/; with --update-images the README
// pictures in client/images/ are refreshed from them.
//
// Needs: npm run e2e:setup (once), npm run package.
// Exit code: 0 passed, 1 failed or timed out, 2 prerequisites missing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const lib = require('./e2e-lib');

const TAG = 'e2e-ui';
const FILE = 'web.yaml';
const RULE = 'prestop-hook-missing';
const DIRECTIVE_FILE = 'suppressed.yaml';
const TIMELINE_FILE = 'checkout.yaml';
const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';
const TOTAL_TIMEOUT_MS = Number(process.env.E2E_UI_TIMEOUT_MS || 180_000);
/** Editor-only crops taken beside the full-window screenshots, copied by --update-images. */
const README_IMAGES = [
  ['readme-diagnostic-hover.png', 'screenshot-diagnostic.png'],
  ['readme-after-fix.png', 'screenshot-fixed.png'],
  ['readme-directive.png', 'screenshot-directive.png'],
  ['readme-timeline-hover.png', 'screenshot-timeline.png'],
];

async function main() {
  const started = Date.now();
  const { paths } = lib;
  const updateImages = process.argv.includes('--update-images');
  lib.requireFiles(TAG, [...lib.codeServerPrerequisites(), [paths.vsix, 'run `npm run package`']]);

  fs.rmSync(paths.screenshots, { recursive: true, force: true });
  fs.mkdirSync(paths.screenshots, { recursive: true });
  const sandbox = lib.makeSandbox('ui');
  const logFile = path.join(paths.logs, 'e2e-ui-code-server.log');
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
    await lib.withTimeout(run(page, server, sandbox, step), TOTAL_TIMEOUT_MS, `the UI test did not finish within ${TOTAL_TIMEOUT_MS} ms`);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    if (page) {
      await page
        .screenshot({ path: path.join(paths.screenshots, 'failure.png'), timeout: 10_000 })
        .catch(() => undefined);
    }
  } finally {
    if (browser) await lib.withTimeout(browser.close(), 10_000, 'browser close').catch(() => undefined);
    if (server) await server.stop();
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failure === undefined) {
    if (updateImages) {
      for (const [from, to] of README_IMAGES) {
        fs.copyFileSync(path.join(paths.screenshots, from), path.join(paths.root, 'client', 'images', to));
        lib.log(TAG, `updated client/images/${to}`);
      }
    }
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
    console.log(`e2e ui: PASSED (${seconds} s; screenshots in ${path.relative(paths.root, paths.screenshots)}/)`);
    process.exit(0);
  }
  console.error(`--- last lines of ${path.relative(paths.root, logFile)} ---\n${lib.tail(logFile)}`);
  console.error(`(sandbox kept for inspection: ${sandbox.dir}; screenshots in ${paths.screenshots})`);
  console.error(`e2e ui: FAILED: ${failure} (${seconds} s)`);
  process.exit(1);
}

/** The user's path through the workbench. Every wait is on a condition, with a timeout. */
async function run(page, server, sandbox, step) {
  const shot = (name) => page.screenshot({ path: path.join(lib.paths.screenshots, name) });
  const editorShot = (name) =>
    page.locator('.monaco-workbench .part.editor').screenshot({ path: path.join(lib.paths.screenshots, name) });
  const editorText = async () => (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');

  await page.goto(`${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}`, { timeout: 30_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  step('workbench visible');

  // Open the manifest from the explorer.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  step(`${FILE} open`);

  // The diagnostic: a squiggle whose hover names the rule.
  await page.locator(SQUIGGLE).first().waitFor({ timeout: 60_000 });
  step('squiggle shown');
  const hover = await hoverWithQuickFix(page, RULE);
  lib.log(TAG, `hover: ${hover.text.replace(/\s+/g, ' ').trim()}`);
  await shot('1-diagnostic-hover.png');
  await editorShot('readme-diagnostic-hover.png');

  await applyPreferredQuickFix(page, hover, shot);
  await waitUntil('the editor to show a preStop key', async () => /^\s+preStop:/m.test(await editorText()));
  await waitUntil('the squiggles to go away', async () => (await page.locator(SQUIGGLE).count()) === 0);
  step('quick fix applied');

  // Save and read the file back from disk.
  // VS Code may already have saved it (files.refactoring.autoSave covers code action edits);
  // Ctrl+S is then a no-op, which is what a user pressing it would get too.
  const dirty = (await page.locator('.tabs-container .tab.active.dirty').count()) > 0;
  lib.log(TAG, `editor ${dirty ? 'dirty' : 'already saved by VS Code'} after the fix; pressing Ctrl+S`);
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active:not(.dirty)', { hasText: FILE }).waitFor();
  // The tab turns clean when the workbench has handed the text over; the write to disk can
  // land a moment later, so poll the file.
  const file = path.join(sandbox.workspace, FILE);
  let onDisk = '';
  await waitUntil(`${FILE} on disk to have a preStop key`, () => {
    onDisk = fs.readFileSync(file, 'utf8');
    return /^\s+preStop:/m.test(onDisk);
  }, 10_000).catch((error) => {
    throw new Error(`${error.message}; the file:\n${onDisk}`);
  });
  if (!onDisk.startsWith('# A web Deployment')) throw new Error(`${FILE} lost its header comment:\n${onDisk}`);
  step('saved; the file on disk has the preStop hook');
  await page.mouse.move(5, 5);
  await shot('3-after-fix.png');
  await editorShot('readme-after-fix.png');

  // The directive grammar: in a suppression comment the directive and the rule id are
  // coloured apart from the rest of the comment (VS Code loaded the injection into YAML).
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: DIRECTIVE_FILE }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: DIRECTIVE_FILE }).waitFor();
  const line = page.locator('.monaco-editor .view-line', { hasText: 'kube-graceful-disable-next-line' }).first();
  await line.waitFor();
  const colorOf = async (text) => {
    const span = line.locator('span > span', { hasText: text }).first();
    await span.waitFor();
    return span.evaluate((el) => getComputedStyle(el).color);
  };
  const directive = await colorOf('kube-graceful-disable-next-line');
  const rule = await colorOf(RULE);
  const reason = await colorOf('the gateway retries');
  lib.log(TAG, `directive colours: directive ${directive}, rule ${rule}, reason ${reason}`);
  if (directive === reason || rule === reason) {
    throw new Error('the directive comment is not highlighted: the injection grammar did not apply');
  }
  await shot('4-directive.png');
  await editorShot('readme-directive.png');

  await timelineHover(page, step);
  await shot('5-timeline-hover.png');
  await editorShot('readme-timeline-hover.png');
}

/** The quick fix: cursor into the squiggle, Ctrl+., the first (preferred) entry, Enter. */
async function applyPreferredQuickFix(page, hover, shot) {
  await page.mouse.click(hover.x, hover.y);
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await page.locator('.monaco-hover:visible').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
  // On a loaded machine the first Ctrl+. can arrive before the editor has its code actions.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Period');
    try {
      await menu.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw new Error(`the quick fix menu did not open after ${attempt} Ctrl+. presses`);
    }
  }
  const rows = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const focused = (await menu.locator('.monaco-list-row.focused').allInnerTexts()).join(' ').replace(/\s+/g, ' ').trim();
  lib.log(TAG, `quick fix menu: ${rows.join(' | ')}; focused: ${focused || '(none)'}`);
  await shot('2-quick-fix-menu.png');
  if (focused === '' || /^(Disable|Show documentation)\b/.test(focused)) {
    throw new Error(`the focused quick fix should be the preferred fix, not "${focused || '(none)'}"`);
  }
  await page.keyboard.press('Enter');
}

/**
 * Hovers `terminationGracePeriodSeconds` of a pod with a preStop hook and gunicorn's own drain
 * timeout, and checks the hover shows the timeline picture: an <img> whose src is the SVG data
 * URI, loaded, with a non-zero rendered size, above the table.
 */
async function timelineHover(page, step) {
  await page.mouse.move(5, 5);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: TIMELINE_FILE }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: TIMELINE_FILE }).waitFor();
  // The app-shutdown-exceeds-grace squiggle says the server has analysed the file.
  await page.locator(SQUIGGLE).first().waitFor({ timeout: 60_000 });
  const key = page.locator('.monaco-editor .view-line span > span', { hasText: 'terminationGracePeriodSeconds' }).first();
  await key.waitFor();
  const image = page.locator('.monaco-hover:visible img[src^="data:image/svg+xml;base64,"]').first();
  let size;
  for (let attempt = 1; attempt <= 4 && size === undefined; attempt++) {
    const box = await key.boundingBox();
    if (!box) throw new Error('terminationGracePeriodSeconds is not on screen');
    await page.mouse.move(box.x + Math.min(box.width / 2, 60), box.y + box.height / 2);
    try {
      await image.waitFor({ timeout: 10_000 });
      await waitUntil('the timeline picture to load', () => image.evaluate((img) => img.complete && img.naturalWidth > 0), 10_000);
      const rendered = await image.boundingBox();
      if (rendered && rendered.width > 0 && rendered.height > 0) size = rendered;
    } catch (error) {
      if (attempt === 4) throw new Error(`the hover of terminationGracePeriodSeconds shows no timeline picture: ${error.message}`);
      await page.mouse.move(5, 5);
      await page.locator('.monaco-hover:visible').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }
  const hoverText = await page.locator('.monaco-hover:visible').last().innerText();
  if (!/Termination timeline/.test(hoverText) || !/what happens/.test(hoverText)) {
    throw new Error(`the hover lacks the timeline table: ${hoverText.slice(0, 200)}`);
  }
  const above = await image.evaluate((img) => {
    const table = img.closest('.monaco-hover')?.querySelector('table');
    return table ? img.getBoundingClientRect().bottom <= table.getBoundingClientRect().top + 1 : false;
  });
  if (!above) throw new Error('the timeline picture is not above the table');
  const alt = await image.getAttribute('alt');
  lib.log(TAG, `timeline picture: ${Math.round(size.width)}x${Math.round(size.height)} px, alt "${alt}"`);
  if (!/Deployment checkout/.test(alt ?? '')) throw new Error(`the picture's alt text does not name the workload: ${alt}`);
  step('the hover shows the timeline picture');
}

/**
 * Hovers the squiggle of `rule` until its hover offers "Quick Fix..." (the hover asks for code
 * actions when it opens; a request that races the server's first analysis can come back empty,
 * and the hover then says "No quick fixes available" until it is opened again).
 */
async function hoverWithQuickFix(page, rule) {
  const statuses = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    const hover = await hoverSquiggleFor(page, rule);
    const status = page.locator('.monaco-hover:visible .hover-row.status-bar').last();
    let text = hover.text;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      text = (await status.innerText().catch(() => '')) || text;
      if (/Quick Fix/.test(text) || /No quick fixes/.test(text)) break;
      await lib.sleep(100);
    }
    if (/Quick Fix/.test(text)) {
      if (statuses.length > 0) lib.log(TAG, `hover offered quick fixes on attempt ${attempt} (before: ${statuses.join(' | ')})`);
      return { ...hover, text: await page.locator('.monaco-hover:visible').last().innerText() };
    }
    statuses.push(text.replace(/\s+/g, ' ').trim().slice(-60));
    await page.mouse.move(5, 5);
    await page.locator('.monaco-hover:visible').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  throw new Error(`the hover of ${rule} never offered a quick fix: ${statuses.join(' | ')}`);
}

/** Hovers each squiggle until the hover mentions `rule`; returns the hover text and position. */
async function hoverSquiggleFor(page, rule) {
  const squiggles = page.locator(SQUIGGLE);
  const count = await squiggles.count();
  const seen = [];
  for (let i = 0; i < count; i++) {
    const box = await squiggles.nth(i).boundingBox();
    if (!box) continue;
    const x = box.x + Math.min(box.width / 2, 40);
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    const hover = page.locator('.monaco-hover:visible').last();
    try {
      await hover.waitFor({ timeout: 5_000 });
      const text = await hover.innerText();
      if (text.includes(rule)) return { text, x, y };
      seen.push(text.replace(/\s+/g, ' ').slice(0, 120));
    } catch {
      seen.push('(no hover)');
    }
    await page.mouse.move(5, 5);
  }
  throw new Error(`no squiggle's hover mentions ${rule}; hovers seen: ${seen.join(' | ') || 'none'}`);
}

async function waitUntil(what, probe, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await lib.sleep(100);
  }
}

module.exports = { SQUIGGLE, RULE, hoverWithQuickFix, applyPreferredQuickFix, waitUntil };

if (require.main === module) {
  main().catch((error) => {
    console.error(`e2e ui: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
