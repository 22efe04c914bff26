import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { randomNormal } from './initializers.js';
import { Rng } from './rng.js';

let backend = '';
beforeAll(async () => {
  backend = (await initBackend()).active;
});

/** Gradients of sum(conv(x, w) · r) for both inputs, through `conv`. */
function gradients(
  conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor,
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  r: tf.Tensor,
): [Float32Array, Float32Array] {
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r)),
  )([x, w]);
  return [dx?.dataSync() as Float32Array, dw?.dataSync() as Float32Array];
}

describe('2-D convolution gradients on this backend', () => {
  // The reference is the same convolution as a depth-1 3-D convolution, whose gradients every backend has.
  const conv3dAs2d = (x: tf.Tensor4D, w: tf.Tensor4D, pad: 'same' | 'valid') =>
    tf.squeeze(tf.conv3d(tf.expandDims(x, 1) as tf.Tensor5D, tf.expandDims(w, 0) as tf.Tensor5D, 1, pad), [1]);

  for (const pad of ['same', 'valid'] as const) {
    it(`tf.conv2d trains (stride 1, ${pad}) with the gradients of the 3-D reference`, () => {
      const rng = new Rng(7);
      const x = randomNormal(rng, [2, 9, 7, 3]) as tf.Tensor4D;
      const w = randomNormal(rng, [5, 3, 3, 4]) as tf.Tensor4D;
      const outShape = pad === 'same' ? [2, 9, 7, 4] : [2, 5, 5, 4];
      const r = randomNormal(rng, outShape);
      const [dx, dw] = gradients((a, b) => tf.conv2d(a, b, 1, pad), x, w, r);
      const [rx, rw] = gradients((a, b) => conv3dAs2d(a, b, pad), x, w, r);
      for (let i = 0; i < rx.length; i++) expect(dx[i]).toBeCloseTo(rx[i] as number, 3);
      for (let i = 0; i < rw.length; i++) expect(dw[i]).toBeCloseTo(rw[i] as number, 3);
      tf.dispose([x, w, r]);
    });
  }

  it('has the filter gradient registered on wasm once initBackend started it', () => {
    if (backend !== 'wasm') return;
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
