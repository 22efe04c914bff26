import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../checkpoint/format.js';

/**
 * The decoding contracts. A model is stepped one position at a time with
 * carried state, so generation costs O(1) work per step. State may be a
 * tensor, an array or a plain object of tensors; every tensor has the batch
 * on axis 0 — including a condition the model keeps in its state (encoder
 * memory, an image's feature map) — so samplers can repeat rows for several
 * samples and reorder them for beam search. Callers dispose what is returned.
 */
export interface SteppedModel<State, Condition> {
  /**
   * The state to start decoding `batchSize` rows from. `condition`, when the
   * model takes one, has `batchSize` rows too: encoder memory with a mask, an
   * image feature map, a speaker or chord embedding.
   */
  initialState(batchSize: number, condition?: Condition): State;
  getConfig(): ModelConfig;
  dispose(): void;
}

/**
 * Discrete decoding: int32 token ids `[batch]` in, logits `[batch, vocabSize]`
 * out. Samplers pick the next token from the logits.
 */
export interface SequenceModel<State = tf.Tensor[], Condition = never> extends SteppedModel<State, Condition> {
  readonly vocabSize: number;
  step(tokens: tf.Tensor1D, state: State): { logits: tf.Tensor2D; state: State };
}

/**
 * Continuous decoding: the previous frame `[batch, frameSize]` in (zeros, or a
 * learned "go" frame, before the first), the next frame out, and optionally a
 * stop logit per row `[batch]` (sigmoid > threshold ends that row): mel
 * spectrogram frames, video frames, sensor readings.
 */
export interface ContinuousSequenceModel<State = tf.Tensor[], Condition = never>
  extends SteppedModel<State, Condition> {
  readonly frameSize: number;
  step(frames: tf.Tensor2D, state: State): { frame: tf.Tensor2D; stopLogit?: tf.Tensor1D; state: State };
}

/**
 * The standard condition of attention decoders: what they attend over.
 * Translation passes its encoder outputs, captioning an image's spatial
 * features (`[B, H·W, C]`), speech its phoneme encodings.
 */
export interface AttentionMemory {
  /** `[batch, sourceLength, memorySize]`. */
  memory: tf.Tensor3D;
  /** `[batch, sourceLength]`, 1 where a position is real and 0 where it is padding; absent = all real. */
  mask?: tf.Tensor2D;
}
