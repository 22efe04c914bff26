import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Rows of `table` (`[vocab, dim]`) for integer `ids` (any shape) → `[...ids, dim]`.
 * tf.gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks,
 * so an embedding built on it cannot train there; this one's gradient is
 * `oneHot(ids)ᵀ · dY` (explicitly transposed), which every backend runs.
 */
export function embeddingLookup(ids: tf.Tensor, table: tf.Tensor2D): tf.Tensor {
  if (ids.dtype !== 'int32') throw new ShapeError('ids', 'int32', ids.dtype, 'embeddingLookup');
  const [vocab, dim] = table.shape;
  const run = tf.customGrad((...args: unknown[]) => {
    const [idsIn, E] = args as [tf.Tensor, tf.Tensor2D];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const flat = tf.reshape(idsIn, [-1]);
    save([flat]);
    return {
      value: tf.reshape(tf.gather(E, flat), [...idsIn.shape, dim]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const oneHot = tf.oneHot(saved[0] as tf.Tensor1D, vocab);
        const dTable = tf.matMul(tf.transpose(oneHot), tf.reshape(dy, [-1, dim]));
        return [tf.zerosLike(idsIn), dTable];
      },
    };
  });
  return run(ids, table);
}
