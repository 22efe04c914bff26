import { embeddingLookup, linear, type StackedRNN } from '@seqgen/cells';
import {
  assertPositiveInteger,
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
  type SequenceModel,
  type SequenceStepResult,
  ShapeError,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { encodeModel, type LoadedModel, type SaveModelOptions, saveModel } from './checkpoint-io.js';
import { dropEmbeddingRows, sequenceDropout } from './dropout-masks.js';
import { checkFloatShape, checkTokenIds } from './input-checks.js';
import { splitLayerStates } from './layer-states.js';
import { batchTensors, type LMBatch } from './lm-batch.js';
import {
  type LMConfigLimits,
  lmWeightShapes,
  RECURRENT_LM_TYPE,
  type RecurrentLMConfig,
  type RecurrentLMOptions,
  resolveLMConfig,
} from './lm-config.js';
import { initialEmbedding } from './lm-init.js';
import { buildLMStack } from './lm-stack.js';
import { loadLimits } from './load-limits.js';
import { loadModelOfType } from './load-model-of-type.js';
import { maskedCrossEntropy } from './masked-cross-entropy.js';
import { checkModelType } from './model-type.js';
import { nativeDecoder, stepStateTensors } from './native-decoder.js';
import { runStackedSegments } from './stacked-segments.js';
import { variableFrom } from './variable-from.js';

/**
 * The recurrent state: every layer's state tensors, layer after layer, one
 * flat list (`[h₀, c₀, h₁, c₁, …]` for LSTM, `[h₀, h₁, …]` for GRU/RNN), each
 * `[batch, size]`. Flat so that it is the `tf.Tensor[]` state that the trainer
 * carries between batches and the samplers reorder per beam.
 */
export type LMState = tf.Tensor[];

/** Per-call options of the language model's `forward` and `loss`: starting state, padding, resets, dropout. */
export interface ForwardOptions {
  /** State to start from (default zeros), as `forward`, `loss` or `step` returned it. */
  initialState?: LMState;
  /** Valid length of each row; later steps are padding (state frozen, output zero). */
  lengths?: readonly number[];
  /** `[B, T]` row-major flags: 1 zeroes that row's state before reading that position (document starts). */
  resets?: ArrayLike<number>;
  /** Apply dropout (default false). */
  training?: boolean;
  /** Generator of this call's embedding and output dropout masks (default: the model's own, seeded by `seed`). */
  rng?: Rng;
  /**
   * Also return every layer's per-step gates and states (`@seqgen/cells`'
   * tracing: LSTM `i, f, g, o, c, h`, GRU `r, z, n, h`); runs the step loop
   * instead of the fused kernels, so leave it off outside interpretation.
   */
  trace?: boolean;
  /**
   * float32 `[B, T, embeddingSize]` used in place of the embedding rows of
   * `ids` (which still give the shape): gradients with respect to the inputs
   * (saliency, integrated gradients) differentiate through these.
   */
  inputEmbeddings?: tf.Tensor3D;
}

/** What the language model's `forward` returns: logits for every position and the final state. */
export type ForwardResult = {
  /** Next-token logits `[B, T, vocabSize]`. */
  logits: tf.Tensor3D;
  /** State after the last valid step of each row: carry it into the next chunk (truncated BPTT). */
  state: LMState;
  /** With `trace`: per layer, each traced quantity `[B, T, size]`. */
  trace?: Array<Record<string, tf.Tensor3D>>;
};

/** Options of the language model's `loss` over tensors: {@link ForwardOptions} plus a target mask. */
export interface SequenceLossOptions extends ForwardOptions {
  /** float32 `[B, T]`, 1 where the target counts (default: all). */
  mask?: tf.Tensor2D;
}

/** What the language model's `loss` returns: mean loss, counted tokens and the state to carry on. */
export type LMLossResult = {
  /** Mean cross-entropy per counted token, in nats. */
  loss: tf.Scalar;
  /** Tokens counted by the mask. */
  tokens: number;
  /** State after the batch, to carry into the next one (truncated BPTT). */
  state: LMState;
};

/** What `loss(batch, state, context)` reads from the trainer's `LossContext`. */
export interface LMLossContext {
  /** Apply dropout (default false). */
  training?: boolean;
  /** Generator of the dropout masks; the trainer passes its seeded one so runs reproduce. */
  rng?: Rng;
}

const NAME = 'RecurrentLanguageModel';

/**
 * Token embedding → stacked LSTM/GRU/RNN → linear projection to vocabulary
 * logits. Trains with `@seqgen/trainer` (its `variables` / `loss(batch, state,
 * context)` / `getConfig` are the trainer's `TrainableModel`), generates with
 * `@seqgen/samplers` (it is a core `SequenceModel`, O(1) work per token), and
 * saves to and loads from seqgen checkpoints.
 */
export class RecurrentLanguageModel implements SequenceModel<LMState> {
  /** It predicts tokens, so the trainer reports perplexity and bits per token for its loss. */
  readonly metrics = ['perplexity', 'bitsPerToken'] as const;
  /** The complete config, defaults filled: what `getConfig` returns and checkpoints store. */
  readonly config: RecurrentLMConfig;
  /** The recurrent stack between the embedding and the output projection. */
  readonly rnn: StackedRNN;
  private readonly embedding: tf.Variable;
  private readonly outputKernel: tf.Variable | null;
  private readonly outputBias: tf.Variable;
  /** State tensor sizes, per layer. */
  private readonly layerStateSizes: number[][];
  private readonly rng: Rng;
  private disposed = false;

  /**
   * Checks the options (see `resolveLMConfig`; `limits` raises the size
   * limits) before allocating anything, then builds and initializes the model.
   */
  constructor(options: RecurrentLMOptions, limits: Partial<LMConfigLimits> = {}) {
    const c = resolveLMConfig(options, limits);
    this.config = c;
    // One seeded stream for all initial weights, then a fork for dropout masks.
    const rng = new Rng(c.seed);
    this.embedding = variableFrom(initialEmbedding(c.init, rng, c.vocabSize, c.embeddingSize, c.tieWeights));
    const stack = buildLMStack(c, c.embeddingSize, rng);
    this.rnn = stack.rnn;
    this.outputKernel = stack.outputKernel;
    this.outputBias = stack.outputBias;
    this.layerStateSizes = stack.layerStateSizes;
    this.rng = rng.fork();
  }

  /** Builds a freshly initialized model from a (complete or partial) config, checked against `limits` first. */
  static fromConfig(
    config: ModelConfig | RecurrentLMConfig,
    limits: Partial<LMConfigLimits> = {},
  ): RecurrentLanguageModel {
    checkModelType(config, RECURRENT_LM_TYPE);
    return new RecurrentLanguageModel(config as RecurrentLMOptions, limits);
  }

  /**
   * The name and shape of every weight a model of this config holds (the
   * names of `variables`), computed from the config alone: nothing is
   * allocated or initialized. A bad or oversized config is the same
   * ConfigError `fromConfig` throws. Loaders compare this with a checkpoint's
   * weights before building the model.
   */
  static weightShapes(
    config: ModelConfig | RecurrentLMConfig,
    limits: Partial<LMConfigLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, RECURRENT_LM_TYPE);
    return lmWeightShapes(resolveLMConfig(config as RecurrentLMOptions, limits));
  }

  /**
   * Loads a checkpoint written by `save` (or by `@seqgen/trainer`, whose
   * `@optimizer/…` and `@state/…` entries are skipped). Throws CheckpointError
   * when it holds another model type or weights that do not fit the config,
   * and TokenizerError 'vocab-mismatch' when its tokenizer does not fit `vocabSize`.
   * `source` is a path (Node), an http(s) URL, `indexeddb://name`, or the bytes
   * of a `.seqgen` file (`Uint8Array`, `ArrayBuffer`, `Blob`), as {@link toBytes} gives.
   */
  static load(
    source: CheckpointSource,
    options: LoadCheckpointOptions = {},
  ): Promise<LoadedModel<RecurrentLanguageModel>> {
    const limits = loadLimits(options);
    return loadModelOfType(source, options, {
      type: RECURRENT_LM_TYPE,
      build: (config) => RecurrentLanguageModel.fromConfig(config, limits),
      weightShapes: (config) => RecurrentLanguageModel.weightShapes(config, limits),
    });
  }

  get vocabSize(): number {
    return this.config.vocabSize;
  }

  /** Sizes of the state tensors, in `LMState` order. */
  get stateSizes(): number[] {
    return this.layerStateSizes.flat();
  }

  /**
   * Trainable variables by stable names: `embedding`, `rnn/layers.{l}/{kernel,
   * recurrentKernel, bias, …}`, `output/kernel` (absent when tied) and
   * `output/bias`. Checkpoints store the weights under these names.
   */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { embedding: this.embedding };
    for (const [name, v] of Object.entries(this.rnn.variables)) out[`rnn/${name}`] = v;
    if (this.outputKernel) out['output/kernel'] = this.outputKernel;
    out['output/bias'] = this.outputBias;
    return out;
  }

  getConfig(): RecurrentLMConfig {
    return { ...this.config };
  }

  /**
   * Zero state for `batchSize` rows (core's `SequenceModel` contract). A
   * language model is unconditioned: passing any `condition` is a ConfigError,
   * as is a `batchSize` that is not a positive integer.
   */
  initialState(batchSize: number, condition?: undefined): LMState {
    this.assertLive();
    assertPositiveInteger('batchSize', batchSize);
    if (condition !== undefined) {
      throw new ConfigError(
        'condition',
        `${NAME} takes no condition (it is an unconditioned language model); got ${describeCondition(condition)}`,
      );
    }
    return this.rnn.initialState(batchSize).flat();
  }

  /**
   * The axis of each weight that is indexed by token id, by variable name:
   * `embedding` rows (0), `output/bias` entries (0) and, when the head is not
   * tied to the embedding, `output/kernel` columns (1). What vocabulary
   * transfer (`@seqgen/trainer`'s `transferWeights` `rowAxisByName`) needs to
   * carry shared tokens' rows from one vocabulary to another.
   */
  vocabularyRowAxes(): Record<string, number> {
    const axes: Record<string, number> = { embedding: 0, 'output/bias': 0 };
    if (this.outputKernel) axes['output/kernel'] = 1;
    return axes;
  }

  /**
   * Teacher-forced pass over whole sequences: `ids` int32 `[B, T]` → logits
   * `[B, T, V]` and the final state. Runs the fused whole-sequence kernels;
   * logits at step t equal what `step` gives after feeding ids[:, 0..t].
   */
  forward(ids: tf.Tensor2D, options: ForwardOptions = {}): ForwardResult {
    this.assertLive();
    checkTokenIds(ids, 'ids', 2, this.vocabSize, `${NAME}.forward`);
    return this.run(ids, options, `${NAME}.forward`);
  }

  /**
   * Mean next-token cross-entropy of `targets` given `ids` (both int32
   * `[B, T]`), over the positions `mask` counts; with the token count and the
   * final state. Differentiable with respect to `variables`.
   */
  sequenceLoss(ids: tf.Tensor2D, targets: tf.Tensor2D, options: SequenceLossOptions = {}): LMLossResult {
    this.assertLive();
    const context = `${NAME}.loss`;
    checkTokenIds(ids, 'ids', 2, this.vocabSize, context);
    const shape = ids.shape;
    let maskValues: Float32Array | undefined;
    if (options.mask !== undefined) {
      checkFloatShape(options.mask, 'mask', shape, context);
      maskValues = options.mask.dataSync() as Float32Array;
    }
    checkTokenIds(targets, 'targets', 2, this.vocabSize, context, maskValues);
    if (!tf.util.arraysEqual(targets.shape, shape)) {
      throw new ShapeError('targets', `of the shape of ids [${shape.join(', ')}]`, `[${targets.shape}]`, context);
    }
    const tokens = maskValues ? maskValues.reduce((n, m) => n + m, 0) : shape[0] * shape[1];
    const out = tf.tidy(() => {
      const { logits, state } = this.run(ids, options, context);
      return { loss: maskedCrossEntropy(logits, targets, options.mask, tokens), state };
    });
    return { ...out, tokens };
  }

  /**
   * The trainer's `loss(batch, state, context)`: mean cross-entropy of a host
   * batch (`StreamBatch` from `@seqgen/trainer` fits), starting from `state`,
   * zeroing rows where `batch.resets` marks a document start. Dropout follows
   * `context.training` and draws from `context.rng`, which the trainer saves
   * in checkpoints, so a resumed run repeats the same masks.
   */
  loss(batch: LMBatch, state?: LMState, context: LMLossContext = {}): LMLossResult {
    this.assertLive();
    const { ids, targets, mask } = batchTensors(batch);
    try {
      return this.sequenceLoss(ids, targets, {
        ...(mask ? { mask } : {}),
        ...(state ? { initialState: state } : {}),
        ...(batch.resets ? { resets: batch.resets } : {}),
        ...(context.rng ? { rng: context.rng } : {}),
        training: context.training ?? false,
      });
    } finally {
      // Safe under a gradient tape: the ops that need them saved their own references.
      tf.dispose([ids, targets, ...(mask ? [mask] : [])]);
    }
  }

  /**
   * One generation step: `tokens` int32 `[B]` and the state → logits `[B, V]`
   * and the next state. Work per token is constant: only this token goes
   * through each layer's cell, the prefix lives in the state.
   */
  step(tokens: tf.Tensor1D, state: LMState): SequenceStepResult<LMState> {
    this.assertLive();
    const context = `${NAME}.step`;
    checkTokenIds(tokens, 'tokens', 1, this.vocabSize, context);
    const layers = this.splitState(state, tokens.shape[0], 'state', context);
    const fast = this.nativeStep(tokens, state);
    if (fast) return fast;
    return tf.tidy(() => {
      // Inference only: plain gather (embeddingLookup's custom gradient is for training on wasm).
      const x = tf.gather(this.embedding, tokens);
      const { output, states } = this.rnn.step(x, layers);
      return { logits: this.project(output) as tf.Tensor2D, state: states.flat() };
    });
  }

  /**
   * `step` in one native call (embedding row, every layer, output projection) when
   * @seqgen/native applies (see `nativeDecoder` in ./native-decoder.ts) and no gradient
   * tape records; undefined otherwise. Same logits and state as the tfjs ops (1e-5).
   */
  private nativeStep(tokens: tf.Tensor1D, state: LMState): { logits: tf.Tensor2D; state: LMState } | undefined {
    const decoder = nativeDecoder({
      embedding: this.embedding,
      cells: this.rnn.layers.map((_, l) => this.rnn.cellsOf(l)[0] as NonNullable<ReturnType<StackedRNN['cellsOf']>[0]>),
      outputKernel: this.outputKernel,
      outputBias: this.outputBias,
    });
    if (!decoder) return undefined;
    return stepStateTensors(decoder, Int32Array.from(tokens.dataSync()), state);
  }

  /**
   * Saves config, preprocessors (`tokenizer`), metadata and weights (by the names of `variables`) as a seqgen
   * checkpoint: to a folder or `.seqgen` file path (Node), or to `indexeddb://name` (browsers).
   */
  save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    return saveModel(path, this, options);
  }

  /** The checkpoint as the bytes of one `.seqgen` file (same contents as {@link save}); {@link RecurrentLanguageModel.load} reads them. */
  toBytes(options: SaveModelOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    this.assertLive();
    return encodeModel(this, options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rnn.dispose();
    this.embedding.dispose();
    this.outputKernel?.dispose();
    this.outputBias.dispose();
  }

  private run(ids: tf.Tensor2D, options: ForwardOptions, context: string): ForwardResult {
    const [B, T] = ids.shape;
    const c = this.config;
    const initial = options.initialState
      ? this.splitState(options.initialState, B, 'initialState', context)
      : undefined;
    const lengths = options.lengths ? checkLengths(options.lengths, B, T, context) : undefined;
    const training = options.training ?? false;
    const rng = options.rng ?? this.rng;
    if (options.inputEmbeddings !== undefined) {
      checkFloatShape(options.inputEmbeddings, 'inputEmbeddings', [B, T, c.embeddingSize], context);
    }
    return tf.tidy(() => {
      let x: tf.Tensor;
      if (options.inputEmbeddings) x = options.inputEmbeddings;
      else {
        const table =
          training && c.embeddingDropout > 0
            ? dropEmbeddingRows(this.embedding as tf.Tensor2D, c.embeddingDropout, rng)
            : this.embedding;
        x = embeddingLookup(ids, table as tf.Tensor2D);
      }
      const res = runStackedSegments(this.rnn, x, {
        ...(initial ? { initialState: initial } : {}),
        ...(lengths ? { lengths } : {}),
        ...(options.resets ? { resets: options.resets } : {}),
        training,
        ...(options.trace ? { trace: true } : {}),
      });
      let hidden = res.output;
      if (training && c.outputDropout > 0) hidden = sequenceDropout(hidden, c.outputDropout, rng);
      const result: ForwardResult = { logits: this.project(hidden) as tf.Tensor3D, state: (res.states ?? []).flat() };
      if (res.trace) result.trace = res.trace;
      return result;
    });
  }

  /** Hidden `[..., top]` → logits `[..., V]`; the tied kernel is the embedding transposed (explicitly: fast on wasm). */
  private project(hidden: tf.Tensor): tf.Tensor {
    const kernel = this.outputKernel ?? (tf.transpose(this.embedding) as tf.Tensor2D);
    return linear(hidden, kernel as tf.Tensor2D, this.outputBias as tf.Tensor1D);
  }

  /** Checks a flat state against the layout and regroups it per layer. */
  private splitState(state: LMState, batch: number, argument: string, context: string): tf.Tensor[][] {
    return splitLayerStates(state, this.layerStateSizes, batch, this.config.cell, argument, context);
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

function describeCondition(condition: unknown): string {
  if (condition === null) return 'null';
  if (condition instanceof tf.Tensor) return `a tensor [${condition.shape.join(', ')}]`;
  return typeof condition === 'object' ? 'an object' : typeof condition;
}

function checkLengths(lengths: readonly number[], batch: number, steps: number, context: string): readonly number[] {
  if (!Array.isArray(lengths) || lengths.length !== batch) {
    throw new ShapeError('lengths', `${batch} entries (one per row)`, `${lengths?.length}`, context);
  }
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 0 || n > steps) {
      throw new ShapeError(`lengths[${b}]`, `an integer in [0, ${steps}]`, String(n), context);
    }
  });
  return lengths;
}
