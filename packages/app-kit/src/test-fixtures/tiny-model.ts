import type { JsonObject } from '@seqgen/core';
import type { DataSource, LossResult, TrainableModel } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';

/** Test-only: a linear regression as a TrainableModel (4 inputs, one output, 8 examples per batch). */
export interface TinyBatch {
  x: number[];
  y: number[];
}

export class TinyModel implements TrainableModel<TinyBatch> {
  readonly variables: Record<string, tf.Variable>;
  constructor(prefix = 'tiny') {
    this.variables = {
      w: tf.variable(tf.zeros([4, 1]), true, `${prefix}/w-${Math.random()}`),
      b: tf.variable(tf.zeros([1]), true, `${prefix}/b-${Math.random()}`),
    };
  }
  loss(batch: TinyBatch): LossResult {
    const x = tf.tensor2d(batch.x, [8, 4]);
    const y = tf.tensor2d(batch.y, [8, 1]);
    const pred = tf.add(tf.matMul(x, this.variables.w as tf.Variable), this.variables.b as tf.Variable);
    return { loss: tf.losses.meanSquaredError(y, pred) as tf.Scalar, tokens: 8 };
  }
  getConfig() {
    return { type: 'tiny-test-model' };
  }
  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}

/** Deterministic batches: y = x · [1, 2, 3, 4] + 0.5, x from a counter. */
export class TinyData implements DataSource<TinyBatch> {
  i = 0;
  next(): TinyBatch {
    const x: number[] = [];
    const y: number[] = [];
    for (let r = 0; r < 8; r++) {
      const row = [0, 1, 2, 3].map((k) => Math.sin(this.i * 8 + r + k * 1.7));
      x.push(...row);
      y.push(row.reduce((s, v, k) => s + v * (k + 1), 0.5));
    }
    this.i++;
    return { x, y };
  }
  getState(): JsonObject {
    return { i: this.i };
  }
  setState(state: JsonObject): void {
    this.i = Number(state.i);
  }
}
