import type { JsonObject } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Optimizer } from './optimizer.js';

/** Hyperparameters of {@link Sgd}. */
export interface SgdOptions {
  /** Momentum coefficient (default 0: plain SGD, no slots). */
  momentum?: number;
  /** Use Nesterov momentum (default false); only matters with `momentum` > 0. */
  nesterov?: boolean;
}

/** SGD with optional (Nesterov) momentum, PyTorch's form: `buf = μ·buf + g; p -= lr·buf`. */
export class Sgd extends Optimizer {
  /** Always `sgd`. */
  readonly type = 'sgd';
  protected readonly slotNames: readonly string[];
  /** Momentum coefficient (default 0: plain SGD). */
  readonly momentum: number;
  /** Whether momentum is Nesterov's (default false). */
  readonly nesterov: boolean;

  constructor(options: SgdOptions = {}) {
    super();
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }

  /** Steps one parameter against its gradient, through the momentum buffer when momentum is on. */
  protected update(param: tf.Variable, grad: tf.Tensor, slots: Record<string, tf.Variable>, lr: number): void {
    let step: tf.Tensor = grad;
    if (this.momentum > 0) {
      const buf = slots.momentum as tf.Variable;
      buf.assign(tf.add(tf.mul(buf, this.momentum), grad));
      step = this.nesterov ? tf.add(grad, tf.mul(buf, this.momentum)) : buf;
    }
    param.assign(tf.sub(param, tf.mul(step, lr)));
  }

  getConfig(): JsonObject {
    return { type: this.type, momentum: this.momentum, nesterov: this.nesterov };
  }
}
