import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertChromiumPresent,
  CHROMIUM_LAUNCH_ARGS,
  CHROMIUM_PATH,
  CHROMIUM_SOFTWARE_WEBGPU_ARGS,
  mobyDickSlice,
  skipWithoutChromium,
} from '@seqgen/test-utils';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, assertBuilt, DIST } from './built-app.js';
import { type StaticServer, serveStatic } from './static-server.js';
import { translateInNode } from './translate-in-node.js';

// The built page (dist/) in Debian's headless Chromium, served as static files; one page for
// the whole file, driven tab by tab as a user would.
describe.skipIf(skipWithoutChromium())('the playground in headless Chromium', () => {
  const profile = mkdtempSync(join(tmpdir(), 'seqgen-playground-'));
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** Every URL the default (wasm) page requested. */
  const defaultPageRequests: string[] = [];

  /** What an element shows (its text content; '' when it has none). */
  const textOf = async (selector: string, on: Page = page) => (await on.locator(selector).textContent()) ?? '';
  const errorPanelText = () => textOf('#error-list');
  const outputText = (on: Page = page) => textOf('#text-output', on);

  beforeAll(async () => {
    assertChromiumPresent();
    assertBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await serveStatic(DIST);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_LAUNCH_ARGS],
      viewport: { width: 1000, height: 760 },
      timeout: 60_000,
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => defaultPageRequests.push(request.url()));
    await page.goto(`${server.origin}/`);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('loads and starts the wasm backend in its worker', async () => {
    await page.waitForSelector('body[data-backend]', { timeout: 60_000 });
    expect(await page.getAttribute('body', 'data-backend')).toBe('wasm');
    expect(await page.locator('#backend-notice').isHidden()).toBe(true);
    expect(await page.locator('#error-panel').isHidden()).toBe(true);
  });

  it('streams text token by token from the shipped checkpoint, and Stop stops it mid-stream', async () => {
    const prompt = 'Call me Ishmael. ';
    await page.fill('#text-prompt', prompt);
    await page.fill('#text-length', '3000');
    await page.click('#text-generate');
    // Streaming: the output grows while the stream runs, before it is done.
    await page.waitForFunction(
      (n) => (document.getElementById('text-output')?.textContent ?? '').length > n,
      prompt.length + 20,
      {
        timeout: 60_000,
      },
    );
    expect(await page.getAttribute('#text-output', 'data-state')).toBe('streaming');
    const early = (await outputText()).length;
    await page.waitForFunction(
      (n) => (document.getElementById('text-output')?.textContent ?? '').length > n,
      early + 20,
    );
    await page.click('#text-stop');
    await page.waitForSelector('#text-output[data-state="stopped"]', { timeout: 10_000 });
    const stopped = await outputText();
    expect(stopped.startsWith(prompt)).toBe(true);
    expect(stopped.length).toBeGreaterThan(early + 20);
    expect(stopped.length).toBeLessThan(prompt.length + 3000);
    // Moby-Dick's alphabet: words and spaces, not noise.
    expect(stopped.slice(prompt.length)).toMatch(/[a-z]+ [a-z]+/);
    await page.waitForTimeout(500);
    expect(await outputText()).toBe(stopped);
    expect(await textOf('#text-status')).toMatch(/^stopped after \d+ characters$/);
    await page.screenshot({ path: join(ARTIFACTS, 'text-tab.png') });
  });

  it('shows a bad control value and a failed checkpoint load in the error panel', async () => {
    await page.fill('#text-temperature', 'hot');
    await page.click('#text-generate');
    expect(await errorPanelText()).toBe('Temperature: must be a number, got "hot"');
    await page.click('#error-dismiss');
    await page.fill('#text-temperature', '0.8');

    await page.selectOption('#text-source', 'url');
    await page.fill('#text-url', 'checkpoints/absent-model/');
    await page.fill('#text-length', '20');
    await page.click('#text-generate');
    await page.waitForSelector('#text-output[data-state="failed"]', { timeout: 30_000 });
    expect(await errorPanelText()).toMatch(/^Text generation: .*checkpoints\/absent-model\/.*HTTP 404/);
    await page.screenshot({ path: join(ARTIFACTS, 'error-panel.png') });
    await page.click('#error-dismiss');
    await page.selectOption('#text-source', 'pretrained');
  });

  it('trains a char LSTM in the worker on pasted text, the loss falls on the live curve, and the model generates', async () => {
    await page.click('[role="tab"][data-tab="train"]');
    await page.fill('#train-text', mobyDickSlice(20_000, 6000));
    await page.fill('#train-seconds', '10');
    await page.fill('#train-hidden', '64');
    await page.fill('#train-rate', '0.02');
    await page.click('#train-start');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 60_000 });
    const status = await textOf('#train-status');
    const match = /^trained (\d+) steps on (\d+) distinct characters · loss ([\d.]+) \(started at ([\d.]+)\)/.exec(
      status,
    );
    expect(match, status).not.toBeNull();
    const [steps, vocabulary, last, first] = (match as RegExpExecArray).slice(1).map(Number) as number[];
    expect(steps).toBeGreaterThan(20);
    expect(Number(await page.getAttribute('#loss-chart', 'data-points'))).toBe(steps);
    // Uniform guessing over the alphabet costs ln(vocabulary) nats; training must go well below where it started.
    expect(first).toBeGreaterThan(Math.log(vocabulary as number) * 0.8);
    expect(last).toBeLessThan((first as number) * 0.8);
    await page.screenshot({ path: join(ARTIFACTS, 'train-tab.png') });

    await page.click('[role="tab"][data-tab="text"]');
    await page.selectOption('#text-source', 'trained');
    await page.fill('#text-prompt', 'the whale ');
    await page.fill('#text-length', '60');
    await page.click('#text-generate');
    await page.waitForSelector('#text-output[data-state="done"]', { timeout: 30_000 });
    const text = await outputText();
    expect(text).toMatch(/^the whale [a-z ,.\n]{60}$/);
    await page.selectOption('#text-source', 'pretrained');
  });

  it('generates music with the shipped checkpoint and draws its notes on the piano roll', async () => {
    await page.click('[role="tab"][data-tab="music"]');
    await page.fill('#music-seconds', '4');
    await page.click('#music-generate');
    await page.waitForSelector('#music-status[data-state="done"]', { timeout: 60_000 });
    const notes = Number(await page.getAttribute('#piano-roll', 'data-notes'));
    expect(notes).toBeGreaterThan(3);
    expect(await textOf('#music-status')).toMatch(new RegExp(`^${notes} notes in [34]\\.\\d s$`));
    // Blue note pixels on the white roll.
    const painted = await page.evaluate(() => {
      const canvas = document.getElementById('piano-roll') as HTMLCanvasElement;
      const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i + 2] as number) > (data[i] as number) + 40) blue++;
      return blue;
    });
    expect(painted).toBeGreaterThan(notes * 4);
    expect(await page.isEnabled('#music-play')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'music-tab.png') });
  });

  it('traces the text model in the explorer and recolours the text when another unit is picked', async () => {
    await page.click('[role="tab"][data-tab="explorer"]');
    const text = await page.inputValue('#explorer-text');
    await page.click('#explorer-trace');
    await page.waitForFunction(
      () => !(document.getElementById('explorer-unit') as HTMLSelectElement).disabled,
      undefined,
      {
        timeout: 30_000,
      },
    );
    // The shipped model: two LSTM layers of 512 units, cell and hidden state each.
    expect(await textOf('#explorer-status')).toBe(`2048 units over ${text.length} characters`);
    const colours = () =>
      page.$$eval('#explorer-text-view span', (spans) => spans.map((s) => (s as HTMLElement).style.backgroundColor));
    const before = await colours();
    expect(before).toHaveLength(text.length);
    expect((await textOf('#explorer-text-view')).length).toBe(text.length);
    await page.selectOption('#explorer-unit', { label: 'L0 h 17' });
    const after = await colours();
    const changed = after.filter((c, i) => c !== before[i]).length;
    expect(changed).toBeGreaterThan(text.length / 2);
    expect(await page.getAttribute('#explorer-text-view span >> nth=0', 'title')).toMatch(/^L0 h 17: -?\d\.\d{3}$/);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-tab.png') });
  });

  it('translates with the shipped encoder–decoder: greedy as in Node, beam search with an n-best list, attention as a heat map', async () => {
    const lines = ['Display this help and exit.', 'The file could not be opened.'];
    const expected = await translateInNode(lines);
    await page.click('[role="tab"][data-tab="translate"]');
    await page.fill('#translate-text', '  \n');
    await page.click('#translate-run');
    await page.waitForSelector('#translate-status[data-state="failed"]', { timeout: 60_000 });
    expect(await errorPanelText()).toBe('Translation: type a sentence to translate');
    await page.click('#error-dismiss');

    await page.fill('#translate-text', lines.join('\n'));
    await page.fill('#translate-beams', '1');
    await page.fill('#translate-n-best', '1');
    await page.click('#translate-run');
    await page.waitForSelector('#translate-status[data-state="done"]', { timeout: 60_000 });
    const candidates = () =>
      page.$$eval('.translation', (views) =>
        views.map((view) =>
          [...view.querySelectorAll('.n-best li')].map((li) => ({
            text: li.querySelector('.candidate')?.textContent ?? '',
            score: Number(li.querySelector('.score')?.textContent),
          })),
        ),
      );
    // The same checkpoint decoded greedily in the browser (wasm) and in Node (cpu) gives the same German.
    const greedy = await candidates();
    expect(greedy.map((line) => line.map((c) => c.text))).toEqual(expected.greedy.map((text) => [text || '(empty)']));

    await page.fill('#translate-beams', '4');
    await page.fill('#translate-n-best', '3');
    await page.click('#translate-run');
    await page.waitForSelector('#translate-status[data-state="done"]', { timeout: 60_000 });
    expect(await textOf('#translate-status')).toMatch(/^2 lines in \d+\.\d s \(beam 4\)$/);
    const beams = await candidates();
    expect(beams).toHaveLength(2);
    for (const line of beams) {
      expect(line).toHaveLength(3);
      const scores = line.map((c) => c.score);
      expect(scores.every((score) => Number.isFinite(score) && score <= 0)).toBe(true);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new Set(line.map((c) => c.text)).size).toBe(3);
    }
    // One heat-map column per source token the model read, one row per target token, cells painted blue.
    const maps = await page.$$eval('.attention-map', (canvases) =>
      canvases.map((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const { data } = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height);
        let blue = 0;
        for (let i = 0; i < data.length; i += 4) if ((data[i + 2] as number) > (data[i] as number) + 60) blue++;
        return { rows: Number(c.dataset.rows), columns: Number(c.dataset.columns), blue };
      }),
    );
    expect(maps.map((m) => m.columns)).toEqual(expected.sourceTokens);
    for (const map of maps) {
      expect(map.rows).toBeGreaterThan(0);
      expect(map.blue).toBeGreaterThan(map.rows * 20);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'translate-tab.png'), fullPage: true });
  });

  it('generates a seeded passage to the end for the README screenshot', async () => {
    await page.click('[role="tab"][data-tab="text"]');
    await page.fill('#text-prompt', 'Call me Ishmael. ');
    await page.fill('#text-length', '300');
    await page.fill('#text-seed', '1');
    await page.click('#text-generate');
    await page.waitForSelector('#text-output[data-state="done"]', { timeout: 30_000 });
    expect(await textOf('#text-status')).toBe('300 characters');
    // Committed beside the README (git ignores the other screenshots).
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });
  });

  it('falls back to the cpu backend with a visible notice when the wasm binaries cannot be fetched', async () => {
    const blocked = await context.newPage();
    try {
      await blocked.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not here' }));
      await blocked.goto(`${server.origin}/`);
      await blocked.waitForSelector('body[data-backend]', { timeout: 60_000 });
      expect(await blocked.getAttribute('body', 'data-backend')).toBe('cpu');
      expect(await textOf('#backend-notice', blocked)).toMatch(
        /^WebAssembly backend unavailable \(.+\); running on the slower cpu backend$/,
      );
    } finally {
      await blocked.close();
    }
  });

  it('runs on WebGL when asked for where the worker has it, else on wasm with a notice saying why', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${server.origin}/?backend=webgl`);
      await other.waitForSelector('body[data-backend]', { timeout: 60_000 });
      expect(await other.inputValue('#backend-choice')).toBe('webgl');
      const backend = await other.getAttribute('body', 'data-backend');
      if (backend === 'webgl') {
        expect(await other.locator('#backend-notice').isHidden()).toBe(true);
      } else {
        expect(backend).toBe('wasm');
        expect(await textOf('#backend-notice', other)).toMatch(
          /^WebGL backend unavailable \(.+\); running on WebAssembly$/,
        );
      }
      // Either way the models run: a short greedy continuation streams in.
      await other.fill('#text-length', '12');
      await other.fill('#text-temperature', '0');
      await other.click('#text-generate');
      await other.waitForSelector('#text-output[data-state="done"]', { timeout: 60_000 });
      expect(await textOf('#text-status', other)).toBe('12 characters');
    } finally {
      await other.close();
    }
  });

  it('runs on WebGPU (software adapter) with the output wasm gives; without an adapter it falls back to wasm with a notice', async () => {
    const greedy = async (on: Page) => {
      await on.fill('#text-prompt', 'Call me Ishmael. ');
      await on.fill('#text-length', '12');
      await on.fill('#text-temperature', '0');
      await on.click('#text-generate');
      await on.waitForSelector('#text-output[data-state="done"]', { timeout: 90_000 });
      expect(await textOf('#text-status', on)).toBe('12 characters');
      return outputText(on);
    };
    await page.click('[role="tab"][data-tab="text"]');
    const onWasm = await greedy(page);

    // This browser runs with --disable-gpu: WebGPU finds no adapter, and the page says so.
    const fallback = await context.newPage();
    try {
      await fallback.goto(`${server.origin}/?backend=webgpu`);
      await fallback.waitForSelector('body[data-backend]', { timeout: 60_000 });
      expect(await fallback.inputValue('#backend-choice')).toBe('webgpu');
      expect(await fallback.getAttribute('body', 'data-backend')).toBe('wasm');
      expect(await textOf('#backend-notice', fallback)).toMatch(
        /^WebGPU backend unavailable \((WebGPU found no GPU adapter|this browser has no WebGPU in workers \(navigator\.gpu is missing\))\); running on WebAssembly$/,
      );
      expect(await greedy(fallback)).toBe(onWasm);
    } finally {
      await fallback.close();
    }

    // SwiftShader's software Vulkan gives Chromium a WebGPU adapter: tfjs's WebGPU backend runs the model.
    const gpuBrowser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_SOFTWARE_WEBGPU_ARGS],
      timeout: 60_000,
    });
    try {
      const onGpu = await gpuBrowser.newPage();
      const fetched: string[] = [];
      onGpu.on('request', (request) => fetched.push(request.url()));
      await onGpu.goto(`${server.origin}/?backend=webgpu`);
      await onGpu.waitForSelector('body[data-backend]', { timeout: 60_000 });
      expect(await onGpu.getAttribute('body', 'data-backend')).toBe('webgpu');
      expect(await onGpu.locator('#backend-notice').isHidden()).toBe(true);
      expect(await greedy(onGpu)).toBe(onWasm);
      // The WebGPU backend is its own chunk: fetched here, never by the default page.
      const lazyChunk = /\/assets\/dist-[\w-]+\.js$/;
      expect(fetched.some((url) => lazyChunk.test(url))).toBe(true);
      expect(defaultPageRequests.some((url) => lazyChunk.test(url))).toBe(false);
    } finally {
      await gpuBrowser.close();
    }
  });

  it('shows a worker that fails to load in the error panel', async () => {
    const broken = await context.newPage();
    try {
      await broken.route('**/assets/worker-*.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
      await broken.goto(`${server.origin}/`);
      await broken.waitForSelector('#error-panel:not([hidden])', { timeout: 30_000 });
      expect(await textOf('#error-list', broken)).toMatch(/^the generation worker crashed: /);
      expect(await broken.getAttribute('body', 'data-backend')).toBeNull();
    } finally {
      await broken.close();
    }
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
