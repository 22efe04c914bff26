import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertChromiumPresent, CHROMIUM_LAUNCH_ARGS, CHROMIUM_PATH, skipWithoutChromium } from '@seqgen/test-utils';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { explorerHtml } from './explorer-html.js';

const artifacts = join(dirname(dirname(fileURLToPath(import.meta.url))), '.tmp');

describe.skipIf(skipWithoutChromium())('the explorer in headless Chromium', () => {
  it('loads offline, recolours the text when a unit is chosen or searched, shows attention and saliency', async () => {
    assertChromiumPresent();
    const tokens = Array.from('say "hi"\nok');
    const quoteUnit = tokens.map((_, t) => (t >= 4 && t <= 7 ? 0.9 : -0.8));
    const columnUnit = tokens.map((_, t) => (t < 9 ? t / 10 : (t - 9) / 10));
    const html = explorerHtml({
      title: 'explorer test',
      tokens,
      units: [
        { name: 'L0 c 0', values: columnUnit },
        { name: 'L0 c 1', values: quoteUnit },
      ],
      findings: [
        { feature: 'inside-quotes', unit: 'L0 c 1', correlation: 0.97, deltaHolds: 0.2, deltaElsewhere: 0.01 },
      ],
      attention: [
        { title: 'pair 0', sourceTokens: ['a', 'b'], targetTokens: ['x', 'y'], weights: [0.9, 0.1, 0.2, 0.8] },
      ],
      saliency: [{ title: 'log p("k")', tokens, values: tokens.map((_, t) => t - 5) }],
    });
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, 'explorer-test.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_LAUNCH_ARGS],
      timeout: 30_000,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // Offline: any request beyond the file itself fails the test.
      await page.route(/^(?!file:)/, (route) => {
        errors.push(`requested ${route.request().url()}`);
        return route.abort();
      });
      await page.goto(pathToFileURL(file).href);
      const backgrounds = () =>
        page.$$eval('#text span', (spans) =>
          spans.map((s) => (s as unknown as { style: { background: string } }).style.background),
        );
      // The first finding's unit is selected at load: quote characters red (its highest), the rest blue (its lowest).
      expect(await page.getAttribute('body', 'data-unit')).toBe('L0 c 1');
      const quoted = await backgrounds();
      expect(quoted[5]).toBe('rgb(255, 64, 64)');
      expect(quoted[0]).toBe('rgb(64, 64, 255)');
      await page.selectOption('#unit', 'L0 c 0');
      const column = await backgrounds();
      expect(column).not.toEqual(quoted);
      expect(column[8]).toBe('rgb(255, 64, 64)');
      // 0.4, the middle of 0…0.8: white.
      expect(column[4]).toBe('rgb(255, 255, 255)');
      await page.fill('#unit-search', 'c 1');
      expect(await page.getAttribute('body', 'data-unit')).toBe('L0 c 1');
      await page.hover('#text span >> nth=5');
      expect(await page.textContent('#hover')).toContain('L0 c 1 0.900');
      expect(await page.$$eval('.att td', (cells) => cells.length)).toBe(4);
      expect(await page.$$eval('.strip span', (cells) => cells.length)).toBe(tokens.length);
      const shot = join(artifacts, 'explorer-test.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(1000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 30_000);
});
