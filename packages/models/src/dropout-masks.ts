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
  const [vocab] = table.shape;
  const keep = 1 - rate;
  const mask = new Float32Array(vocab);
  for (let i = 0; i < vocab; i++) mask[i] = rng.float() < rate ? 0 : 1 / keep;
  return tf.mul(table, tf.tensor2d(mask, [vocab, 1]));
}

/** One dropout mask per sequence, `[batch, 1, size]`, shared by every time step (variational). */
export function sequenceDropout(x: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  const batch = x.shape[0] as number;
  const size = x.shape[x.rank - 1] as number;
  const keep = 1 - rate;
  const mask = new Float32Array(batch * size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.float() < rate ? 0 : 1 / keep;
  return tf.mul(x, tf.tensor3d(mask, [batch, 1, size]));
}
