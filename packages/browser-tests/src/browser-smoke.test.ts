import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import { assertChromiumPresent, CHROMIUM_LAUNCH_ARGS, CHROMIUM_PATH, skipWithoutChromium } from '@seqgen/test-utils';
import { CharTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import type { Metafile } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_PACKAGES, bundleForBrowser } from './bundle.js';
import { PROBE } from './page/probe.js';
import type { SmokeResult } from './page/smoke.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = dirname(here);
const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.seqgen': 'application/octet-stream',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

const work = mkdtempSync(join(tmpdir(), 'seqgen-browser-'));
const wasmDir = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);

/** Output name of each package's bundle (`export * from '@seqgen/x'`). */
const packageBundle = (name: string) => name.replace('@seqgen/', 'package-');
let metafile: Metafile;

beforeAll(async () => {
  const entries: Record<string, string> = { smoke: join(here, 'page', 'entry.ts') };
  // Inside the package (.tmp is ignored by git), so that the imports resolve from its node_modules.
  const entryDir = join(packageRoot, '.tmp', 'bundle-entries');
  mkdirSync(entryDir, { recursive: true });
  for (const name of BROWSER_PACKAGES) {
    const file = join(entryDir, `${packageBundle(name)}.ts`);
    writeFileSync(file, `export * from '${name}';\n`);
    entries[packageBundle(name)] = file;
  }
  metafile = await bundleForBrowser(entries, work, packageRoot);
});

describe('every package bundles for the browser on its own (esbuild --platform=browser)', () => {
  for (const name of BROWSER_PACKAGES) {
    it(`${name}: no Node built-in, and its browser entry is the one bundled`, () => {
      const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`${packageBundle(name)}.js`));
      const inputs = Object.keys(output?.[1].inputs ?? {});
      expect(
        inputs.filter((file) => /^node:|(^|\/)node_modules\/(fs|path|os|crypto|worker_threads)\//.test(file)),
      ).toEqual([]);
      const own = inputs.filter((file) => file.includes(`/${name.slice('@seqgen/'.length)}/dist/`));
      expect(own.length, `${name} itself is in the bundle`).toBeGreaterThan(0);
      if (['@seqgen/core', '@seqgen/cells', '@seqgen/trainer', '@seqgen/interpret', '@seqgen/midi'].includes(name)) {
        expect(
          own.every((file) => file.includes('/dist/browser/')),
          own.join(', '),
        ).toBe(true);
      }
    });
  }
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skipWithoutChromium())('train, generate and checkpoint in headless Chromium', () => {
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let servedLogits: number[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertChromiumPresent();
    // A checkpoint written in Node, served as a .seqgen file and as a folder, loaded by URL in the page.
    await initBackend({ backend: 'cpu' });
    const text = 'the cat sat on the mat. the dog sat on the log. ';
    const tokenizer = CharTokenizer.fromText(text, { specialTokens: [] });
    const served = new RecurrentLanguageModel({
      vocabSize: tokenizer.vocabSize,
      embeddingSize: 8,
      hiddenSize: 12,
      cell: 'gru',
      seed: 9,
    });
    servedLogits = tf.tidy(() => Array.from(served.forward(tf.tensor2d(PROBE, undefined, 'int32')).logits.dataSync()));
    mkdirSync(join(work, 'checkpoints'));
    await served.save(join(work, 'checkpoints', 'served.seqgen'), { tokenizer });
    await served.save(join(work, 'checkpoints', 'served-folder'), { tokenizer, checkpoint: { shardBytes: 512 } });
    served.dispose();

    server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      let file: string | undefined;
      if (path === '/') file = join(here, 'page', 'index.html');
      else if (path === '/smoke.js') file = join(work, 'smoke.js');
      else if (path.startsWith('/wasm/')) file = join(wasmDir, normalize(path.slice('/wasm/'.length)));
      else if (path.startsWith('/checkpoints/')) file = join(work, normalize(path.slice(1)));
      if (!file || !existsSync(file) || path.includes('..')) {
        response.writeHead(404).end();
        return;
      }
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_LAUNCH_ARGS],
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  async function runPage(backend: 'cpu' | 'wasm'): Promise<SmokeResult> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${backend}: ${error.message}`));
    try {
      await page.goto(`${origin}/?backend=${backend}`);
      await page.waitForFunction(() => (window as { smoke?: unknown }).smoke !== undefined, undefined, {
        timeout: 90_000,
      });
      const outcome = (await page.evaluate(() => (window as unknown as { smoke: Promise<unknown> }).smoke)) as
        | { ok: true; result: SmokeResult }
        | { ok: false; error: string };
      if (!outcome.ok) throw new Error(`the page failed on ${backend}: ${outcome.error}\n${pageErrors.join('\n')}`);
      return outcome.result;
    } finally {
      await page.close();
    }
  }

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on the ${backend} backend: loss falls, generation is seeded, checkpoints round-trip through IndexedDB, bytes and URLs`, async () => {
      const r = await runPage(backend);
      expect(r.backend).toBe(backend);
      expect(r.losses).toHaveLength(20);
      const first = r.losses[0] as number;
      const lastThree = r.losses.slice(-3).reduce((a, b) => a + b, 0) / 3;
      expect(lastThree, `losses ${r.losses.map((l) => l.toFixed(3)).join(' ')}`).toBeLessThan(first * 0.8);
      expect(r.trainerCheckpointStep).toBe(20);
      expect(r.sampled).toBe(r.sampledAgain);
      // 24 new characters each (no stop token), all from the training text's alphabet.
      for (const out of [r.sampled, r.greedy]) expect(out).toMatch(/^[the casonmdgl.]{24}$/);
      expect(r.logits).toHaveLength((PROBE[0] as number[]).length * 14);
      expect(r.fromIndexedDb).toEqual(r.logits);
      expect(r.fromBytes).toEqual(r.logits);
      expect(r.fromBlob).toEqual(r.logits);
      expect(r.servedFile).toEqual(r.servedFolder);
      expect(r.servedFromRelativePath).toEqual(r.servedFile);
      // Written in Node, run in Chromium: the same weights give the same logits (to float32 rounding).
      expect(r.servedFile).toHaveLength(servedLogits.length);
      const worst = Math.max(...r.servedFile.map((v, i) => Math.abs(v - (servedLogits[i] as number))));
      expect(worst).toBeLessThan(1e-5);
      expect(r.errors.saveToPath).toMatch(/^ConfigError: path: "runs\/lm": file checkpoints need Node/);
      expect(r.errors.missingUrl).toMatch(/^CheckpointError\(not-found\): .*\/checkpoints\/absent\.seqgen.*HTTP 404/);
      expect(r.errors.damagedBytes).toMatch(/^CheckpointError\(truncated\)/);
      expect(r.errors.absentIndexedDb).toBe(
        'CheckpointError(not-found): checkpoint indexeddb://never-saved: no checkpoint of that name in IndexedDB',
      );
      expect(pageErrors).toEqual([]);
    });
  }
});
