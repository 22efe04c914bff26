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

/** Step `t` of a time-major tensor `[T, ...rest]` as `[...rest]` (for composed kernel forms). */
export function stepOf(x: tf.Tensor, t: number): tf.Tensor {
  const begin = x.shape.map((_, i) => (i === 0 ? t : 0));
  const size = x.shape.map((d, i) => (i === 0 ? 1 : d));
  return tf.squeeze(tf.slice(x, begin, size), [0]);
}
