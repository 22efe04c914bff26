import type { JsonObject } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Optimizer } from './optimizer.js';

/** Hyperparameters of {@link RmsProp}. */
export interface RmsPropOptions {
  /** Decay of the squared-gradient average (default 0.9). */
  rho?: number;
  /** Momentum coefficient in [0, 1) (default 0: none, and no momentum slot). */
  momentum?: number;
  /** Added to √E[g²] in the denominator for numerical stability (default 1e-8). */
  epsilon?: number;
}

/** RMSProp (Hinton), the classic char-rnn optimizer: `p -= lr·g/(√E[g²]+ε)`, optionally with momentum. */
export class RmsProp extends Optimizer {
  /** Always `rmsprop`. */
  readonly type = 'rmsprop';
  protected readonly slotNames: readonly string[];
  /** Decay of the squared-gradient average (default 0.9). */
  readonly rho: number;
  /** Momentum coefficient (default 0). */
  readonly momentum: number;
  /** Denominator stabilizer (default 1e-8). */
  readonly epsilon: number;

  constructor(options: RmsPropOptions = {}) {
    super();
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-8;
    this.slotNames = this.momentum > 0 ? ['meanSquare', 'momentum'] : ['meanSquare'];
  }

  /** Updates the squared-gradient average (and momentum buffer) and steps one parameter. */
  protected update(param: tf.Variable, grad: tf.Tensor, slots: Record<string, tf.Variable>, lr: number): void {
    const ms = slots.meanSquare as tf.Variable;
    ms.assign(tf.add(tf.mul(ms, this.rho), tf.mul(tf.square(grad), 1 - this.rho)));
    let step = tf.div(grad, tf.add(tf.sqrt(ms), this.epsilon));
    if (this.momentum > 0) {
      const buf = slots.momentum as tf.Variable;
      buf.assign(tf.add(tf.mul(buf, this.momentum), step));
      step = buf;
    }
    param.assign(tf.sub(param, tf.mul(step, lr)));
  }

  getConfig(): JsonObject {
    return { type: this.type, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon };
  }
}
