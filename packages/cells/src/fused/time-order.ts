import * as tf from '@tensorflow/tfjs';
import { swapAxes01 } from '../kernels/swap-axes.js';
import { unstackRows } from '../kernels/unstack-rows.js';

/** Positions visited by a recurrence over `steps` steps, forwards or backwards. */
export function timeOrder(steps: number, reverse: boolean): number[] {
  const order = Array.from({ length: steps }, (_, t) => t);
  return reverse ? order.reverse() : order;
}

/** `[B, T, ...]` ⇄ `[T, B, ...]`: the kernels work time-major so that one step is one contiguous block. */
export function swapBatchTime(x: tf.Tensor): tf.Tensor {
  return swapAxes01(x);
}

/** Every step of a time-major tensor `[T, ...]` as its own tensor. */
export function steps(x: tf.Tensor): tf.Tensor[] {
  return unstackRows(x);
}

/**
 * Every step of a batch-major tensor `[B, T, ...rest]` as its own `[B, ...rest]`
 * tensor: `tf.unstack(x, 1)` in two kernels (one transpose, one row split)
 * where tfjs-wasm's own Unpack copies the whole input out of the heap once per
 * step. Differentiable.
 */
export function unstackSteps(x: tf.Tensor): tf.Tensor[] {
  return x.rank < 2 ? tf.unstack(x, 1) : unstackRows(swapAxes01(x));
}

/**
 * Steps `[B, ...rest]` stacked batch-major into `[B, T, ...rest]`: `tf.stack(xs, 1)`,
 * whose gradient unstacks with {@link unstackSteps} instead of tfjs-wasm's
 * Unpack (one copy of the whole gradient out of the heap per step).
 */
export function stackSteps(xs: tf.Tensor[]): tf.Tensor {
  if (xs.length === 0 || (xs[0] as tf.Tensor).rank < 1) return tf.stack(xs, 1);
  const stack = tf.customGrad((...args: unknown[]) => {
    const steps = args.slice(0, xs.length) as tf.Tensor[];
    return {
      value: swapAxes01(tf.stack(steps, 0)),
      gradFunc: (dy: tf.Tensor) => unstackSteps(dy),
    };
  });
  return stack(...xs) as tf.Tensor;
}

/** Step `t` of a time-major tensor `[T, ...rest]` as `[...rest]` (for composed kernel forms). */
export function stepOf(x: tf.Tensor, t: number): tf.Tensor {
  const begin = x.shape.map((_, i) => (i === 0 ? t : 0));
  const size = x.shape.map((d, i) => (i === 0 ? 1 : d));
  return tf.squeeze(tf.slice(x, begin, size), [0]);
}
