#!/usr/bin/env node
// Renders client/images/icon.svg to client/images/icon.png (256x256, transparent background)
// with headless Chromium through playwright-core. Needs `npm run e2e:setup` (for chromium).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..', '..');
const svgFile = path.join(root, 'client', 'images', 'icon.svg');
const pngFile = path.join(root, 'client', 'images', 'icon.png');
const SIZE = 256;

async function main() {
  const svg = fs.readFileSync(svgFile, 'utf8');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-icon-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
    env: { ...process.env, XDG_CONFIG_HOME: profile },
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: pngFile, omitBackground: true, timeout: 10_000 });
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`render-icon: wrote ${path.relative(root, pngFile)} (${fs.statSync(pngFile).size} bytes)`);
}

main().catch((error) => {
  console.error(`render-icon: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
