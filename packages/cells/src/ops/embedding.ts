import { gatherRows, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { matMul2d, matMul2dT } from '../kernels/matmul.js';
import { saveShared } from '../kernels/save-shared.js';

/**
 * A batch of lookups is a one-hot matmul when the vocabulary is small (the
 * one-hot is kept for the gradient anyway); a handful of ids, or a large
 * vocabulary, is a gather.
 */
function useOneHotMatMul(count: number, vocab: number): boolean {
  return count >= 64 && vocab <= 1024;
}

/** How {@link embeddingLookup} reads its rows. */
export interface EmbeddingLookupOptions {
  /**
   * `'auto'` (default): a one-hot product for a batch of lookups into a small
   * table, else a gather. `'gather'`: always copy rows (and scatter-add the
   * gradient on wasm/cpu): for tables that are activations, not a vocabulary,
   * where most rows are read once and a one-hot product would cost
   * `count · rows · dim` multiply-adds for a copy.
   */
  strategy?: 'auto' | 'gather';
}

/** One-hot rows as float32 (tfjs-backend-wasm's OneHot ignores a float32 dtype and writes integer bits). */
function floatOneHot(ids: tf.Tensor1D, vocab: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, vocab) as tf.Tensor2D, 'float32');
}

/** Backends whose tensors live in this process, where reading them back costs a copy, not a device sync. */
function inProcessBackend(): boolean {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'cpu';
}

/**
 * The table's gradient by adding each row of `dy` into its id's row: a pass
 * over the looked-up rows, where the one-hot product costs a `[vocab, count]`
 * matrix and `vocab · count · dim` multiply-adds (a `[4000, 1280] × [1280, 256]`
 * product for a translation batch).
 */
function scatterRows(ids: tf.Tensor1D, dy: tf.Tensor, vocab: number): tf.Tensor2D {
  const dim = dy.shape[dy.rank - 1] as number;
  const at = ids.dataSync();
  const rows = dy.dataSync() as Float32Array;
  const out = new Float32Array(vocab * dim);
  for (let i = 0; i < at.length; i++) {
    const to = (at[i] as number) * dim;
    const from = i * dim;
    for (let k = 0; k < dim; k++) out[to + k] = (out[to + k] as number) + (rows[from + k] as number);
  }
  return tf.tensor2d(out, [vocab, dim]);
}

/**
 * Rows of `table` (`[vocab, dim]`) for integer `ids` (any shape) → `[...ids, dim]`.
 * tf.gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks,
 * so an embedding built on it cannot train there; this one's gradient is
 * `oneHot(ids)ᵀ · dY` (explicitly transposed), which every backend runs, or on
 * wasm and cpu a scatter-add of `dY`'s rows into their ids' rows. It is a
 * differentiable row gather of any table (`options.strategy`).
 */
export function embeddingLookup(ids: tf.Tensor, table: tf.Tensor2D, options: EmbeddingLookupOptions = {}): tf.Tensor {
  if (ids.dtype !== 'int32') throw new ShapeError('ids', 'int32', ids.dtype, 'embeddingLookup');
  const [vocab, dim] = table.shape;
  const run = tf.customGrad((...args: unknown[]) => {
    const [idsIn, E] = args as [tf.Tensor, tf.Tensor2D];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const flat = tf.reshape(idsIn, [-1]) as tf.Tensor1D;
    // wasm's gather costs ~2 µs a row; oneHot·E is far cheaper for a training batch over a small vocabulary (the one-hot
    // serves the gradient too); otherwise rows are copied whole on wasm/cpu (gather-rows.ts).
    const oneHot =
      options.strategy !== 'gather' && useOneHotMatMul(flat.size, vocab) ? floatOneHot(flat, vocab) : undefined;
    saveShared(save, [oneHot ?? flat]);
    const rows = oneHot ? matMul2d(oneHot, E) : (gatherRows(E, flat) as tf.Tensor2D);
    return {
      value: tf.reshape(rows, [...idsIn.shape, dim]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const kept = saved[0] as tf.Tensor;
        if (kept.rank === 1 && inProcessBackend())
          return [tf.zerosLike(idsIn), scatterRows(kept as tf.Tensor1D, dy, vocab)];
        const hot = kept.rank === 2 ? (kept as tf.Tensor2D) : floatOneHot(kept as tf.Tensor1D, vocab);
        const dTable = matMul2dT(hot, tf.reshape(dy, [-1, dim]), true, false);
        return [tf.zerosLike(idsIn), dTable];
      },
    };
  });
  return run(ids, table);
}
