import * as tf from '@tensorflow/tfjs';
import { jsKernel } from '../kernels/js-kernel.js';
import { stepOf } from './time-order.js';

/**
 * `X[t][:, :width] + Y[:, :width]` for a time-major stack X `[T, B, W]` and
 * Y `[B, W]`: a step's input projection plus its recurrent product, read
 * straight out of the stack (no per-step slice) and cut to the columns that
 * go through the gate nonlinearity together.
 */
export const addStepKernel = jsKernel<{ t: number; width: number }>({
  name: 'SeqgenAddStep',
  outputShapes: ([, y], { width }) => [[(y as number[])[0] as number, width]],
  run: ([X, Y], [out], [, yShape], { t, width }) => {
    const [B, W] = yShape as [number, number];
    const x = X as Float32Array;
    const y = Y as Float32Array;
    const o = out as Float32Array;
    const base = t * B * W;
    for (let b = 0; b < B; b++) {
      const row = b * W;
      const orow = b * width;
      for (let j = 0; j < width; j++) o[orow + j] = (x[base + row + j] as number) + (y[row + j] as number);
    }
  },
  composed: ([X, Y], { t, width }) => {
    const sum = tf.add(stepOf(X as tf.Tensor, t), Y as tf.Tensor) as tf.Tensor2D;
    const W = sum.shape[1];
    return [width === W ? sum : tf.slice(sum, [0, 0], [-1, width])];
  },
});

export function addStep(X: tf.Tensor, t: number, Y: tf.Tensor, width: number): tf.Tensor2D {
  return addStepKernel([X, Y], { t, width })[0] as tf.Tensor2D;
}
