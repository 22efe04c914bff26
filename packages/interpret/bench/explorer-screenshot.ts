// Screenshot of an explorer page (as `seqgen-text explain` writes it) with one
// unit selected, in Debian's headless Chromium: how docs/explorer-*.png were made.
// Run: npx tsx bench/explorer-screenshot.ts <explorer.html> "<unit name>" <out.png> [width] [height]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, unit, out, width = '960', height = '420'] = process.argv.slice(2);
if (!html || !unit || !out) {
  console.error('usage: explorer-screenshot.ts <explorer.html> "<unit name>" <out.png> [width] [height]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.SEQGEN_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  await page.goto(pathToFileURL(resolve(html)).href);
  await page.selectOption('#unit', unit);
  // The coloured text only: small enough to commit.
  await page.locator('#text').screenshot({ path: out });
  console.log(`wrote ${out} (${unit})`);
} finally {
  await browser.close();
}
