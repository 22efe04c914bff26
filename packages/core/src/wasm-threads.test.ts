import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { initBackend, WASM_THREADS_ENV } from './backend.js';
import { ConfigError } from './errors.js';

const run = promisify(execFile);
const backendModule = fileURLToPath(new URL('./backend.ts', import.meta.url));

interface ChildResult {
  threads: number;
  reason: string;
  product: number[];
}

/**
 * Starts wasm in a fresh process (a backend starts once per process) and
 * multiplies two fixed 96×160 · 160×224 matrices, big enough for XNNPACK to
 * split the work across threads. The child never calls process.exit: it must
 * end by itself, which is what keeps a CLI from hanging on its worker threads.
 */
async function startInChild(env: Record<string, string>): Promise<ChildResult> {
  const script = `
    import * as tf from '@tensorflow/tfjs';
    import { initBackend } from ${JSON.stringify(backendModule)};
    const report = await initBackend({ backend: 'wasm' });
    const a = tf.tensor2d(Float32Array.from({ length: 96 * 160 }, (_, i) => Math.sin(i)), [96, 160]);
    const b = tf.tensor2d(Float32Array.from({ length: 160 * 224 }, (_, i) => Math.cos(i * 0.7)), [160, 224]);
    const product = Array.from(await tf.matMul(a, b).data());
    console.log(JSON.stringify({ threads: report.wasm.threads, reason: report.wasm.threadsReason, product }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, SEQGEN_BACKEND: 'wasm', ...env },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildResult;
}

describe.runIf(process.env.SEQGEN_BACKEND !== 'cpu')('threaded wasm in Node.js', () => {
  it('runs XNNPACK on one thread per core, gives the single-threaded results bit for bit, and lets the process exit', async () => {
    const single = await startInChild({ [WASM_THREADS_ENV]: '1' });
    expect(single.threads).toBe(1);
    expect(single.reason).toBe(`${WASM_THREADS_ENV}=1`);
    const threaded = await startInChild({ [WASM_THREADS_ENV]: '2' });
    // XNNPACK caps the pool at the machine's cores (and 8).
    expect(threaded.threads).toBe(Math.min(2, os.cpus().length, 8));
    expect(threaded.reason).toBe(`${WASM_THREADS_ENV}=2`);
    // Each output element is summed by one thread in the same order: identical, not just close.
    expect(threaded.product).toEqual(single.product);
    let sum = 0;
    for (let k = 0; k < 160; k++)
      sum += Math.fround(Math.sin(5 * 160 + k)) * Math.fround(Math.cos((k * 224 + 7) * 0.7));
    expect(threaded.product[5 * 224 + 7]).toBeCloseTo(sum, 3);
  });

  it('falls back to the single-threaded build, saying why, when the threaded one cannot start', async () => {
    // The worker script goes to the temp folder; a temp "folder" that is a file makes that fail.
    const notAFolder = join(os.tmpdir(), `seqgen-not-a-folder-${process.pid}`);
    writeFileSync(notAFolder, 'x');
    const fallback = await startInChild({ [WASM_THREADS_ENV]: '2', TMPDIR: notAFolder, TSX_DISABLE_CACHE: '1' });
    expect(fallback.threads).toBe(1);
    expect(fallback.reason).toMatch(/^the threaded build did not start \(.*ENOTDIR.*\); running single-threaded$/);
    expect(fallback.product).toHaveLength(96 * 224);
  });

  it('refuses a thread count that is not a whole number from 1 to 64 with a typed error naming the setting', async () => {
    await expect(initBackend({ wasmThreads: 0 })).rejects.toThrow(ConfigError);
    await expect(initBackend({ wasmThreads: 1.5 })).rejects.toMatchObject({ field: 'wasmThreads' });
    const saved = process.env[WASM_THREADS_ENV];
    process.env[WASM_THREADS_ENV] = 'many';
    try {
      await expect(initBackend()).rejects.toMatchObject({
        field: WASM_THREADS_ENV,
        message: expect.stringContaining('got many'),
      });
    } finally {
      if (saved === undefined) delete process.env[WASM_THREADS_ENV];
      else process.env[WASM_THREADS_ENV] = saved;
    }
  });
});
