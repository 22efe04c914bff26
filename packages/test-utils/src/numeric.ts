import { Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/** Max |a − b| over two tensors' values. */
export async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  return m;
}

/**
 * Central finite differences of `loss` with respect to `count` randomly chosen
 * entries of `variable`, compared with `analytic` (the autodiff gradient).
 * Returns the largest error relative to max(1, |gradient|) scale.
 */
export async function finiteDifferenceError(
  loss: () => tf.Scalar,
  variable: tf.Variable,
  analytic: tf.Tensor,
  count = 6,
  eps = 1e-2,
  seed = 5,
): Promise<number> {
  const rng = new Rng(seed);
  const values = (await variable.data()).slice() as Float32Array;
  const grad = await analytic.data();
  const scale = Math.max(1, ...Array.from(grad, Math.abs));
  let worst = 0;
  for (let k = 0; k < count; k++) {
    const i = rng.int(values.length);
    const original = values[i] as number;
    const evaluate = (v: number) => {
      values[i] = v;
      variable.assign(tf.tensor(values, variable.shape));
      return tf.tidy(() => loss().dataSync()[0] as number);
    };
    const numeric = (evaluate(original + eps) - evaluate(original - eps)) / (2 * eps);
    values[i] = original;
    variable.assign(tf.tensor(values, variable.shape));
    worst = Math.max(worst, Math.abs(numeric - (grad[i] as number)) / scale);
  }
  return worst;
}
