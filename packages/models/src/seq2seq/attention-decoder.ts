import {
  BahdanauAttention,
  dropoutMask,
  embeddingLookup,
  LuongAttention,
  linear,
  nativeKernels,
  StackedRNN,
  stackSteps,
  unstackSteps,
} from '@seqgen/cells';
import {
  type AttentionMemory,
  assertPositiveInteger,
  ConfigError,
  describeValue,
  glorotUniform,
  type ModelConfig,
  Rng,
  type SequenceModel,
  type SequenceStepResult,
  ShapeError,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { checkFloatShape, checkTokenIds } from '../input-checks.js';
import { variableFrom } from '../variable-from.js';
import { cellStep, inputGates, type LayerWeights } from './decoder-cell-step.js';
import { type AdditiveAttentionStep, fusedAdditiveAttention } from './fused-additive-attention.js';
import {
  type AttentionDecoderShape,
  attentionDecoderWeightShapes,
  decoderInputSize,
  type Seq2SeqAttention,
  type Seq2SeqCell,
} from './seq2seq-config.js';

const NAME = 'AttentionDecoder';

/** Whether Bahdanau steps use the fused op where it applies (tests turn it off to compare with the composed path). */
let fusedAttention = true;

/** Turns the fused Bahdanau step off or on for this process (tests and benchmarks compare both paths). */
export function setFusedAttention(on: boolean): void {
  fusedAttention = on;
}

/**
 * What an attention decoder decodes from: the memory it attends over (encoder
 * outputs, an image's spatial features, phoneme encodings) with its mask, and
 * optionally the recurrent state to start from (a bridged encoder state).
 */
export type Seq2SeqCondition = AttentionMemory & {
  /**
   * Every decoder layer's starting state, layer after layer, one flat list
   * (`[h₀, c₀, h₁, c₁, …]` for LSTM, `[h₀, h₁, …]` for GRU), each `[B, hiddenSize]`;
   * absent: zeros.
   */
  initialStates?: tf.Tensor2D[];
};

/**
 * The decoder's carried state. Everything has the batch on axis 0, so that
 * samplers repeat and reorder it per sample or beam; the memory and its
 * projection (`keys`, computed once in `initialState`) travel with it.
 */
export interface AttentionDecoderState {
  /** Every layer's recurrent state, flat, layer after layer. */
  layers: tf.Tensor2D[];
  /** The last attentional vector `[B, hiddenSize]` (input feeding only). */
  feed?: tf.Tensor2D;
  /** `[B, S, memorySize]` (absent without attention). */
  memory?: tf.Tensor3D;
  /** The memory projected for scoring once per sequence: `[B, S, hiddenSize]` (Bahdanau, Luong general). */
  keys?: tf.Tensor3D;
  /** `[B, S]`, 1 where a memory position is real. */
  mask?: tf.Tensor2D;
  /** The attention weights of the last step `[B, S]` (zeros before the first). */
  weights?: tf.Tensor2D;
}

/** Options of an {@link AttentionDecoder}. */
export interface AttentionDecoderOptions {
  /** Target tokens: rows of the embedding, columns of the logits. */
  vocabSize: number;
  /** Width of the target token embedding. */
  embeddingSize: number;
  /** Units per recurrent layer; also the width of the attentional vector. */
  hiddenSize: number;
  /** Width of the memory it attends over (the last axis of `memory`). */
  memorySize: number;
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Default `'gru'`. */
  cell?: Seq2SeqCell;
  /** Default `'bahdanau'`. `'luong-dot'` needs `memorySize` = `hiddenSize`. */
  attention?: Seq2SeqAttention;
  /** Feed the last attentional vector with the next token (Luong; default true). */
  inputFeeding?: boolean;
  /** Output kernel = embeddingᵀ; needs `embeddingSize` = `hiddenSize` (default false). */
  tieWeights?: boolean;
  /** Dropout on embeddings, between layers and on the attentional vector while training (default 0). */
  dropout?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

/** Per-call options of teacher-forced decoding. */
export interface DecoderForwardOptions {
  /** Apply dropout (default false). */
  training?: boolean;
  /** Generator of dropout masks and scheduled-sampling draws (default: one seeded by the decoder's seed). */
  rng?: Rng;
  /** Probability, per row and position after the first, of feeding the previous step's argmax instead of `ids` (default 0). */
  scheduledSampling?: number;
}

/** What teacher-forced decoding returns. */
export interface DecoderForwardResult {
  /** `[B, T, vocabSize]`. */
  logits: tf.Tensor3D;
  /** Attention weights `[B, T, S]` (absent without attention). */
  attention?: tf.Tensor3D;
}

/**
 * A stacked LSTM/GRU decoder that attends over any memory `[B, S, D]`
 * (Bahdanau additive, Luong dot or general, or none), with Luong's input
 * feeding, optional weight tying and dropout. It is a core `SequenceModel`
 * conditioned on a {@link Seq2SeqCondition}: samplers decode it one token at
 * a time, and each step costs the same whatever the prefix (the memory's
 * projection is computed once, in `initialState`). Translation feeds it an
 * encoder's outputs; captioning and speech can feed it image features or
 * phoneme encodings unchanged.
 */
export class AttentionDecoder implements SequenceModel<AttentionDecoderState, Seq2SeqCondition> {
  readonly vocabSize: number;
  /** The sizes and choices that fix every weight's shape (vocabulary, widths, layers, cell, attention). */
  readonly shape: Readonly<AttentionDecoderShape>;
  /** Dropout rate applied while training (embeddings, between layers, attentional vector), in [0, 1). */
  readonly dropout: number;
  /** Seed of the initial weights and of the decoder's own dropout masks. */
  readonly seed: number;
  /** The recurrent stack (unidirectional; its input is the embedding, plus the attentional vector when input feeding). */
  readonly rnn: StackedRNN;
  private readonly attention: BahdanauAttention | LuongAttention | undefined;
  private readonly own: Record<string, tf.Variable>;
  private readonly rng: Rng;
  private disposed = false;

  constructor(options: AttentionDecoderOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('options', `must be an object, got ${describeValue(options)}`);
    }
    const shape: AttentionDecoderShape = {
      vocabSize: options.vocabSize,
      embeddingSize: options.embeddingSize,
      hiddenSize: options.hiddenSize,
      memorySize: options.memorySize,
      numLayers: options.numLayers ?? 1,
      cell: options.cell ?? 'gru',
      attention: options.attention ?? 'bahdanau',
      inputFeeding: options.inputFeeding ?? true,
      tieWeights: options.tieWeights ?? false,
    };
    for (const field of ['vocabSize', 'embeddingSize', 'hiddenSize', 'memorySize', 'numLayers'] as const) {
      assertPositiveInteger(field, shape[field]);
    }
    if (shape.cell !== 'lstm' && shape.cell !== 'gru') {
      throw new ConfigError('cell', `must be "lstm" or "gru", got ${describeValue(shape.cell)}`);
    }
    if (!['bahdanau', 'luong-dot', 'luong-general', 'none'].includes(shape.attention)) {
      throw new ConfigError(
        'attention',
        `must be "bahdanau", "luong-dot", "luong-general" or "none", got ${describeValue(shape.attention)}`,
      );
    }
    if (shape.tieWeights && shape.embeddingSize !== shape.hiddenSize) {
      throw new ConfigError(
        'tieWeights',
        `needs embeddingSize (${shape.embeddingSize}) to equal hiddenSize (${shape.hiddenSize}): the output kernel is the embedding transposed`,
      );
    }
    if (shape.attention === 'luong-dot' && shape.memorySize !== shape.hiddenSize) {
      throw new ConfigError(
        'attention',
        `"luong-dot" needs memorySize (${shape.memorySize}) equal to hiddenSize (${shape.hiddenSize}); use "luong-general"`,
      );
    }
    const dropout = options.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
      throw new ConfigError('dropout', `must be a number in [0, 1), got ${describeValue(dropout)}`);
    }
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed) || seed < 0) {
      throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(seed)}`);
    }
    this.shape = Object.freeze(shape);
    this.vocabSize = shape.vocabSize;
    this.dropout = dropout;
    this.seed = seed;
    this.rng = new Rng(seed + 7);
    const H = shape.hiddenSize;
    const D = shape.memorySize;
    this.rnn = new StackedRNN({
      cell: shape.cell,
      inputSize: decoderInputSize(shape),
      hiddenSize: H,
      numLayers: shape.numLayers,
      dropout,
      seed: seed + 1,
    });
    if (shape.attention === 'bahdanau') {
      this.attention = new BahdanauAttention({ querySize: H, memorySize: D, units: H, seed: seed + 2 });
    } else if (shape.attention === 'luong-general' || shape.attention === 'luong-dot') {
      const score = shape.attention === 'luong-dot' ? 'dot' : 'general';
      this.attention = new LuongAttention({ querySize: H, memorySize: D, score, seed: seed + 2 });
    }
    const rng = new Rng(seed);
    const own: Record<string, tf.Variable> = {
      embedding: variableFrom(glorotUniform(rng, [shape.vocabSize, shape.embeddingSize])),
    };
    if (this.attention) own['combine/kernel'] = variableFrom(glorotUniform(rng, [H + D, H]));
    if (!shape.tieWeights) own['output/kernel'] = variableFrom(glorotUniform(rng, [H, shape.vocabSize]));
    own['output/bias'] = variableFrom(tf.zeros([shape.vocabSize]));
    this.own = own;
  }

  /** Every weight's name and shape for these options, computed without allocating. */
  static weightShapes(options: AttentionDecoderOptions): Record<string, number[]> {
    return attentionDecoderWeightShapes({
      vocabSize: options.vocabSize,
      embeddingSize: options.embeddingSize,
      hiddenSize: options.hiddenSize,
      memorySize: options.memorySize,
      numLayers: options.numLayers ?? 1,
      cell: options.cell ?? 'gru',
      attention: options.attention ?? 'bahdanau',
      inputFeeding: options.inputFeeding ?? true,
      tieWeights: options.tieWeights ?? false,
    });
  }

  /**
   * Trainable weights by stable names: `embedding`, `rnn/layers.{l}/…`,
   * `attention/…` (the @seqgen/cells mechanism's), `combine/kernel`,
   * `output/kernel` (absent when tied), `output/bias`.
   */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { embedding: this.own.embedding as tf.Variable };
    for (const [name, v] of Object.entries(this.rnn.variables)) out[`rnn/${name}`] = v;
    for (const [name, v] of Object.entries(this.attention?.variables ?? {})) out[`attention/${name}`] = v;
    for (const [name, v] of Object.entries(this.own)) if (name !== 'embedding') out[name] = v;
    return out;
  }

  /** Sizes of the flat recurrent state, layer after layer. */
  get stateSizes(): number[] {
    const per = this.shape.cell === 'lstm' ? 2 : 1;
    return Array.from({ length: this.shape.numLayers * per }, () => this.shape.hiddenSize);
  }

  /** The options as plain JSON (`type: 'attention-decoder'`). */
  getConfig(): ModelConfig {
    return { type: 'attention-decoder', ...this.shape, dropout: this.dropout, seed: this.seed };
  }

  /**
   * The state to decode `batchSize` rows from `condition` (core's
   * `SequenceModel` contract). Projects the memory for scoring here, once per
   * sequence, so that each step only scores the query against it. A decoder
   * with attention needs a condition; one without takes an optional one (its
   * `initialStates`).
   */
  initialState(batchSize: number, condition?: Seq2SeqCondition): AttentionDecoderState {
    this.assertLive();
    assertPositiveInteger('batchSize', batchSize);
    return tf.tidy(
      () => this.startState(batchSize, condition, `${NAME}.initialState`) as unknown as tf.TensorContainer,
    ) as unknown as AttentionDecoderState;
  }

  /**
   * One decoding step: `tokens` int32 `[B]` → logits `[B, vocabSize]` and the
   * next state (whose `weights` are this step's attention). Constant work per
   * token: the embedding row, each layer's cell, one score against the
   * precomputed keys, the attentional vector and the output projection.
   */
  step(tokens: tf.Tensor1D, state: AttentionDecoderState): SequenceStepResult<AttentionDecoderState> {
    this.assertLive();
    const context = `${NAME}.step`;
    checkTokenIds(tokens, 'tokens', 1, this.vocabSize, context);
    this.checkState(state, tokens.shape[0], context);
    return tf.tidy(() => {
      // embeddingLookup, not tf.gather: a step recorded on a tape (scheduled sampling, tests) must differentiate on wasm.
      const x = embeddingLookup(tokens, this.own.embedding as tf.Tensor2D) as tf.Tensor2D;
      const { attentional, state: next } = this.advance(x, state, false, this.rng);
      return { logits: this.project(attentional) as tf.Tensor2D, state: next as unknown as tf.TensorContainer };
    }) as unknown as { logits: tf.Tensor2D; state: AttentionDecoderState };
  }

  /**
   * Teacher-forced decoding of whole target prefixes `ids` int32 `[B, T]`
   * from `condition`: logits `[B, T, V]` for training. Everything that does
   * not depend on the recurrence is batched: the embedding lookup of every
   * token, the memory projection, and the output projection as one
   * `[B·T, H] × [H, V]` matmul; without input feeding (or without attention)
   * the recurrence runs the cells' fused whole-sequence kernel and attention
   * scores every step at once; with input feeding, layer 0's input gates of
   * all embeddings are one matmul and each step adds the fed-back part
   * (`cellStep`). Logits at t equal `step`'s after ids[:, ≤t].
   */
  forward(ids: tf.Tensor2D, condition?: Seq2SeqCondition, options: DecoderForwardOptions = {}): DecoderForwardResult {
    this.assertLive();
    const context = `${NAME}.forward`;
    checkTokenIds(ids, 'ids', 2, this.vocabSize, context);
    const [B, T] = ids.shape;
    const training = options.training ?? false;
    const rng = options.rng ?? this.rng;
    const sampling = training ? (options.scheduledSampling ?? 0) : 0;
    return tf.tidy(() => {
      let state = this.startState(B, condition, context);
      let x = embeddingLookup(ids, this.own.embedding as tf.Tensor2D) as tf.Tensor3D;
      if (training && this.dropout > 0) x = tf.mul(x, dropoutMask(rng, [B, T, this.shape.embeddingSize], this.dropout));
      const recurrentFeed = this.shape.inputFeeding && this.attention !== undefined;
      if (!recurrentFeed && sampling === 0) {
        // Nothing but the cells depends on the recurrence: one fused pass, then attention for all steps at once.
        const { output } = this.rnn.apply(x, { initialState: this.layerStates(state.layers), training, rng });
        let attentional = output as tf.Tensor3D;
        let attention: tf.Tensor3D | undefined;
        if (this.attention) {
          const att = this.attendAll(output as tf.Tensor3D, state);
          attentional = att.attentional;
          attention = att.weights;
        }
        if (training && this.dropout > 0) attentional = this.dropAttentional(attentional, rng);
        const logits = this.project(attentional) as tf.Tensor3D;
        return attention ? { logits, attention } : { logits };
      }
      // Layer 0's input gates: the embedding part for every step in one matmul; the fed-back part per step.
      const first = this.layerWeights(0);
      const E = this.shape.embeddingSize;
      const embeddingKernel = recurrentFeed ? (tf.slice(first.kernel, [0, 0], [E, -1]) as tf.Tensor2D) : first.kernel;
      const feedKernel = recurrentFeed ? (tf.slice(first.kernel, [E, 0], [-1, -1]) as tf.Tensor2D) : undefined;
      const gateSteps = unstackSteps(linear(x, embeddingKernel, first.bias)) as tf.Tensor2D[];
      const gold = sampling > 0 ? (ids.arraySync() as number[][]) : undefined;
      const attentionals: tf.Tensor2D[] = [];
      const stepLogits: tf.Tensor2D[] = [];
      const weights: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        let gates = gateSteps[t] as tf.Tensor;
        const previous = stepLogits[t - 1];
        if (gold && previous) {
          // Scheduled sampling (Bengio et al. 2015): some rows read the model's own previous guess.
          const guesses = previous.argMax(1).dataSync();
          const fed = gold.map((row, b) => (rng.float() < sampling ? (guesses[b] as number) : (row[t] as number)));
          let input = embeddingLookup(tf.tensor1d(fed, 'int32'), this.own.embedding as tf.Tensor2D);
          if (training && this.dropout > 0) {
            input = tf.mul(input, dropoutMask(rng, [B, this.shape.embeddingSize], this.dropout));
          }
          gates = linear(input, embeddingKernel, first.bias);
        }
        if (feedKernel && state.feed) gates = tf.add(gates, linear(state.feed, feedKernel));
        const layers = this.cellsForward(gates, state.layers, training, rng);
        const out = this.attendStep(layers, state, training, rng, true);
        state = out.state;
        attentionals.push(out.attentional);
        if (state.weights) weights.push(state.weights);
        if (gold) stepLogits.push(this.project(out.attentional) as tf.Tensor2D);
      }
      const logits = (gold ? stackSteps(stepLogits) : this.project(stackSteps(attentionals))) as tf.Tensor3D;
      return this.attention ? { logits, attention: stackSteps(weights) as tf.Tensor3D } : { logits };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rnn.dispose();
    this.attention?.dispose();
    for (const v of Object.values(this.own)) v.dispose();
  }

  /** Builds the starting state inside the caller's tidy (checked condition, keys projected once). */
  private startState(batch: number, condition: Seq2SeqCondition | undefined, context: string): AttentionDecoderState {
    const H = this.shape.hiddenSize;
    if (condition !== undefined && (typeof condition !== 'object' || condition === null)) {
      throw new ShapeError(
        'condition',
        'an AttentionMemory { memory, mask?, initialStates? }',
        typeof condition,
        context,
      );
    }
    let layers: tf.Tensor2D[];
    if (condition?.initialStates !== undefined) {
      const given = condition.initialStates;
      if (!Array.isArray(given) || given.length !== this.stateSizes.length) {
        throw new ShapeError(
          'condition.initialStates',
          `${this.stateSizes.length} tensors (${this.shape.cell} state per layer)`,
          Array.isArray(given) ? `${given.length} tensors` : typeof given,
          context,
        );
      }
      given.forEach((s, k) => {
        checkFloatShape(s, `condition.initialStates[${k}]`, [batch, H], context);
      });
      layers = given;
    } else {
      layers = this.stateSizes.map((size) => tf.zeros([batch, size]) as tf.Tensor2D);
    }
    if (!this.attention) return { layers };
    if (condition?.memory === undefined) {
      throw new ConfigError(
        'condition',
        `an ${NAME} with ${this.shape.attention} attention decodes from a memory: pass { memory: [${batch}, S, ${this.shape.memorySize}], mask? }`,
      );
    }
    const memory = condition.memory;
    if (!(memory instanceof tf.Tensor) || memory.rank !== 3) {
      throw new ShapeError(
        'condition.memory',
        `float32 of shape [${batch}, S, ${this.shape.memorySize}]`,
        memory instanceof tf.Tensor ? `[${memory.shape}]` : describeValue(memory),
        context,
      );
    }
    const S = memory.shape[1];
    checkFloatShape(memory, 'condition.memory', [batch, S, this.shape.memorySize], context);
    let mask: tf.Tensor2D;
    if (condition.mask !== undefined) {
      checkFloatShape(condition.mask, 'condition.mask', [batch, S], context);
      mask = condition.mask;
    } else {
      mask = tf.ones([batch, S]);
    }
    const state: AttentionDecoderState = { layers, memory, mask, weights: tf.zeros([batch, S]) };
    const keys = this.projectMemory(memory);
    if (keys) state.keys = keys;
    if (this.shape.inputFeeding) state.feed = tf.zeros([batch, H]);
    return state;
  }

  /** The part of each score that depends on the memory alone, computed once per sequence. */
  private projectMemory(memory: tf.Tensor3D): tf.Tensor3D | undefined {
    const v = this.attention?.variables ?? {};
    if (this.shape.attention === 'bahdanau') {
      return linear(memory, v.memoryKernel as tf.Tensor2D, v.bias as tf.Tensor1D) as tf.Tensor3D;
    }
    if (this.shape.attention === 'luong-general') {
      // qᵀ·W·m = q · (W·m): project the memory, not the query, so a step is one batched dot product.
      return linear(memory, tf.transpose(v.kernel as tf.Tensor2D) as tf.Tensor2D) as tf.Tensor3D;
    }
    return undefined;
  }

  /** One inference step of the cells (the cells' own step: native kernels where they apply) and attention from an input embedding `[B, E]`. */
  private advance(
    x: tf.Tensor2D,
    state: AttentionDecoderState,
    training: boolean,
    rng: Rng,
  ): { attentional: tf.Tensor2D; state: AttentionDecoderState } {
    const input = state.feed ? tf.concat([x, state.feed], 1) : x;
    const { states } = this.rnn.step(input, this.layerStates(state.layers));
    return this.attendStep(states.flat() as tf.Tensor2D[], state, training, rng, false);
  }

  /**
   * The stack's step for training, from layer 0's input gates: `cellStep`'s
   * formulas (the cells', with gradients that avoid transposed matmuls) and
   * the stack's between-layer dropout.
   */
  private cellsForward(gates: tf.Tensor, layers: readonly tf.Tensor2D[], training: boolean, rng: Rng): tf.Tensor2D[] {
    const per = this.shape.cell === 'lstm' ? 2 : 1;
    const H = this.shape.hiddenSize;
    const next: tf.Tensor2D[] = [];
    let below: tf.Tensor | undefined;
    for (let l = 0; l < this.shape.numLayers; l++) {
      const w = this.layerWeights(l);
      let xw = gates;
      if (below) {
        const input = training && this.dropout > 0 ? tf.mul(below, dropoutMask(rng, below.shape, this.dropout)) : below;
        xw = inputGates(input, w);
      }
      const out = cellStep(this.shape.cell, xw, layers.slice(l * per, (l + 1) * per), w, H);
      next.push(...(out as tf.Tensor2D[]));
      below = out[0];
    }
    return next;
  }

  /** Attention over the memory with the top layer's new `h` as query, and the attentional vector. */
  private attendStep(
    layers: tf.Tensor2D[],
    state: AttentionDecoderState,
    training: boolean,
    rng: Rng,
    taped: boolean,
  ): { attentional: tf.Tensor2D; state: AttentionDecoderState } {
    const h = layers[layers.length - (this.shape.cell === 'lstm' ? 2 : 1)] as tf.Tensor2D;
    if (!this.attention) return { attentional: h, state: { layers } };
    // The JavaScript fused step pays off only where a gradient follows (its backward is the big win); decoding
    // keeps the tfjs ops, faster than that loop at beam-search sizes, unless the native kernel runs the step.
    const fused = this.fusedAttendStep(h, state, !(taped && tf.engine().isTapeOn()));
    const { weights, context } = fused ?? this.composedAttendStep(h, state, taped);
    let attentional = tf.tanh(
      linear(tf.concat([h, context], 1), this.own['combine/kernel'] as tf.Tensor2D),
    ) as tf.Tensor2D;
    if (training && this.dropout > 0) attentional = this.dropAttentional(attentional, rng);
    const next: AttentionDecoderState = {
      layers,
      memory: state.memory as tf.Tensor3D,
      mask: state.mask as tf.Tensor2D,
      weights,
    };
    if (state.keys) next.keys = state.keys;
    if (state.feed) next.feed = attentional;
    return { attentional, state: next };
  }

  /**
   * Bahdanau's score, masked softmax and context in one op each way where the
   * backend keeps tensors in this process (fused-additive-attention.ts);
   * undefined for the other scores and backends.
   */
  private fusedAttendStep(
    h: tf.Tensor2D,
    state: AttentionDecoderState,
    nativeOnly: boolean,
  ): AdditiveAttentionStep | undefined {
    if (this.shape.attention !== 'bahdanau' || !fusedAttention) return undefined;
    // Decoding without the native kernels keeps the composed ops: do not project the query for nothing.
    if (nativeOnly && !nativeKernels()) return undefined;
    const v = this.attention?.variables ?? {};
    const q = linear(h, v.queryKernel as tf.Tensor2D) as tf.Tensor2D;
    const vector = tf.reshape(v.scoreVector as tf.Tensor2D, [-1]) as tf.Tensor1D;
    return fusedAdditiveAttention(
      state.keys as tf.Tensor3D,
      q,
      vector,
      state.mask as tf.Tensor2D,
      state.memory as tf.Tensor3D,
      { nativeOnly },
    );
  }

  /** The attention weights and context of one step from tfjs ops (every backend, every score). */
  private composedAttendStep(h: tf.Tensor2D, state: AttentionDecoderState, taped: boolean): AdditiveAttentionStep {
    const weights = this.scoreStep(h, state);
    // Σ_s w[b, s]·memory[b, s, :]. Decoding: one batched matmul. Training: a product and a sum, because the
    // batched matmul's gradient runs transposed products, slow on wasm (and the sum over S is cheap at training sizes).
    const memory = state.memory as tf.Tensor3D;
    const context = taped
      ? (tf.sum(tf.mul(tf.expandDims(weights, 2), memory), 1) as tf.Tensor2D)
      : (tf.squeeze(tf.matMul(tf.expandDims(weights, 1), memory), [1]) as tf.Tensor2D);
    return { weights, context };
  }

  /** Layer `l`'s weights in the stack. */
  private layerWeights(l: number): LayerWeights {
    const v = this.rnn.variables;
    const w: LayerWeights = {
      kernel: v[`layers.${l}/kernel`] as tf.Variable as tf.Tensor2D,
      recurrentKernel: v[`layers.${l}/recurrentKernel`] as tf.Variable as tf.Tensor2D,
      bias: v[`layers.${l}/bias`] as tf.Variable as tf.Tensor1D,
    };
    const recurrentBias = v[`layers.${l}/recurrentBias`];
    if (recurrentBias) w.recurrentBias = recurrentBias as tf.Tensor1D;
    return w;
  }

  /** Masked attention weights `[B, S]` of one query `[B, H]`. */
  private scoreStep(h: tf.Tensor2D, state: AttentionDecoderState): tf.Tensor2D {
    const v = this.attention?.variables ?? {};
    let scores: tf.Tensor2D;
    // Products and sums over the last axis rather than matmuls with one output column (slow on wasm, forward and back).
    if (this.shape.attention === 'bahdanau') {
      const q = tf.expandDims(linear(h, v.queryKernel as tf.Tensor2D), 1);
      const vector = tf.reshape(v.scoreVector as tf.Tensor2D, [-1]);
      scores = tf.sum(tf.mul(tf.tanh(tf.add(state.keys as tf.Tensor3D, q)), vector), 2);
    } else {
      const keys = (state.keys ?? state.memory) as tf.Tensor3D;
      scores = tf.sum(tf.mul(keys, tf.expandDims(h, 1)), 2);
    }
    return maskedSoftmax(scores, state.mask as tf.Tensor2D) as tf.Tensor2D;
  }

  /** Attention of every step's query `[B, T, H]` at once (no input feeding): attentional vectors and weights `[B, T, S]`. */
  private attendAll(
    queries: tf.Tensor3D,
    state: AttentionDecoderState,
  ): { attentional: tf.Tensor3D; weights: tf.Tensor3D } {
    const v = this.attention?.variables ?? {};
    const memory = state.memory as tf.Tensor3D;
    let scores: tf.Tensor3D;
    if (this.shape.attention === 'bahdanau') {
      const q = tf.expandDims(linear(queries, v.queryKernel as tf.Tensor2D), 2); // [B, T, 1, U]
      const keys = tf.expandDims(state.keys as tf.Tensor3D, 1); // [B, 1, S, U]
      scores = tf.squeeze(linear(tf.tanh(tf.add(keys, q)), v.scoreVector as tf.Tensor2D), [3]) as tf.Tensor3D;
    } else {
      const keys = (state.keys ?? memory) as tf.Tensor3D;
      scores = tf.matMul(queries, tf.transpose(keys, [0, 2, 1])) as tf.Tensor3D;
    }
    const weights = maskedSoftmax(scores, tf.expandDims(state.mask as tf.Tensor2D, 1)) as tf.Tensor3D;
    const context = tf.matMul(weights, memory);
    const attentional = tf.tanh(
      linear(tf.concat([queries, context], 2), this.own['combine/kernel'] as tf.Tensor2D),
    ) as tf.Tensor3D;
    return { attentional, weights };
  }

  private dropAttentional<T extends tf.Tensor>(x: T, rng: Rng): T {
    return tf.mul(x, dropoutMask(rng, x.shape as number[], this.dropout)) as T;
  }

  /** Attentional vectors `[..., H]` → logits `[..., V]`; the tied kernel is the embedding transposed. */
  private project(hidden: tf.Tensor): tf.Tensor {
    const kernel = this.own['output/kernel'] ?? tf.transpose(this.own.embedding as tf.Tensor2D);
    return linear(hidden, kernel as tf.Tensor2D, this.own['output/bias'] as tf.Tensor1D);
  }

  /** The flat state regrouped per layer, as the cells take it. */
  private layerStates(flat: readonly tf.Tensor2D[]): tf.Tensor[][] {
    const per = this.shape.cell === 'lstm' ? 2 : 1;
    return Array.from({ length: this.shape.numLayers }, (_, l) => flat.slice(l * per, (l + 1) * per));
  }

  private checkState(state: AttentionDecoderState, batch: number, context: string): void {
    if (typeof state !== 'object' || state === null || !Array.isArray(state.layers)) {
      throw new ShapeError('state', `an ${NAME} state from initialState or step`, describeValue(state), context);
    }
    if (state.layers.length !== this.stateSizes.length) {
      throw new ShapeError('state.layers', `${this.stateSizes.length} tensors`, `${state.layers.length}`, context);
    }
    state.layers.forEach((s, k) => {
      checkFloatShape(s, `state.layers[${k}]`, [batch, this.shape.hiddenSize], context);
    });
    if (this.attention && !(state.memory instanceof tf.Tensor && state.mask instanceof tf.Tensor)) {
      throw new ShapeError('state', 'a state holding the memory (from initialState)', 'one without it', context);
    }
    if (state.memory && state.memory.shape[0] !== batch) {
      throw new ShapeError('state.memory', `${batch} rows`, `[${state.memory.shape}]`, context);
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

/**
 * The last step's attention weights `[B, S]` of a decoder state: pass
 * `attentionWeightsOf` as the samplers' `trace` to get one row of weights per
 * generated token. A decoder without attention has none (a ConfigError).
 */
export function attentionWeightsOf(state: AttentionDecoderState): tf.Tensor2D {
  if (!state?.weights) {
    throw new ConfigError('state', 'holds no attention weights (the decoder has attention "none")');
  }
  return state.weights;
}

/** Softmax over the last axis where `mask` is 1; masked positions get exactly 0. */
function maskedSoftmax(scores: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(1, mask), -1e9))), mask);
}
