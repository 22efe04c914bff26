import * as tf from '@tensorflow/tfjs';
import { unstackRows } from '../kernels/unstack-rows.js';

/** Positions visited by a recurrence over `steps` steps, forwards or backwards. */
export function timeOrder(steps: number, reverse: boolean): number[] {
  const order = Array.from({ length: steps }, (_, t) => t);
  return reverse ? order.reverse() : order;
}

/** `[B, T, ...]` ⇄ `[T, B, ...]`: the kernels work time-major so that one step is one contiguous block. */
export function swapBatchTime(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[0] = 1;
  perm[1] = 0;
  return tf.transpose(x, perm);
}

/** Every step of a time-major tensor `[T, ...]` as its own tensor. */
export function steps(x: tf.Tensor): tf.Tensor[] {
  return unstackRows(x);
}
