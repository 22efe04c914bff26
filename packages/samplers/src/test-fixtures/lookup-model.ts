import type { ModelConfig, Rng, SequenceModel } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Test fixture (not exported): a real tfjs bigram model. `step` returns row
 * `token` of a fixed logits table via `tf.gather`; the state is a per-row
 * step counter `[batch]` (int32) so that state handling is exercised.
 * `stepCalls` and `batchSizes` count the model work generation does.
 */
export class LookupModel implements SequenceModel<tf.Tensor[]> {
  readonly vocabSize: number;
  readonly table: tf.Tensor2D;
  stepCalls = 0;
  readonly batchSizes: number[] = [];

  constructor(table: number[][]) {
    this.vocabSize = table.length;
    this.table = tf.tensor2d(table);
  }

  initialState(batchSize: number): tf.Tensor[] {
    return [tf.zeros([batchSize], 'int32')];
  }

  step(tokens: tf.Tensor1D, state: tf.Tensor[]): { logits: tf.Tensor2D; state: tf.Tensor[] } {
    this.stepCalls++;
    this.batchSizes.push(tokens.shape[0]);
    return { logits: tf.gather(this.table, tokens), state: [tf.add(state[0] as tf.Tensor, 1)] };
  }

  getConfig(): ModelConfig {
    return { type: 'lookup-test-model', vocabSize: this.vocabSize };
  }

  dispose(): void {
    this.table.dispose();
  }
}

/** A `rows × cols` table of uniform values in [-scale, scale), drawn from `rng`. */
export function randomTable(rng: Rng, rows: number, cols: number, scale = 3): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.uniform(-scale, scale)));
}
