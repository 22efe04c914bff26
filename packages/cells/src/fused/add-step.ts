import * as tf from '@tensorflow/tfjs';
import { jsKernel } from '../kernels/js-kernel.js';
import { stepOf } from './time-order.js';

/**
 * `X[t][:, :width] + Y[:, :width]` for a time-major stack X `[T, B, W]` and
 * Y `[B, W]`: a step's input projection plus its recurrent product, read
 * straight out of the stack (no per-step slice) and cut to the columns that
 * go through the gate nonlinearity together. Columns from `doubleFrom` on
 * come out doubled (a tanh gate computed as 2σ(2a) − 1).
 */
export const addStepKernel = jsKernel<{ t: number; width: number; doubleFrom: number }>({
  name: 'SeqgenAddStep',
  outputShapes: ([, y], { width }) => [[(y as number[])[0] as number, width]],
  run: ([X, Y], [out], [, yShape], { t, width, doubleFrom }) => {
    const [B, W] = yShape as [number, number];
    const x = X as Float32Array;
    const y = Y as Float32Array;
    const o = out as Float32Array;
    const base = t * B * W;
    for (let b = 0; b < B; b++) {
      const row = b * W;
      const orow = b * width;
      const plain = Math.min(width, doubleFrom);
      for (let j = 0; j < plain; j++) o[orow + j] = (x[base + row + j] as number) + (y[row + j] as number);
      for (let j = plain; j < width; j++) o[orow + j] = 2 * ((x[base + row + j] as number) + (y[row + j] as number));
    }
  },
  composed: ([X, Y], { t, width, doubleFrom }) => {
    const sum = tf.slice(tf.add(stepOf(X as tf.Tensor, t), Y as tf.Tensor), [0, 0], [-1, width]);
    if (doubleFrom >= width) return [sum];
    const [plain, doubled] = tf.split(sum, [doubleFrom, width - doubleFrom], 1) as [tf.Tensor, tf.Tensor];
    return [tf.concat([plain, tf.mul(doubled, 2)], 1)];
  },
});

export function addStep(X: tf.Tensor, t: number, Y: tf.Tensor, width: number, doubleFrom = width): tf.Tensor2D {
  return addStepKernel([X, Y], { t, width, doubleFrom })[0] as tf.Tensor2D;
}
