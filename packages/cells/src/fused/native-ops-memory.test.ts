import { initBackend, Rng, randomNormal } from '@seqgen/core';
import { NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeAdditiveAttention } from './native-additive-attention.js';
import { nativeCrossEntropy } from './native-cross-entropy.js';
import { nativeKernels } from './native-sequence.js';

beforeAll(async () => {
  await initBackend();
});

describe('native attention and cross-entropy ops', () => {
  it('keep tf.memory().numTensors flat over repeated forward and backward passes; without the addon, undefined and nothing allocated', () => {
    if (NATIVE_REQUIRED) expect(nativeKernels(), 'SEQGEN_NATIVE_REQUIRED=1').toBeDefined();
    const keys = tf.variable(randomNormal(new Rng(1), [3, 5, 4]));
    const q = tf.variable(randomNormal(new Rng(2), [3, 4]));
    const v = tf.variable(randomNormal(new Rng(3), [4]));
    const memory = tf.variable(randomNormal(new Rng(4), [3, 5, 6]));
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0], [3, 5]);
    const targets = tf.tensor2d([1, 0, 5], [3, 1], 'int32');
    const rowMask = tf.tensor2d([1, 1, 0], [3, 1]);
    const pass = () => {
      const { value, grads } = tf.variableGrads(() => {
        const step = nativeAdditiveAttention(
          keys as tf.Tensor as tf.Tensor3D,
          q as tf.Tensor as tf.Tensor2D,
          v as tf.Tensor as tf.Tensor1D,
          mask,
          memory as tf.Tensor as tf.Tensor3D,
        );
        if (!step) throw new Error('the native step applies here');
        const logits = tf.reshape(step.context, [3, 1, 6]);
        const loss = nativeCrossEntropy(logits, targets, rowMask, 2, 0.1);
        if (!loss) throw new Error('the native loss applies here');
        return tf.add(loss, tf.sum(step.weights)) as tf.Scalar;
      });
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    };
    if (!nativeKernels()) {
      const before = tf.memory().numTensors;
      expect(
        nativeAdditiveAttention(
          keys as tf.Tensor as tf.Tensor3D,
          q as tf.Tensor as tf.Tensor2D,
          v as tf.Tensor as tf.Tensor1D,
          mask,
          memory as tf.Tensor as tf.Tensor3D,
        ),
      ).toBeUndefined();
      const logits = tf.zeros([3, 1, 6]);
      expect(nativeCrossEntropy(logits, targets, rowMask, 2, 0.1)).toBeUndefined();
      expect(tf.memory().numTensors).toBe(before + 1); // the logits only
      tf.dispose([keys, q, v, memory, mask, targets, rowMask, logits]);
      return;
    }
    pass();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) pass();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([keys, q, v, memory, mask, targets, rowMask]);
  });
});
