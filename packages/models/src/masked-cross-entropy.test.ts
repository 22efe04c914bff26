import { nativeKernels, setNativeKernels } from '@seqgen/cells';
import { initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedCrossEntropy } from './masked-cross-entropy.js';

// The language models' loss, fused on wasm and cpu (native kernel, else JavaScript loops),
// against a float64 reference written from the definition.

beforeAll(async () => {
  await initBackend();
});

/** Mean over counted positions of logZ − logit[target], in float64. */
function reference(logits: Float32Array, V: number, targets: Int32Array, mask: Float32Array | null, tokens: number) {
  let total = 0;
  const grad = new Float64Array(logits.length);
  for (let r = 0; r < targets.length; r++) {
    const w = mask ? (mask[r] as number) : 1;
    if (w === 0) continue;
    const row = Array.from(logits.subarray(r * V, (r + 1) * V));
    const max = Math.max(...row);
    const z = row.reduce((s, x) => s + Math.exp(x - max), 0);
    total += w * (max + Math.log(z) - (row[targets[r] as number] as number));
    for (let v = 0; v < V; v++) grad[r * V + v] = (w * Math.exp((row[v] as number) - max)) / z / Math.max(tokens, 1);
    grad[r * V + (targets[r] as number)] = (grad[r * V + (targets[r] as number)] as number) - w / Math.max(tokens, 1);
  }
  return { loss: total / Math.max(tokens, 1), grad };
}

describe('maskedCrossEntropy', () => {
  for (const kernel of ['native', 'JavaScript']) {
    it(`equals the float64 definition, loss and gradient, with and without a mask (${kernel})`, async () => {
      // Without the addon there is no native kernel to test (the JavaScript case still runs).
      if (kernel === 'native' && !nativeKernels()) return;
      setNativeKernels(kernel === 'native');
      try {
        const before = nativeKernels()?.nativeCallCounts().crossEntropyForward ?? 0;
        const V = 11;
        const logits = tf.mul(randomNormal(new Rng(4), [3, 5, V]), 4);
        const targets = tf.tensor2d(
          Int32Array.from({ length: 15 }, (_, i) => (i * 7) % V),
          [3, 5],
          'int32',
        );
        const maskValues = Float32Array.from({ length: 15 }, (_, i) => (i % 5 < 3 + (i % 2) ? 1 : 0));
        const mask = tf.tensor2d(maskValues, [3, 5]);
        const tokens = maskValues.reduce((s, x) => s + x, 0);
        const x = (await logits.data()) as Float32Array;
        const ids = (await targets.data()) as Int32Array;
        for (const [m, values, n] of [
          [mask, maskValues, tokens],
          [undefined, null, 15],
        ] as const) {
          const want = reference(x, V, ids, values, n);
          const got = maskedCrossEntropy(logits, targets, m, n);
          expect(Math.abs((await got.data())[0]! - want.loss)).toBeLessThan(1e-5);
          const [g] = tf.grads((l: tf.Tensor) => maskedCrossEntropy(l, targets, m, n))([logits]);
          const gv = await (g as tf.Tensor).data();
          let worst = 0;
          for (let i = 0; i < gv.length; i++)
            worst = Math.max(worst, Math.abs((gv[i] as number) - (want.grad[i] as number)));
          expect(worst).toBeLessThan(1e-6);
          tf.dispose([got, g as tf.Tensor]);
        }
        // The kernel asked for is the one that ran.
        const ranNative = (nativeKernels()?.nativeCallCounts().crossEntropyForward ?? 0) > before;
        expect(ranNative).toBe(kernel === 'native');
        tf.dispose([logits, targets, mask]);
      } finally {
        setNativeKernels(true);
      }
    });
  }

  it('is 0, not NaN, when nothing is counted', async () => {
    const logits = randomNormal(new Rng(1), [1, 2, 5]);
    const loss = maskedCrossEntropy(logits, tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.zeros([1, 2]), 0);
    expect((await loss.data())[0]).toBe(0);
    tf.dispose([logits, loss]);
  });

  it('names a target outside the vocabulary instead of scoring it as zero probability', () => {
    if (!['wasm', 'cpu'].includes(tf.getBackend()) || !nativeKernels()) return;
    const logits = randomNormal(new Rng(1), [1, 2, 5]);
    expect(() => maskedCrossEntropy(logits, tf.tensor2d([[1, 9]], [1, 2], 'int32'), undefined, 2)).toThrow(ShapeError);
    logits.dispose();
  });
});
