import type { JsonObject } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Optimizer } from './optimizer.js';

export interface RmsPropOptions {
  /** Decay of the squared-gradient average (default 0.9). */
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

/** RMSProp (Hinton), the classic char-rnn optimizer: `p -= lr·g/(√E[g²]+ε)`, optionally with momentum. */
export class RmsProp extends Optimizer {
  readonly type = 'rmsprop';
  protected readonly slotNames: readonly string[];
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;

  constructor(options: RmsPropOptions = {}) {
    super();
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-8;
    this.slotNames = this.momentum > 0 ? ['meanSquare', 'momentum'] : ['meanSquare'];
  }

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
