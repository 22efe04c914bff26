import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradients, globalNorm } from './clipping.js';

beforeAll(async () => {
  await initBackend();
});

describe('clipping', () => {
  it('global norm is the norm of all gradients together', () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[4]])];
    expect(globalNorm(grads).dataSync()[0]).toBeCloseTo(5, 6);
    tf.dispose(grads);
  });

  it('by norm: rescales all gradients together only when the norm is above the limit', () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) };
    const norm = globalNorm(Object.values(grads));
    const small = clipGradients(grads, norm, { type: 'norm', maxNorm: 1 });
    expect(Array.from(small.a?.dataSync() ?? [])).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(small.b?.dataSync()[0]).toBeCloseTo(0.8, 6);
    const untouched = clipGradients(grads, norm, { type: 'norm', maxNorm: 10 });
    expect(Array.from(untouched.a?.dataSync() ?? [])).toEqual([3, 0]);
    tf.dispose([norm, ...Object.values(grads), ...Object.values(small), ...Object.values(untouched)]);
  });

  it('by value: clamps each element', () => {
    const grads = { a: tf.tensor1d([-3, 0.1, 7]) };
    const norm = globalNorm(Object.values(grads));
    const out = clipGradients(grads, norm, { type: 'value', value: 0.5 });
    expect(Array.from(out.a?.dataSync() ?? [])).toEqual([-0.5, expect.closeTo(0.1, 6), 0.5]);
    tf.dispose([norm, grads.a, out.a as tf.Tensor]);
  });
});
