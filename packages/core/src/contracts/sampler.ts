import type * as tf from '@tensorflow/tfjs';

/** Picks the next token of each row from logits `[batch, vocabSize]`. Implemented by `@seqgen/samplers`. */
export interface Sampler {
  /** Chooses one token id per row from logits `[batch, vocabSize]`, resolving to `batch` ids. */
  sample(logits: tf.Tensor2D): Promise<number[]>;
}
