import type { ModelConfig, Rng, SequenceModel } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { randomTable } from './lookup-model.js';

/**
 * Test fixture (not exported): a real tfjs recurrent model whose logits
 * depend on the whole history, so a beam continued from the wrong state
 * scores differently. State `[h]` with h `[batch, vocab]`:
 *   h' = decay·h + onehot(token),  logits = emit[token] + h'·mix
 */
export class HistoryModel implements SequenceModel<tf.Tensor[]> {
  readonly vocabSize: number;
  private readonly emit: tf.Tensor2D;
  private readonly mix: tf.Tensor2D;
  private readonly decay: number;

  constructor(rng: Rng, vocabSize: number, decay = 0.5) {
    this.vocabSize = vocabSize;
    this.emit = tf.tensor2d(randomTable(rng, vocabSize, vocabSize, 2));
    this.mix = tf.tensor2d(randomTable(rng, vocabSize, vocabSize, 2));
    this.decay = decay;
  }

  initialState(batchSize: number): tf.Tensor[] {
    return [tf.zeros([batchSize, this.vocabSize])];
  }

  step(tokens: tf.Tensor1D, state: tf.Tensor[]): { logits: tf.Tensor2D; state: tf.Tensor[] } {
    const h = tf.add(tf.mul(state[0] as tf.Tensor, this.decay), tf.oneHot(tokens, this.vocabSize).toFloat());
    const logits = tf.add(tf.gather(this.emit, tokens), tf.matMul(h as tf.Tensor2D, this.mix)) as tf.Tensor2D;
    return { logits, state: [h] };
  }

  getConfig(): ModelConfig {
    return { type: 'history-test-model', vocabSize: this.vocabSize, decay: this.decay };
  }

  dispose(): void {
    this.emit.dispose();
    this.mix.dispose();
  }
}
