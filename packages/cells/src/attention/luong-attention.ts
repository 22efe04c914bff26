import { assertOneOf, ConfigError, glorotUniform, Rng, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { positiveInt } from '../checks.js';
import { expectType, pick } from '../config-fields.js';
import type { TaggedConfigJson } from '../config-json.js';
import { linear } from '../ops/linear.js';
import { WeightStore } from '../weights.js';
import type { Attention, AttentionOptions, AttentionResult } from './attention.js';
import { attend, checkAttentionInputs } from './masked-softmax.js';

/** Sizes, score function and seed of a {@link LuongAttention}. */
export interface LuongAttentionOptions {
  /** Width of the query (the decoder state); must equal `memorySize` for `dot`. */
  querySize: number;
  /** Width of each memory position (the encoder output). */
  memorySize: number;
  /** `dot`: qᵀm (sizes must match); `general`: qᵀ·W·m (default). */
  score?: 'dot' | 'general';
  /** Divide scores by √memorySize (default false, as in Luong et al.). */
  scale?: boolean;
  /** Seed of the `general` kernel (default 0). */
  seed?: number;
}

/**
 * Multiplicative attention (Luong, Pham & Manning 2015), `dot` or `general`.
 * `general` has one weight, `kernel` `[querySize, memorySize]`.
 */
export class LuongAttention implements Attention {
  /** Width of the query (the decoder state). */
  readonly querySize: number;
  /** Width of each memory position (the encoder output). */
  readonly memorySize: number;
  /** `dot`: qᵀm; `general`: qᵀ·W·m with a learned `kernel` (default). */
  readonly score: 'dot' | 'general';
  /** Whether scores are divided by √memorySize (default false). */
  readonly scale: boolean;
  /** Seed the kernel was drawn from; saved in the config. */
  readonly seed: number;
  private readonly store = new WeightStore();

  constructor(options: LuongAttentionOptions) {
    this.querySize = positiveInt(options.querySize, 'querySize');
    this.memorySize = positiveInt(options.memorySize, 'memorySize');
    this.score = options.score ?? 'general';
    this.scale = options.scale ?? false;
    this.seed = options.seed ?? 0;
    assertOneOf('score', this.score, ['dot', 'general'] as const);
    if (this.score === 'dot' && this.querySize !== this.memorySize) {
      throw new ConfigError(
        'score',
        `"dot" needs querySize (${this.querySize}) equal to memorySize (${this.memorySize}); use "general"`,
      );
    }
    if (this.score === 'general') {
      this.store.add('kernel', glorotUniform(new Rng(this.seed), [this.querySize, this.memorySize]));
    }
  }

  /** `kernel` `[querySize, memorySize]` for `general`; none for `dot`. */
  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.store.variables;
  }

  /** Scores every memory position multiplicatively and returns the context `[B, memorySize]` and weights `[B, S]`. */
  apply(query: tf.Tensor, memory: tf.Tensor, options: AttentionOptions = {}): AttentionResult {
    checkAttentionInputs(query, memory, this.querySize, this.memorySize, 'LuongAttention.apply');
    const q = this.score === 'general' ? linear(query, this.store.variables.kernel as tf.Tensor2D) : query;
    // [B, S, M] · [B, M, 1] → [B, S]
    let scores = tf.squeeze(tf.matMul(memory, tf.expandDims(q, 2)), [2]);
    if (this.scale) scores = tf.div(scores, Math.sqrt(this.memorySize));
    return attend(scores, memory, options);
  }

  getConfig(): TaggedConfigJson<'luong'> {
    return {
      type: 'luong',
      querySize: this.querySize,
      memorySize: this.memorySize,
      score: this.score,
      scale: this.scale,
      seed: this.seed,
    };
  }

  /** Rebuilds a mechanism from `getConfig()` JSON, with a fresh kernel drawn from its seed. */
  static fromConfig(config: TypedConfig): LuongAttention {
    const c = expectType(config, 'luong', 'LuongAttention');
    return new LuongAttention({
      querySize: c.querySize as number,
      memorySize: c.memorySize as number,
      ...(pick(c, 'score', 'string') as { score?: 'dot' | 'general' }),
      ...pick(c, 'scale', 'boolean'),
      ...pick(c, 'seed', 'number'),
    });
  }

  /** Frees the weights; the mechanism cannot be used afterwards. */
  dispose(): void {
    this.store.dispose();
  }
}
