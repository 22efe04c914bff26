import { dropoutMask } from '@seqgen/cells';
import type { Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Embedding dropout (Gal & Ghahramani 2016; AWD-LSTM): whole vocabulary rows
 * are zeroed, so a dropped token type vanishes everywhere in the batch, and
 * kept rows are scaled by 1/keep. Masking the table rather than each position
 * regularizes the word identity, not just one occurrence. The mask is drawn on
 * the host from the seeded `Rng`, so runs reproduce on every backend.
 */
export function dropEmbeddingRows(table: tf.Tensor2D, rate: number, rng: Rng): tf.Tensor2D {
  return tf.mul(table, dropoutMask(rng, [table.shape[0], 1], rate));
}

/** One dropout mask per sequence, `[batch, 1, size]`, shared by every time step (variational). */
export function sequenceDropout(x: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  return tf.mul(x, dropoutMask(rng, [x.shape[0] as number, 1, x.shape[x.rank - 1] as number], rate));
}
