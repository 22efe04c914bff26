import { ConfigError, glorotUniform, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { positiveInt } from '../checks.js';
import { linear } from '../ops/linear.js';
import { WeightStore } from '../weights.js';
import type { Attention, AttentionOptions, AttentionResult } from './attention.js';
import { attend, checkAttentionInputs } from './masked-softmax.js';

export interface LuongAttentionOptions {
  querySize: number;
  memorySize: number;
  /** `dot`: qᵀm (sizes must match); `general`: qᵀ·W·m (default). */
  score?: 'dot' | 'general';
  /** Divide scores by √memorySize (default false, as in Luong et al.). */
  scale?: boolean;
  seed?: number;
}

/**
 * Multiplicative attention (Luong, Pham & Manning 2015), `dot` or `general`.
 * `general` has one weight, `kernel` `[querySize, memorySize]`.
 */
export class LuongAttention implements Attention {
  readonly querySize: number;
  readonly memorySize: number;
  readonly score: 'dot' | 'general';
  readonly scale: boolean;
  private readonly store = new WeightStore();

  constructor(options: LuongAttentionOptions) {
    this.querySize = positiveInt(options.querySize, 'querySize');
    this.memorySize = positiveInt(options.memorySize, 'memorySize');
    this.score = options.score ?? 'general';
    this.scale = options.scale ?? false;
    if (this.score !== 'dot' && this.score !== 'general') {
      throw new ConfigError('score', `must be "dot" or "general", got ${JSON.stringify(options.score)}`);
    }
    if (this.score === 'dot' && this.querySize !== this.memorySize) {
      throw new ConfigError(
        'score',
        `"dot" needs querySize (${this.querySize}) equal to memorySize (${this.memorySize}); use "general"`,
      );
    }
    if (this.score === 'general') {
      this.store.add('kernel', glorotUniform(new Rng(options.seed ?? 0), [this.querySize, this.memorySize]));
    }
  }

  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.store.variables;
  }

  apply(query: tf.Tensor, memory: tf.Tensor, options: AttentionOptions = {}): AttentionResult {
    checkAttentionInputs(query, memory, this.querySize, this.memorySize, 'LuongAttention.apply');
    const q = this.score === 'general' ? linear(query, this.store.variables.kernel as tf.Tensor2D) : query;
    // [B, S, M] · [B, M, 1] → [B, S]
    let scores = tf.squeeze(tf.matMul(memory, tf.expandDims(q, 2)), [2]);
    if (this.scale) scores = tf.div(scores, Math.sqrt(this.memorySize));
    return attend(scores, memory, options);
  }

  dispose(): void {
    this.store.dispose();
  }
}
