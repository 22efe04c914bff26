import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig, TokenizerJson } from './checkpoint/format.js';

/**
 * The small contracts that packages implement for each other. Kept minimal on
 * purpose: anything a single package needs beyond these stays in that package.
 */

/** Text ⇄ token ids. Implemented by `@seqgen/tokenizers`; no tfjs involved. */
export interface Tokenizer {
  readonly type: string;
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  toJSON(): TokenizerJson;
}

/**
 * A model decoded one token at a time with carried state, so generation costs
 * O(1) work per token. `step` takes int32 token ids `[batch]` and returns
 * logits `[batch, vocabSize]`; the caller disposes returned tensors.
 */
export interface SequenceModel<State = tf.Tensor[]> {
  readonly vocabSize: number;
  initialState(batchSize: number): State;
  step(tokens: tf.Tensor1D, state: State): { logits: tf.Tensor2D; state: State };
  getConfig(): ModelConfig;
  dispose(): void;
}

/** Picks the next token of each row from logits `[batch, vocabSize]`. Implemented by `@seqgen/samplers`. */
export interface Sampler {
  sample(logits: tf.Tensor2D): Promise<number[]>;
}
