import { ConfigError } from '@seqgen/core';
import type { Seq2SeqBatch } from '@seqgen/models';
import type * as tf from '@tensorflow/tfjs';

/** A model that gives teacher-forced attention weights `[B, T, S]` of a batch (`@seqgen/models`' `Seq2Seq`). */
export type AttentionModel = {
  /** Teacher-forced attention weights of a batch, `[B, T, S]`. */
  attentionOf(batch: Seq2SeqBatch): tf.Tensor3D;
};

/** One pair's attention: row t = the weights over source positions when predicting target step t. */
export type AttentionMatrix = {
  /** Target steps (rows): the pair's target tokens plus EOS. */
  targetSteps: number;
  /** Source positions (columns): the pair's real source tokens. */
  sourceSteps: number;
  /** `targetSteps × sourceSteps` weights, row-major; each row sums to 1. */
  weights: Float32Array;
};

/**
 * The attention matrix of every pair of a batch, cropped to its real source
 * and target lengths. A model without attention weights (`attention: 'none'`
 * or no `attentionOf`) is a ConfigError.
 */
export function attentionMatrices(model: AttentionModel, batch: Seq2SeqBatch): AttentionMatrix[] {
  if (typeof model?.attentionOf !== 'function') {
    throw new ConfigError('model', 'has no attentionOf(batch): it is not an attention seq2seq model');
  }
  const weights = model.attentionOf(batch);
  try {
    const [B, T, S] = weights.shape;
    const all = weights.dataSync() as Float32Array;
    return Array.from({ length: B }, (_, b) => {
      let targetSteps = 0;
      for (let t = 0; t < T; t++) if ((batch.targetMask[b * T + t] as number) > 0) targetSteps = t + 1;
      const sourceSteps = batch.sourceLengths[b] as number;
      const out = new Float32Array(targetSteps * sourceSteps);
      for (let t = 0; t < targetSteps; t++) {
        out.set(all.subarray((b * T + t) * S, (b * T + t) * S + sourceSteps), t * sourceSteps);
      }
      return { targetSteps, sourceSteps, weights: out };
    });
  } finally {
    weights.dispose();
  }
}
