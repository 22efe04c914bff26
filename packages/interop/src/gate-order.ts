import * as tf from '@tensorflow/tfjs';

/**
 * Reorders the `gates` equal blocks of the last axis: `order[k]` names the
 * source block that goes to position k. Used to translate between seqgen's
 * LSTM layout `[i, f, o, g]` and PyTorch/Keras `[i, f, g, o]`, and between
 * Keras GRU `[z, r, h]` and seqgen/PyTorch `[r, z, n]`.
 */
export function reorderGates(t: tf.Tensor, gates: number, order: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const blocks = tf.split(t, gates, t.rank - 1);
    return tf.concat(
      order.map((k) => blocks[k] as tf.Tensor),
      t.rank - 1,
    );
  });
}

/** seqgen LSTM `[i, f, o, g]` ⇄ PyTorch/Keras `[i, f, g, o]` (the permutation is its own inverse). */
export const LSTM_SWAP_GO = [0, 1, 3, 2] as const;
/** Keras GRU `[z, r, h]` ⇄ seqgen `[r, z, n]` (its own inverse too). */
export const GRU_SWAP_ZR = [1, 0, 2] as const;
