import type { AttentionMemory, ModelConfig, Rng, SequenceModel } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { randomTable } from './lookup-model.js';

/** State of {@link ConditionedModel}: a history vector plus the condition it keeps, batch on axis 0. */
export interface ConditionedState {
  h: tf.Tensor2D;
  memory: tf.Tensor3D;
  mask: tf.Tensor2D;
}

/**
 * Test fixture (not exported): a real tfjs model conditioned on an
 * `AttentionMemory` whose memory width is the vocabulary. It keeps the
 * condition in its state, and its logits add the masked mean of the memory
 * over source positions, so a condition row that is large at token k makes
 * k likely for that row only:
 *   h' = decay·h + onehot(token),  logits = emit[token] + h'·mix + Σ_s mask·memory / Σ_s mask
 * `initRows` records the batch size of every `initialState` call.
 */
export class ConditionedModel implements SequenceModel<ConditionedState, AttentionMemory> {
  readonly vocabSize: number;
  readonly initRows: number[] = [];
  readonly stepRows: number[] = [];
  private readonly emit: tf.Tensor2D;
  private readonly mix: tf.Tensor2D;

  constructor(
    rng: Rng,
    vocabSize: number,
    private readonly decay = 0.5,
  ) {
    this.vocabSize = vocabSize;
    this.emit = tf.tensor2d(randomTable(rng, vocabSize, vocabSize, 1));
    this.mix = tf.tensor2d(randomTable(rng, vocabSize, vocabSize, 1));
  }

  initialState(batchSize: number, condition?: AttentionMemory): ConditionedState {
    this.initRows.push(batchSize);
    if (!condition) throw new Error('ConditionedModel needs a condition');
    const [, S] = condition.memory.shape;
    return {
      h: tf.zeros([batchSize, this.vocabSize]),
      memory: condition.memory,
      mask: condition.mask ?? tf.ones([batchSize, S]),
    };
  }

  step(tokens: tf.Tensor1D, state: ConditionedState): { logits: tf.Tensor2D; state: ConditionedState } {
    this.stepRows.push(tokens.shape[0]);
    const h = tf.add(tf.mul(state.h, this.decay), tf.oneHot(tokens, this.vocabSize).toFloat()) as tf.Tensor2D;
    const weights = tf.expandDims(state.mask, 2);
    const pooled = tf.div(tf.sum(tf.mul(state.memory, weights), 1), tf.sum(weights, 1));
    const logits = tf.addN([tf.gather(this.emit, tokens), tf.matMul(h, this.mix), pooled]) as tf.Tensor2D;
    return { logits, state: { h, memory: state.memory, mask: state.mask } };
  }

  getConfig(): ModelConfig {
    return { type: 'conditioned-test-model', vocabSize: this.vocabSize, decay: this.decay };
  }

  dispose(): void {
    this.emit.dispose();
    this.mix.dispose();
  }
}

/**
 * A condition of `rows` rows whose memory, over `length` real positions
 * (then `pad` positions of garbage, masked out), strongly favours token
 * `favoured[r]` for row r.
 */
export function favouring(vocabSize: number, favoured: readonly number[], length = 3, pad = 0): AttentionMemory {
  const S = length + pad;
  const memory = new Float32Array(favoured.length * S * vocabSize);
  const mask = new Float32Array(favoured.length * S);
  favoured.forEach((token, r) => {
    for (let s = 0; s < S; s++) {
      const at = (r * S + s) * vocabSize;
      if (s < length) {
        mask[r * S + s] = 1;
        memory[at + token] = 30;
      } else {
        // Garbage that would dominate if the mask were ignored.
        memory.fill(100, at, at + vocabSize);
        memory[at + ((token + 1) % vocabSize)] = 1000;
      }
    }
  });
  return {
    memory: tf.tensor3d(memory, [favoured.length, S, vocabSize]),
    mask: tf.tensor2d(mask, [favoured.length, S]),
  };
}
