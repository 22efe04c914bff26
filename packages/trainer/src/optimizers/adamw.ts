import type { JsonObject } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { Adam, type AdamOptions } from './adam.js';

/** Hyperparameters of {@link AdamW}: Adam's plus the decoupled weight decay. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled decay per step, scaled by the learning rate (default 0.01). */
  weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter): weight decay applied to the weights directly,
 * `p -= lr·wd·p`, not added to the gradient, so Adam's per-parameter scaling
 * does not weaken it. tfjs has no AdamW. Biases and other rank-1 parameters
 * are not decayed (the common practice).
 */
export class AdamW extends Adam {
  /** Always `adamw`. */
  override readonly type: string = 'adamw';
  /** Decoupled decay per step, scaled by the learning rate, applied to parameters of rank ≥ 2 (default 0.01). */
  readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    super(options);
    this.weightDecay = options.weightDecay ?? 0.01;
  }

  /** A matrix parameter is decayed by `lr·weightDecay` before Adam's step; vectors are not. */
  protected override decayFactor(param: tf.Variable, lr: number): number {
    return param.rank >= 2 && this.weightDecay > 0 ? 1 - lr * this.weightDecay : 1;
  }

  override getConfig(): JsonObject {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
