import type * as tf from '@tensorflow/tfjs';

/** Picks the next token of each row from logits `[batch, vocabSize]`. Implemented by `@seqgen/samplers`. */
export interface Sampler {
  sample(logits: tf.Tensor2D): Promise<number[]>;
}
