import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CPU_THREADS_ENV } from './gemm-pool.js';

const run = promisify(execFile);
const matmulModule = fileURLToPath(new URL('./matmul.ts', import.meta.url));
const poolModule = fileURLToPath(new URL('./gemm-pool.ts', import.meta.url));
const nativeModule = fileURLToPath(new URL('../fused/native-sequence.ts', import.meta.url));

/**
 * Multiplies two fixed 96×160 · 160×224 matrices (3.4M multiply-adds, shared
 * out when helpers run) on the cpu backend in a fresh process, where the
 * helper threads start. The child never calls process.exit: it must end by
 * itself, which is what keeps a CLI from hanging on its helpers.
 */
async function productInChild(threads: string): Promise<{ helpers: number; product: number[] } | { error: string }> {
  const script = `
    import * as tf from '@tensorflow/tfjs';
    import { matMul2d } from ${JSON.stringify(matmulModule)};
    import { cpuHelperCount } from ${JSON.stringify(poolModule)};
    import { setNativeKernels } from ${JSON.stringify(nativeModule)};
    await tf.setBackend('cpu');
    // The JS pool is what is under test: with the native addon built, products would go to its GEMM instead.
    setNativeKernels(false);
    const a = tf.tensor2d(Float32Array.from({ length: 96 * 160 }, (_, i) => Math.sin(i)), [96, 160]);
    const b = tf.tensor2d(Float32Array.from({ length: 160 * 224 }, (_, i) => Math.cos(i * 0.7)), [160, 224]);
    try {
      const product = Array.from(await matMul2d(a, b).data());
      console.log(JSON.stringify({ helpers: cpuHelperCount(), product }));
    } catch (e) {
      console.log(JSON.stringify({ error: e.name + ': ' + e.message }));
    }
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, [CPU_THREADS_ENV]: threads },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

// The child picks the cpu backend itself: one project runs it.
describe.runIf(process.env.SEQGEN_BACKEND === 'cpu' && process.env.SEQGEN_NATIVE !== '0')(
  'cpu products on helper threads, in a fresh process',
  () => {
    it('gives the single-thread product bit for bit with one helper, exits by itself, and refuses a bad thread count', async () => {
      const single = await productInChild('1');
      const shared = await productInChild('2');
      expect(single).toMatchObject({ helpers: 0 });
      expect(shared).toMatchObject({ helpers: 1 });
      // Each output element is summed in the same order whichever thread computes it.
      expect((shared as { product: number[] }).product).toEqual((single as { product: number[] }).product);
      expect(await productInChild('lots')).toEqual({
        error: 'ConfigError: SEQGEN_CPU_THREADS: expected a whole number of threads from 1 to 64, got lots',
      });
    });
  },
);
