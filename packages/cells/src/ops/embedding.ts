import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { matMul2d } from '../kernels/matmul.js';
import { saveShared } from '../kernels/save-shared.js';
import { swapAxes01 } from '../kernels/swap-axes.js';

/**
 * A batch of lookups is a one-hot matmul when the vocabulary is small (the
 * one-hot is kept for the gradient anyway); a handful of ids, or a large
 * vocabulary, is a gather.
 */
function useOneHotMatMul(count: number, vocab: number): boolean {
  return count >= 64 && vocab <= 1024;
}

/** One-hot rows as float32 (tfjs-backend-wasm's OneHot ignores a float32 dtype and writes integer bits). */
function floatOneHot(ids: tf.Tensor1D, vocab: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, vocab) as tf.Tensor2D, 'float32');
}

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
    const flat = tf.reshape(idsIn, [-1]) as tf.Tensor1D;
    // wasm's gather costs ~2 µs a row; oneHot·E is far cheaper for a training batch, and the one-hot serves the gradient too.
    const oneHot = useOneHotMatMul(flat.size, vocab) ? floatOneHot(flat, vocab) : undefined;
    saveShared(save, [oneHot ?? flat]);
    const rows = oneHot ? matMul2d(oneHot, E) : tf.gather(E, flat);
    return {
      value: tf.reshape(rows, [...idsIn.shape, dim]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const kept = saved[0] as tf.Tensor;
        const hot = kept.rank === 2 ? (kept as tf.Tensor2D) : floatOneHot(kept as tf.Tensor1D, vocab);
        const dTable = matMul2d(swapAxes01(hot), tf.reshape(dy, [-1, dim]));
        return [tf.zerosLike(idsIn), dTable];
      },
    };
  });
  return run(ids, table);
}
