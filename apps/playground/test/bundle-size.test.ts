import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, DIST } from './built-app.js';

/**
 * Gzip budget of the JavaScript every visitor downloads (page + worker; the .wasm binaries and the
 * checkpoints are not counted). Measured at 390 KB (page 7 KB, worker 383 KB: tfjs is most of it)
 * when the app was written; the budget leaves ~20% headroom. Raise it only on purpose.
 */
const JS_GZIP_BUDGET_BYTES = 470_000;
/** The page itself must not pull tfjs in: everything heavy belongs in the worker. */
const PAGE_GZIP_BUDGET_BYTES = 20_000;
/** A chunk loaded only on demand (tfjs's WebGPU backend: 68 KB when added). */
const LAZY_CHUNK_GZIP_BUDGET_BYTES = 100_000;

describe('bundle size', () => {
  let sizes: Record<string, number>;
  let pageChunks: string[];
  let workerSource: string;

  beforeAll(() => {
    assertBuilt();
    const assets = join(DIST, 'assets');
    sizes = Object.fromEntries(
      readdirSync(assets)
        .filter((file) => file.endsWith('.js'))
        .map((file) => [file, gzipSync(readFileSync(join(assets, file)), { level: 9 }).length]),
    );
    pageChunks = [...readFileSync(join(DIST, 'index.html'), 'utf8').matchAll(/assets\/([\w-]+\.js)/g)].map(
      (m) => m[1] as string,
    );
    const worker = Object.keys(sizes).filter((file) => file.startsWith('worker-'));
    expect(worker).toHaveLength(1);
    workerSource = readFileSync(join(assets, worker[0] as string), 'utf8');
  });

  it(`the JavaScript every visitor loads (page + worker) is under ${JS_GZIP_BUDGET_BYTES} bytes gzipped`, () => {
    const eager = Object.entries(sizes).filter(([file]) => pageChunks.includes(file) || file.startsWith('worker-'));
    const total = eager.reduce((sum, [, bytes]) => sum + bytes, 0);
    expect(total, JSON.stringify(sizes)).toBeLessThan(JS_GZIP_BUDGET_BYTES);
  });

  it('the page chunk stays small (tfjs and the models load only in the worker)', () => {
    expect(pageChunks.length).toBeGreaterThan(0);
    for (const file of pageChunks) expect(sizes[file], file).toBeLessThan(PAGE_GZIP_BUDGET_BYTES);
  });

  it('every other chunk is imported only on demand by the worker, and stays within its budget', () => {
    const lazy = Object.keys(sizes).filter((file) => !pageChunks.includes(file) && !file.startsWith('worker-'));
    // The WebGPU backend, fetched only when the page asks for it.
    expect(lazy).toHaveLength(1);
    for (const file of lazy) {
      expect(workerSource).toContain(`import(\`./${file}\`)`);
      expect(workerSource).not.toMatch(new RegExp(`from\\s*["'\`]\\./${file.replace('.', '\\.')}`));
      expect(sizes[file], file).toBeLessThan(LAZY_CHUNK_GZIP_BUDGET_BYTES);
    }
  });
});
