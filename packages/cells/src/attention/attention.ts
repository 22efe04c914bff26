import type * as tf from '@tensorflow/tfjs';
import type { TaggedConfigJson } from '../config-json.js';

/** What an attention call returns: the context vector and the weights that made it. */
export interface AttentionResult {
  /** `[B, memorySize]`: Σ_s weights[b, s] · memory[b, s]. */
  context: tf.Tensor;
  /** `[B, S]`: a distribution over source positions (zero where masked). */
  weights: tf.Tensor;
}

/** Which source positions an attention call may attend to; by default all of them. */
export interface AttentionOptions {
  /** Valid source length per example; positions past it get weight 0. */
  sourceLengths?: readonly number[];
  /**
   * `[B, S]`, 1 where a source position is real and 0 where it is padding (core's
   * `AttentionMemory.mask`): the same masking as `sourceLengths`, kept on the
   * device, for masks that are not a prefix. Give one of the two, not both.
   */
  mask?: tf.Tensor;
}

/** A decoder-side attention mechanism over an encoder's memory `[B, S, memorySize]`. */
export interface Attention {
  /** Width of the query (the decoder state), the last axis of `query` `[B, querySize]`. */
  readonly querySize: number;
  /** Width of each memory position, the last axis of `memory` `[B, S, memorySize]`. */
  readonly memorySize: number;
  /** Trainable weights by name (none for Luong `dot`). */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /**
   * Attends with `query` `[B, querySize]` over `memory` `[B, S, memorySize]`: context `[B, memorySize]` and weights
   * `[B, S]`.
   */
  apply(query: tf.Tensor, memory: tf.Tensor, options?: AttentionOptions): AttentionResult;
  /** `type`-tagged plain JSON; `attentionFromConfig` rebuilds the mechanism from it (fresh weights from its seed). */
  getConfig(): TaggedConfigJson;
  /** Frees the weights; the mechanism cannot be used afterwards. */
  dispose(): void;
}
