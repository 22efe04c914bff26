import { fusedKernelStatus, nativeKernels, setNativeKernels } from '@seqgen/cells';
import { initBackend, Rng } from '@seqgen/core';
import { maxAbsDiff, NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';

beforeAll(async () => {
  await initBackend();
});

afterEach(() => {
  setNativeKernels(true);
});

/** Six steps on a [300, 257] kernel (over the native pool's one-thread cutoff) and a bias; the final values. */
function run(optimizer: Optimizer): { kernel: Float32Array; bias: Float32Array; slots: number } {
  const rng = new Rng(4);
  const normal = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', rng.uint32());
  const kernel = tf.variable(normal([300, 257]));
  const bias = tf.variable(normal([257]));
  for (let t = 0; t < 6; t++) {
    const grads = { kernel: tf.mul(normal([300, 257]), 0.1), bias: tf.mul(normal([257]), 0.01) };
    optimizer.apply({ kernel, bias }, grads, (name) => (name === 'bias' ? 2e-3 : 1e-2));
    tf.dispose(Object.values(grads));
  }
  const out = {
    kernel: kernel.dataSync().slice() as Float32Array,
    bias: bias.dataSync().slice() as Float32Array,
    slots: Object.keys(optimizer.getSlots()).length,
  };
  optimizer.dispose();
  tf.dispose([kernel, bias]);
  return out;
}

/** Largest difference over the largest magnitude (the weights are N(0, 1): a few ulps of ~4 is ~2e-6). */
async function relativeDiff(a: Float32Array, b: Float32Array): Promise<number> {
  const scale = b.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  return (await maxAbsDiff(tf.tensor1d(a), tf.tensor1d(b))) / scale;
}

describe('Adam and AdamW in one native pass', () => {
  for (const make of [() => new Adam(), () => new AdamW({ weightDecay: 0.1 })]) {
    it(`${make().type}: the same weights and slots as the tfjs op chain, one native call per parameter and step`, async (ctx) => {
      const native = nativeKernels();
      if (!native) {
        const why = fusedKernelStatus().reason;
        if (NATIVE_REQUIRED) expect.fail(`SEQGEN_NATIVE_REQUIRED=1 but the native Adam cannot run: ${why}`);
        ctx.skip(`nothing to compare: the native kernels do not run here (${why})`);
        return;
      }
      const calls = () => native.nativeCallCounts().adamUpdate;
      const before = calls();
      const fused = run(make());
      expect(calls() - before).toBe(12); // 2 parameters × 6 steps
      setNativeKernels(false);
      const composed = run(make());
      expect(calls() - before, 'the op chain ran').toBe(12);
      expect(fused.slots).toBe(4);
      // Six steps of lr 1e-2 move each weight by up to ~6e-2; the two paths agree to float32 rounding (a fused
      // multiply-add rounds once where the ops round twice).
      expect(await relativeDiff(fused.kernel, composed.kernel)).toBeLessThan(1e-6);
      expect(await relativeDiff(fused.bias, composed.bias)).toBeLessThan(1e-6);
      expect(await relativeDiff(fused.kernel, run(new Adam({ beta1: 0.5 })).kernel)).toBeGreaterThan(1e-4);
    });
  }
});
