import type { ModelConfig, Rng } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import type { LossMetric } from './metrics.js';

/**
 * What the trainer tells a model's loss on every call. The model decides what
 * to do with it (a decoder reads `teacherForcingRatio` for scheduled sampling).
 */
export interface LossContext {
  /** True during training steps, false during validation. */
  training: boolean;
  /** Optimizer steps taken so far (0 on the first step). */
  step: number;
  /**
   * Probability of feeding the ground-truth previous token (1 = full teacher
   * forcing). Models without a decoder ignore it.
   */
  teacherForcingRatio: number;
  /** Seeded generator for the model's own random decisions (dropout masks, scheduled sampling); saved in checkpoints. */
  rng: Rng;
}

/** Recurrent state carried between batches: a list of tensors, or nothing. */
export type RecurrentState = tf.Tensor[];

/** What a model's `loss` returns for one batch: the scalar loss, its state, and the tokens counted. */
export interface LossResult<State extends RecurrentState = RecurrentState> {
  /** Mean loss per counted token (a scalar), computed from the model's variables. */
  loss: tf.Scalar;
  /** State after the batch; the trainer detaches it and passes it to the next batch (truncated BPTT). */
  state?: State;
  /** Tokens the loss averaged over (for tokens/s and token-weighted validation loss). */
  tokens: number;
}

/**
 * The one thing the trainer needs from a model, whatever it generates
 * (text, translations, speech frames, captions, video). Everything happens in
 * `loss`: the trainer records it on a gradient tape and differentiates with
 * respect to `variables`.
 */
export interface TrainableModel<Batch, State extends RecurrentState = RecurrentState> {
  /** Named trainable variables; the names are used for freezing, learning-rate groups and checkpoints. */
  readonly variables: Record<string, tf.Variable>;
  /**
   * Forward pass giving a scalar mean loss for `batch`. `state` is the state the
   * previous batch returned (undefined at the start and after a reset); the
   * model must reset it itself where its batch marks document boundaries.
   * Tensors it creates are cleaned up by the trainer; it must not dispose `state`.
   */
  loss(batch: Batch, state: State | undefined, context: LossContext): LossResult<State>;
  /** The `type`-tagged config written into checkpoints. */
  getConfig(): ModelConfig;
  /**
   * Figures the trainer may derive from this model's loss. A model whose loss
   * is a token NLL in nats declares `TOKEN_METRICS` (`['perplexity',
   * 'bitsPerToken']`); one with a mean-squared-error loss may declare
   * `['rmse']`. Undeclared (the default): the loss alone is reported, since
   * perplexity of a regression loss means nothing.
   */
  readonly metrics?: readonly LossMetric[];
}
