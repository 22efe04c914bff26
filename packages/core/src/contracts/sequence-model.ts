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
  /** The `type`-tagged, plain-JSON config that rebuilds this model (saved in its checkpoint). */
  getConfig(): ModelConfig;
  /** Frees the model's weights; the model cannot be used afterwards. */
  dispose(): void;
}

/**
 * What {@link SequenceModel.step} returns for one position. The caller owns (and disposes) both.
 *
 * @typeParam State - The model's decoding state.
 */
export type SequenceStepResult<State> = {
  /** Unnormalized next-token scores, float32 `[batch, vocabSize]`, from which samplers pick the next tokens. */
  logits: tf.Tensor2D;
  /** The state after this position, batch on axis 0: pass it to the next `step`. */
  state: State;
};

/**
 * What {@link ContinuousSequenceModel.step} returns for one position. The caller owns (and disposes) the tensors.
 *
 * @typeParam State - The model's decoding state.
 */
export type ContinuousStepResult<State> = {
  /** The next frame of each row, float32 `[batch, frameSize]`: fed back as the next step's input. */
  frame: tf.Tensor2D;
  /** For models that decide when to stop: one logit per row `[batch]`; a row ends once its sigmoid passes the threshold. */
  stopLogit?: tf.Tensor1D;
  /** The state after this position, batch on axis 0: pass it to the next `step`. */
  state: State;
};

/**
 * Discrete decoding: int32 token ids `[batch]` in, logits `[batch, vocabSize]`
 * out. Samplers pick the next token from the logits.
 */
export interface SequenceModel<State = tf.Tensor[], Condition = never> extends SteppedModel<State, Condition> {
  /** Number of token ids: the last dimension of the logits `step` returns. */
  readonly vocabSize: number;
  /** Advances one position: token ids `[batch]` and state in, logits `[batch, vocabSize]` and the new state out. */
  step(tokens: tf.Tensor1D, state: State): SequenceStepResult<State>;
}

/**
 * Continuous decoding: the previous frame `[batch, frameSize]` in (zeros, or a
 * learned "go" frame, before the first), the next frame out, and optionally a
 * stop logit per row `[batch]` (sigmoid > threshold ends that row): mel
 * spectrogram frames, video frames, sensor readings.
 */
export interface ContinuousSequenceModel<State = tf.Tensor[], Condition = never>
  extends SteppedModel<State, Condition> {
  /** Features per frame: the last dimension of the frames `step` takes and returns. */
  readonly frameSize: number;
  /**
   * Advances one position: previous frames `[batch, frameSize]` and state in, next frames, optional stop logits and new
   * state out.
   */
  step(frames: tf.Tensor2D, state: State): ContinuousStepResult<State>;
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
