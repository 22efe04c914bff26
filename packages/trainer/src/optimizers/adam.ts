import type { JsonObject } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Optimizer } from './optimizer.js';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam (Kingma & Ba) with bias-corrected moments, written as PyTorch does: `p -= lr·m̂/(√v̂+ε)`. */
export class Adam extends Optimizer {
  readonly type: string = 'adam';
  protected readonly slotNames = ['m', 'v'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamOptions = {}) {
    super();
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  protected update(param: tf.Variable, grad: tf.Tensor, slots: Record<string, tf.Variable>, lr: number): void {
    const { m, v } = slots as { m: tf.Variable; v: tf.Variable };
    const t = this.iterations;
    m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(grad, 1 - this.beta1)));
    v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2)));
    const mHat = tf.div(m, 1 - this.beta1 ** t);
    const vHat = tf.div(v, 1 - this.beta2 ** t);
    param.assign(tf.sub(param, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), lr)));
  }

  getConfig(): JsonObject {
    return { type: this.type, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
