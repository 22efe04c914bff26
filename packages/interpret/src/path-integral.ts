import * as tf from '@tensorflow/tfjs';

/** A scalar function of a batch of inputs: the sum over the batch's rows of the explained output. */
export type BatchObjective = (inputs: tf.Tensor) => tf.Scalar;

/** What {@link integrateAlongPath} gives (tensors live in the caller's tidy). */
export type PathIntegral = {
  /** (x − x′) × the mean gradient along the path, the shape of one input `[1, …]`. */
  attributions: tf.Tensor;
  /** f(x). */
  output: number;
  /** f(x′). */
  baselineOutput: number;
};

/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017) of `objective` from
 * `baseline` to `input` (both `[1, …]`): the midpoint rule over `steps`
 * points, all of them one batch, so one forward and one backward pass. Call
 * inside `tf.tidy`. Shared by every model's saliency so that all of them
 * satisfy the same completeness property.
 */
export function integrateAlongPath(
  objective: BatchObjective,
  input: tf.Tensor,
  baseline: tf.Tensor,
  steps: number,
): PathIntegral {
  const delta = tf.sub(input, baseline);
  // Midpoint rule: alphas (k + ½)/m, error O(1/m²) for smooth paths.
  const alphaShape = [steps, ...input.shape.slice(1).map(() => 1)];
  const alphas = tf.reshape(tf.tensor1d(Array.from({ length: steps }, (_, k) => (k + 0.5) / steps)), alphaShape);
  const path = tf.add(baseline, tf.mul(alphas, delta));
  const grads = tf.grad(objective)(path);
  const meanGrad = tf.div(tf.sum(grads, 0, true), steps);
  return {
    attributions: tf.mul(meanGrad, delta),
    output: objective(input).dataSync()[0] as number,
    baselineOutput: objective(baseline).dataSync()[0] as number,
  };
}

/** Gradient × input of `objective` at `input` `[1, …]` (inside the caller's tidy), and f(input). */
export function gradientTimesInputOf(
  objective: BatchObjective,
  input: tf.Tensor,
): { attributions: tf.Tensor; output: number } {
  const { value, grad } = tf.valueAndGrad(objective)(input);
  return { attributions: tf.mul(grad, input), output: value.dataSync()[0] as number };
}

/** Sums attributions over every axis but the step axis (axis 1 of `[1, T, …]`): one value per step. */
export function perStep(attributions: tf.Tensor): Float32Array {
  const T = attributions.shape[1] as number;
  return tf.sum(tf.reshape(attributions, [T, -1]), 1).dataSync() as Float32Array;
}

/** Σ attributions − (f(x) − f(x′)): near zero when the path has enough steps. */
export function completenessGap(attributions: ArrayLike<number>, output: number, baselineOutput: number): number {
  let total = 0;
  for (let i = 0; i < attributions.length; i++) total += attributions[i] as number;
  return total - (output - baselineOutput);
}
