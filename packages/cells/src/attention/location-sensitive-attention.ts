import { ConfigError, glorotUniform, Rng, ShapeError, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { expectShape, positiveInt } from '../checks.js';
import { expectType, pick } from '../config-fields.js';
import type { TaggedConfigJson } from '../config-json.js';
import { sameConv2d } from '../conv-lstm-cell.js';
import { linear } from '../ops/linear.js';
import { tanh } from '../ops/tanh.js';
import { WeightStore } from '../weights.js';
import type { Attention, AttentionOptions, AttentionResult } from './attention.js';
import { attend, checkAttentionInputs } from './masked-softmax.js';

/** Sizes and seed of a {@link LocationSensitiveAttention}. */
export type LocationSensitiveAttentionOptions = {
  /** Width of the query (the decoder state). */
  querySize: number;
  /** Width of each memory position (the encoder output). */
  memorySize: number;
  /** Size of the hidden scoring layer (default: querySize). */
  units?: number;
  /** Channels of the convolution over the cumulative weights (default 32, as Tacotron 2). */
  filters?: number;
  /** Width of that convolution, odd so that it is centred (default 31, as Tacotron 2). */
  kernelSize?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
};

/** What a location-sensitive attention call returns: the context, this step's weights, and the running sum of weights. */
export type LocationAttentionResult = AttentionResult & {
  /** `[B, S]`: the cumulative weights given plus this step's: pass them to the next step. */
  cumulativeWeights: tf.Tensor;
};

/** Which positions may be attended to, and where the previous steps looked. */
export type LocationAttentionOptions = AttentionOptions & {
  /** `[B, S]`: the sum of every previous step's weights (default zeros: the first step). */
  cumulativeWeights?: tf.Tensor;
};

/**
 * A memory prepared for stepping: the memory, its projection `W_m·m + b`
 * (computed once per sequence by {@link LocationSensitiveAttention.projectMemory}),
 * its mask and the cumulative weights so far.
 */
export type LocationAttentionMemory = {
  /** `[B, S, memorySize]`. */
  memory: tf.Tensor;
  /** `[B, S, units]` from `projectMemory(memory)`. */
  keys: tf.Tensor;
  /** `[B, S]`: the sum of every previous step's weights (zeros before the first step). */
  cumulativeWeights: tf.Tensor;
  /** `[B, S]`, 1 where a position is real (default: all real). */
  mask?: tf.Tensor;
};

/**
 * Location-sensitive attention (Chorowski et al. 2015, as Tacotron 2 uses it):
 * score(q, m_s) = vᵀ · tanh(W_q·q + W_m·m_s + b + U·f_s), where
 * f = conv1d(cumulative attention weights) gives every position features of
 * where the previous steps already looked, so the alignment moves forward
 * monotonically instead of jumping. Weights: `queryKernel` `[querySize, units]`,
 * `memoryKernel` `[memorySize, units]`, `bias` `[units]`, `locationFilter`
 * `[kernelSize, filters]`, `locationKernel` `[filters, units]`, `scoreVector`
 * `[units, 1]`. Decoding projects the memory once ({@link projectMemory}) and
 * then runs {@link step} per output: constant work per step.
 */
export class LocationSensitiveAttention implements Attention {
  /** Width of the query (the decoder state). */
  readonly querySize: number;
  /** Width of each memory position (the encoder output). */
  readonly memorySize: number;
  /** Size of the hidden scoring layer. */
  readonly units: number;
  /** Channels of the location convolution. */
  readonly filters: number;
  /** Width of the location convolution (odd). */
  readonly kernelSize: number;
  /** Seed the initial weights were drawn from; saved in the config. */
  readonly seed: number;
  private readonly store = new WeightStore();

  constructor(options: LocationSensitiveAttentionOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('options', 'must be an object { querySize, memorySize, units?, filters?, kernelSize? }');
    }
    this.querySize = positiveInt(options.querySize, 'querySize');
    this.memorySize = positiveInt(options.memorySize, 'memorySize');
    this.units = positiveInt(options.units ?? this.querySize, 'units');
    this.filters = positiveInt(options.filters ?? 32, 'filters');
    this.kernelSize = positiveInt(options.kernelSize ?? 31, 'kernelSize');
    if (this.kernelSize % 2 === 0) {
      throw new ConfigError('kernelSize', `must be odd (a centred convolution), got ${this.kernelSize}`);
    }
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed) || this.seed < 0) {
      throw new ConfigError('seed', `must be a non-negative integer, got ${JSON.stringify(options.seed)}`);
    }
    const rng = new Rng(this.seed);
    this.store.add('queryKernel', glorotUniform(rng, [this.querySize, this.units]));
    this.store.add('memoryKernel', glorotUniform(rng, [this.memorySize, this.units]));
    this.store.add('bias', tf.zeros([this.units]));
    this.store.add('locationFilter', glorotUniform(rng, [this.kernelSize, this.filters]));
    this.store.add('locationKernel', glorotUniform(rng, [this.filters, this.units]));
    this.store.add('scoreVector', glorotUniform(rng, [this.units, 1]));
  }

  /** Every weight's name and shape for these options, computed without allocating. */
  static weightShapes(options: LocationSensitiveAttentionOptions): Record<string, number[]> {
    const units = options.units ?? options.querySize;
    const filters = options.filters ?? 32;
    return {
      queryKernel: [options.querySize, units],
      memoryKernel: [options.memorySize, units],
      bias: [units],
      locationFilter: [options.kernelSize ?? 31, filters],
      locationKernel: [filters, units],
      scoreVector: [units, 1],
    };
  }

  /** `queryKernel`, `memoryKernel`, `bias`, `locationFilter`, `locationKernel` and `scoreVector`. */
  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.store.variables;
  }

  /** The memory's part of every score, `W_m·m + b` `[B, S, units]`: compute it once per sequence. */
  projectMemory(memory: tf.Tensor): tf.Tensor {
    expectShape(memory, 'memory', [undefined, undefined, this.memorySize], 'LocationSensitiveAttention.projectMemory');
    const v = this.store.variables;
    return linear(memory, v.memoryKernel as tf.Tensor2D, v.bias as tf.Tensor1D);
  }

  /**
   * One decoder step over a prepared memory: scores with `query` `[B, querySize]`
   * and the location features of `prepared.cumulativeWeights`, masked softmax,
   * context. Constant work per step (no projection of the memory here).
   */
  step(query: tf.Tensor, prepared: LocationAttentionMemory): LocationAttentionResult {
    const who = 'LocationSensitiveAttention.step';
    if (typeof prepared !== 'object' || prepared === null) {
      throw new ShapeError('prepared', '{ memory, keys, cumulativeWeights, mask? }', typeof prepared, who);
    }
    const { memory, keys, cumulativeWeights } = prepared;
    checkAttentionInputs(query, memory, this.querySize, this.memorySize, who);
    const [B, S] = memory.shape as [number, number, number];
    expectShape(keys, 'prepared.keys', [B, S, this.units], who);
    expectShape(cumulativeWeights, 'prepared.cumulativeWeights', [B, S], who);
    return this.scoreAndAttend(query, memory, keys, cumulativeWeights, prepared.mask ? { mask: prepared.mask } : {});
  }

  /**
   * Attends with `query` `[B, querySize]` over `memory` `[B, S, memorySize]`
   * given where earlier steps looked (`options.cumulativeWeights`, default
   * zeros): context `[B, memorySize]`, weights `[B, S]` and the new cumulative
   * weights. Projects the memory on every call; decoders use
   * {@link projectMemory} once and {@link step}.
   */
  apply(query: tf.Tensor, memory: tf.Tensor, options: LocationAttentionOptions = {}): LocationAttentionResult {
    const who = 'LocationSensitiveAttention.apply';
    checkAttentionInputs(query, memory, this.querySize, this.memorySize, who);
    const [B, S] = memory.shape as [number, number, number];
    const { cumulativeWeights, ...masking } = options;
    if (cumulativeWeights !== undefined) expectShape(cumulativeWeights, 'cumulativeWeights', [B, S], who);
    const cumulative = cumulativeWeights ?? tf.zeros([B, S]);
    return this.scoreAndAttend(query, memory, this.projectMemory(memory), cumulative, masking);
  }

  /** Sizes and seed as plain JSON (`type: 'location-sensitive'`); `attentionFromConfig` rebuilds the mechanism. */
  getConfig(): TaggedConfigJson<'location-sensitive'> {
    return {
      type: 'location-sensitive',
      querySize: this.querySize,
      memorySize: this.memorySize,
      units: this.units,
      filters: this.filters,
      kernelSize: this.kernelSize,
      seed: this.seed,
    };
  }

  /** Rebuilds a mechanism from `getConfig()` JSON, with fresh weights drawn from its seed. */
  static fromConfig(config: TypedConfig): LocationSensitiveAttention {
    const c = expectType(config, 'location-sensitive', 'LocationSensitiveAttention');
    return new LocationSensitiveAttention({
      querySize: c.querySize as number,
      memorySize: c.memorySize as number,
      ...pick(c, 'units', 'number'),
      ...pick(c, 'filters', 'number'),
      ...pick(c, 'kernelSize', 'number'),
      ...pick(c, 'seed', 'number'),
    });
  }

  /** Frees the weights; the mechanism cannot be used afterwards. */
  dispose(): void {
    this.store.dispose();
  }

  private scoreAndAttend(
    query: tf.Tensor,
    memory: tf.Tensor,
    keys: tf.Tensor,
    cumulative: tf.Tensor,
    masking: AttentionOptions,
  ): LocationAttentionResult {
    const v = this.store.variables;
    const [B, S] = memory.shape as [number, number, number];
    // conv1d then a dense layer, both linear: one 'same' convolution with the product filter [K, units]
    // (a 1-channel signal as a [B, S, 1, 1] image; sameConv2d trains on wasm, tf.conv1d does not).
    const filter = tf.reshape(tf.matMul(v.locationFilter as tf.Tensor2D, v.locationKernel as tf.Tensor2D), [
      this.kernelSize,
      1,
      1,
      this.units,
    ]);
    const location = tf.reshape(sameConv2d(tf.reshape(cumulative, [B, S, 1, 1]), filter), [B, S, this.units]);
    const q = tf.expandDims(linear(query, v.queryKernel as tf.Tensor2D), 1); // [B, 1, units]
    const hidden = tanh(tf.add(tf.add(keys, q), location));
    // A product and a sum over units rather than a matmul with one output column (slow on wasm).
    const scores = tf.sum(tf.mul(hidden, tf.reshape(v.scoreVector as tf.Tensor2D, [-1])), 2);
    const { context, weights } = attend(scores, memory, masking);
    return { context, weights, cumulativeWeights: tf.add(cumulative, weights) };
  }
}
