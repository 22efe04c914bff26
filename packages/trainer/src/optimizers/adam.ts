import { nativeAdamUpdate } from '@seqgen/cells';
import type { JsonObject } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Optimizer } from './optimizer.js';

/** Hyperparameters of {@link Adam} (and of {@link AdamW}). */
export interface AdamOptions {
  /** Decay of the first-moment (mean gradient) average, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment (squared gradient) average, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to √v̂ in the denominator for numerical stability (default 1e-8). */
  epsilon?: number;
}

/** Adam (Kingma & Ba) with bias-corrected moments, written as PyTorch does: `p -= lr·m̂/(√v̂+ε)`. */
export class Adam extends Optimizer {
  /** Optimizer name in configs and checkpoints: `adam` (`adamw` for the subclass). */
  readonly type: string = 'adam';
  protected readonly slotNames = ['m', 'v'] as const;
  /** Decay of the first-moment average (default 0.9). */
  readonly beta1: number;
  /** Decay of the second-moment average (default 0.999). */
  readonly beta2: number;
  /** Denominator stabilizer (default 1e-8). */
  readonly epsilon: number;

  constructor(options: AdamOptions = {}) {
    super();
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /**
   * Updates the moments `m`, `v` and applies the bias-corrected step to one
   * parameter: in one native pass where `@seqgen/native` runs (wasm, cpu), else
   * as tfjs ops; both compute the same float32 chain.
   */
  protected update(param: tf.Variable, grad: tf.Tensor, slots: Record<string, tf.Variable>, lr: number): void {
    const { m, v } = slots as { m: tf.Variable; v: tf.Variable };
    const t = this.iterations;
    const decay = this.decayFactor(param, lr);
    const fused = nativeAdamUpdate(param, grad, m, v, {
      lr,
      beta1: this.beta1,
      oneMinusBeta1: 1 - this.beta1,
      beta2: this.beta2,
      oneMinusBeta2: 1 - this.beta2,
      c1: 1 - this.beta1 ** t,
      c2: 1 - this.beta2 ** t,
      epsilon: this.epsilon,
      decay,
    });
    if (fused) {
      m.assign(fused.m);
      v.assign(fused.v);
      param.assign(fused.param);
      return;
    }
    if (decay !== 1) param.assign(tf.mul(param, decay));
    m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(grad, 1 - this.beta1)));
    v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2)));
    const mHat = tf.div(m, 1 - this.beta1 ** t);
    const vHat = tf.div(v, 1 - this.beta2 ** t);
    param.assign(tf.sub(param, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), lr)));
  }

  /** What the parameter is multiplied by before the step: 1 for Adam (AdamW decays). */
  protected decayFactor(_param: tf.Variable, _lr: number): number {
    return 1;
  }

  getConfig(): JsonObject {
    return { type: this.type, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
