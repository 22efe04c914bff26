import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, DIST } from './built-app.js';

/**
 * Gzip budget of the JavaScript a visitor downloads (page + worker; the .wasm binaries and the
 * checkpoints are not counted). Measured at 390 KB (page 7 KB, worker 383 KB: tfjs is most of it)
 * when the app was written; the budget leaves ~20% headroom. Raise it only on purpose.
 */
const JS_GZIP_BUDGET_BYTES = 470_000;
/** The page itself must not pull tfjs in: everything heavy belongs in the worker. */
const PAGE_GZIP_BUDGET_BYTES = 20_000;

describe('bundle size', () => {
  let sizes: Record<string, number>;

  beforeAll(() => {
    assertBuilt();
    const assets = join(DIST, 'assets');
    sizes = Object.fromEntries(
      readdirSync(assets)
        .filter((file) => file.endsWith('.js'))
        .map((file) => [file, gzipSync(readFileSync(join(assets, file)), { level: 9 }).length]),
    );
  });

  it(`the built JavaScript is under ${JS_GZIP_BUDGET_BYTES} bytes gzipped`, () => {
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(sizes)).toBeLessThan(JS_GZIP_BUDGET_BYTES);
  });

  it('the page chunk stays small (tfjs and the models load only in the worker)', () => {
    const page = Object.entries(sizes).filter(([file]) => !file.startsWith('worker-'));
    expect(page.length).toBeGreaterThan(0);
    for (const [file, bytes] of page) expect(bytes, file).toBeLessThan(PAGE_GZIP_BUDGET_BYTES);
    expect(Object.keys(sizes).filter((file) => file.startsWith('worker-'))).toHaveLength(1);
  });
});
