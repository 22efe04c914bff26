import { glorotUniform, Rng, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { positiveInt } from '../checks.js';
import { expectType, pick } from '../config-fields.js';
import type { TaggedConfigJson } from '../config-json.js';
import { linear } from '../ops/linear.js';
import { tanh } from '../ops/tanh.js';
import { WeightStore } from '../weights.js';
import type { Attention, AttentionOptions, AttentionResult } from './attention.js';
import { attend, checkAttentionInputs } from './masked-softmax.js';

/** Sizes and seed of a {@link BahdanauAttention}. */
export interface BahdanauAttentionOptions {
  /** Width of the query (the decoder state). */
  querySize: number;
  /** Width of each memory position (the encoder output). */
  memorySize: number;
  /** Size of the hidden scoring layer (default: querySize). */
  units?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

/**
 * Additive attention (Bahdanau, Cho & Bengio 2015):
 * score(q, m_s) = vᵀ · tanh(W_q·q + W_m·m_s + b). Weights: `queryKernel`
 * `[querySize, units]`, `memoryKernel` `[memorySize, units]`, `bias` `[units]`,
 * `scoreVector` `[units, 1]`.
 */
export class BahdanauAttention implements Attention {
  /** Width of the query (the decoder state). */
  readonly querySize: number;
  /** Width of each memory position (the encoder output). */
  readonly memorySize: number;
  /** Size of the hidden scoring layer (default: `querySize`). */
  readonly units: number;
  /** Seed the initial weights were drawn from; saved in the config. */
  readonly seed: number;
  private readonly store = new WeightStore();

  constructor(options: BahdanauAttentionOptions) {
    this.querySize = positiveInt(options.querySize, 'querySize');
    this.memorySize = positiveInt(options.memorySize, 'memorySize');
    this.units = positiveInt(options.units ?? this.querySize, 'units');
    this.seed = options.seed ?? 0;
    const rng = new Rng(this.seed);
    this.store.add('queryKernel', glorotUniform(rng, [this.querySize, this.units]));
    this.store.add('memoryKernel', glorotUniform(rng, [this.memorySize, this.units]));
    this.store.add('bias', tf.zeros([this.units]));
    this.store.add('scoreVector', glorotUniform(rng, [this.units, 1]));
  }

  /** `queryKernel`, `memoryKernel`, `bias` and `scoreVector`. */
  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.store.variables;
  }

  /** Scores every memory position additively and returns the context `[B, memorySize]` and weights `[B, S]`. */
  apply(query: tf.Tensor, memory: tf.Tensor, options: AttentionOptions = {}): AttentionResult {
    checkAttentionInputs(query, memory, this.querySize, this.memorySize, 'BahdanauAttention.apply');
    const v = this.store.variables;
    const keys = linear(memory, v.memoryKernel as tf.Tensor2D, v.bias as tf.Tensor1D); // [B, S, units]
    const q = tf.expandDims(linear(query, v.queryKernel as tf.Tensor2D), 1); // [B, 1, units]
    const scores = tf.squeeze(linear(tanh(tf.add(keys, q)), v.scoreVector as tf.Tensor2D), [2]);
    return attend(scores, memory, options);
  }

  getConfig(): TaggedConfigJson<'bahdanau'> {
    return {
      type: 'bahdanau',
      querySize: this.querySize,
      memorySize: this.memorySize,
      units: this.units,
      seed: this.seed,
    };
  }

  /** Rebuilds a mechanism from `getConfig()` JSON, with fresh weights drawn from its seed. */
  static fromConfig(config: TypedConfig): BahdanauAttention {
    const c = expectType(config, 'bahdanau', 'BahdanauAttention');
    return new BahdanauAttention({
      querySize: c.querySize as number,
      memorySize: c.memorySize as number,
      ...pick(c, 'units', 'number'),
      ...pick(c, 'seed', 'number'),
    });
  }

  /** Frees the weights; the mechanism cannot be used afterwards. */
  dispose(): void {
    this.store.dispose();
  }
}
