import { embeddingLookup, linear, type StackedRNN } from '@seqgen/cells';
import {
  assertPositiveInteger,
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  describeValue,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
  type SequenceModel,
  type SequenceStepResult,
  ShapeError,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { encodeModel, type LoadedModel, type SaveModelOptions, saveModel } from '../checkpoint-io.js';
import { dropEmbeddingRows, sequenceDropout } from '../dropout-masks.js';
import { checkFloatShape, checkTokenIds } from '../input-checks.js';
import { splitLayerStates } from '../layer-states.js';
import { batchTensors } from '../lm-batch.js';
import type { LMConfigLimits } from '../lm-config.js';
import { initialEmbedding } from '../lm-init.js';
import { buildLMStack } from '../lm-stack.js';
import { loadLimits } from '../load-limits.js';
import { loadModelOfType } from '../load-model-of-type.js';
import { maskedCrossEntropy } from '../masked-cross-entropy.js';
import { checkModelType } from '../model-type.js';
import { nativeDecoder, stepStateTensors } from '../native-decoder.js';
import type { LMLossContext, LMLossResult, LMState } from '../recurrent-lm.js';
import { runStackedSegments } from '../stacked-segments.js';
import { variableFrom } from '../variable-from.js';
import type { ConditionedLMBatch } from './conditioned-batch.js';
import {
  CONDITIONED_LM_TYPE,
  type ConditionedLMConfig,
  type ConditionedLMOptions,
  conditionedLMWeightShapes,
  resolveConditionedLMConfig,
} from './conditioned-lm-config.js';

/**
 * The decoding state: the recurrent state, each row's position in its
 * conditioning sequence, and the sequence itself (batch on axis 0 everywhere,
 * so samplers repeat and reorder it for samples and beams).
 */
export type ConditionedLMState = {
  /** Every layer's state tensors, layer after layer (`[h₀, c₀, …]` for LSTM), each float32 `[B, size]`. */
  layers: tf.Tensor[];
  /** int32 `[B]`: how many tokens each row has read. */
  position: tf.Tensor1D;
  /** int32 `[B, N]`: each row's conditioning ids, one per position of the sequence (prompt included). */
  conditions: tf.Tensor2D;
};

/** Per-call options of `forward` and `sequenceLoss`. */
export type ConditionedForwardOptions = {
  /** Recurrent state to start from (default zeros), as `forward` or `loss` returned it. */
  initialState?: LMState;
  /** `[B, T]` row-major flags: 1 zeroes that row's state before reading that position (document starts). */
  resets?: ArrayLike<number>;
  /** Apply dropout (default false). */
  training?: boolean;
  /** Generator of this call's dropout masks (default: the model's own, seeded by `seed`). */
  rng?: Rng;
  /** float32 `[B, T]`, 1 where the target counts (`sequenceLoss` only; default: all). */
  mask?: tf.Tensor2D;
  /** `forward` only: also return every layer's per-step gates and states (the cells' step loop; off, the fused kernels run as before). */
  trace?: boolean;
  /** `forward` only: run on these token embeddings `[B, T, embeddingSize]` instead of looking `ids` up (saliency differentiates through them). */
  inputEmbeddings?: tf.Tensor3D;
  /** `forward` only: run on these conditioning embeddings `[B, T, conditionEmbeddingSize]` instead of looking `conditions` up. */
  conditionEmbeddings?: tf.Tensor3D;
};

/** What `forward` returns: logits at every position and the final recurrent state. */
export type ConditionedForwardResult = {
  /** Next-token logits `[B, T, vocabSize]`. */
  logits: tf.Tensor3D;
  /** Recurrent state after the last step: carry it into the next chunk (truncated BPTT). */
  state: LMState;
  /** With `trace: true`: per layer, each traced quantity (`lstm`: `i f g o c h`) `[B, T, size]`. */
  trace?: Array<Record<string, tf.Tensor3D>>;
};

const NAME = 'ConditionedLanguageModel';

/**
 * A recurrent language model conditioned at every step on an id from a second
 * vocabulary (a chord per event, any control track): the input at step t is
 * `[embed(token_t) ; embedCondition(cond)]`, where `cond` is the conditioning
 * id of position t (`conditionOn: 'current'`) or t + 1 (`'next'`, as
 * Magenta's Improv RNN reads the chord of the event it is about to play).
 *
 * It trains with `@seqgen/trainer` (`loss(batch, state, context)` over
 * {@link ConditionedLMBatch}es) and generates with `@seqgen/samplers`: the
 * samplers' `condition` is the whole conditioning sequence, int32 `[B, N]`,
 * which `initialState` keeps in the state with each row's position, so each
 * `step` reads its own id in O(1). Past the end of the sequence the last id
 * holds (a chord lasts until the next one): generate as long as you like.
 */
export class ConditionedLanguageModel implements SequenceModel<ConditionedLMState, tf.Tensor2D> {
  /** It predicts tokens, so the trainer reports perplexity and bits per token for its loss. */
  readonly metrics = ['perplexity', 'bitsPerToken'] as const;
  /** The complete config, defaults filled: what `getConfig` returns and checkpoints store. */
  readonly config: ConditionedLMConfig;
  /** The recurrent stack between the embeddings and the output projection. */
  readonly rnn: StackedRNN;
  private readonly embedding: tf.Variable;
  private readonly conditionEmbedding: tf.Variable;
  private readonly outputKernel: tf.Variable | null;
  private readonly outputBias: tf.Variable;
  private readonly layerStateSizes: number[][];
  private readonly rng: Rng;
  private disposed = false;

  /** Checks the options (see `resolveConditionedLMConfig`) before allocating anything, then builds the model. */
  constructor(options: ConditionedLMOptions, limits: Partial<LMConfigLimits> = {}) {
    const c = resolveConditionedLMConfig(options, limits);
    this.config = c;
    const rng = new Rng(c.seed);
    this.embedding = variableFrom(initialEmbedding(c.init, rng, c.vocabSize, c.embeddingSize, c.tieWeights));
    this.conditionEmbedding = variableFrom(
      initialEmbedding(c.init, rng, c.conditionVocabSize, c.conditionEmbeddingSize),
    );
    const stack = buildLMStack(c, c.embeddingSize + c.conditionEmbeddingSize, rng);
    this.rnn = stack.rnn;
    this.outputKernel = stack.outputKernel;
    this.outputBias = stack.outputBias;
    this.layerStateSizes = stack.layerStateSizes;
    this.rng = rng.fork();
  }

  /** Builds a freshly initialized model from a (complete or partial) config, checked against `limits` first. */
  static fromConfig(
    config: ModelConfig | ConditionedLMConfig,
    limits: Partial<LMConfigLimits> = {},
  ): ConditionedLanguageModel {
    checkModelType(config, CONDITIONED_LM_TYPE);
    return new ConditionedLanguageModel(config as ConditionedLMOptions, limits);
  }

  /** Every weight's name and shape for a config, computed without allocating (a bad config is the same ConfigError). */
  static weightShapes(
    config: ModelConfig | ConditionedLMConfig,
    limits: Partial<LMConfigLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, CONDITIONED_LM_TYPE);
    return conditionedLMWeightShapes(resolveConditionedLMConfig(config as ConditionedLMOptions, limits));
  }

  /**
   * Loads a checkpoint written by `save` (or a `@seqgen/trainer` checkpoint of
   * this model): config and weight shapes are checked before anything is
   * built (`CheckpointError`); preprocessors (`tokens`, `conditions` or any
   * registered codec) come back by name.
   */
  static load(
    source: CheckpointSource,
    options: LoadCheckpointOptions = {},
  ): Promise<LoadedModel<ConditionedLanguageModel>> {
    const limits = loadLimits(options);
    return loadModelOfType(source, options, {
      type: CONDITIONED_LM_TYPE,
      build: (config) => ConditionedLanguageModel.fromConfig(config, limits),
      weightShapes: (config) => ConditionedLanguageModel.weightShapes(config, limits),
    });
  }

  /** Tokens in the vocabulary: the width of the logits. */
  get vocabSize(): number {
    return this.config.vocabSize;
  }

  /** Conditioning ids: condition values must lie in `[0, conditionVocabSize)`. */
  get conditionVocabSize(): number {
    return this.config.conditionVocabSize;
  }

  /**
   * Trainable variables by stable names: `embedding`, `conditionEmbedding`,
   * `rnn/layers.{l}/…`, `output/kernel` (absent when tied), `output/bias`.
   */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { embedding: this.embedding, conditionEmbedding: this.conditionEmbedding };
    for (const [name, v] of Object.entries(this.rnn.variables)) out[`rnn/${name}`] = v;
    if (this.outputKernel) out['output/kernel'] = this.outputKernel;
    out['output/bias'] = this.outputBias;
    return out;
  }

  /** The config with every default filled. */
  getConfig(): ConditionedLMConfig {
    return { ...this.config };
  }

  /**
   * The state to decode `batchSize` rows from: zeros, position 0, and the
   * conditioning sequence `condition`, int32 `[batchSize, N]` with ids in
   * `[0, conditionVocabSize)` and one id per position of the whole sequence
   * (prompt included). The state holds a copy; the caller keeps `condition`.
   * A missing condition is a ConfigError, a malformed one a ShapeError.
   */
  initialState(batchSize: number, condition?: tf.Tensor2D): ConditionedLMState {
    this.assertLive();
    assertPositiveInteger('batchSize', batchSize);
    const context = `${NAME}.initialState`;
    if (condition === undefined) {
      throw new ConfigError(
        'condition',
        `${NAME} needs a condition: int32 [batchSize, N] conditioning ids, one per position (e.g. a chord per event)`,
      );
    }
    checkTokenIds(condition, 'condition', 2, this.conditionVocabSize, context);
    if (condition.shape[0] !== batchSize) {
      throw new ShapeError('condition', `${batchSize} rows (batchSize)`, `[${condition.shape.join(', ')}]`, context);
    }
    return tf.tidy(() => ({
      layers: this.rnn.initialState(batchSize).flat(),
      position: tf.zeros([batchSize], 'int32') as tf.Tensor1D,
      conditions: tf.clone(condition),
    }));
  }

  /**
   * One generation step: `tokens` int32 `[B]` → logits `[B, V]` and the next
   * state. Row b reads its conditioning id at its position (plus one for
   * `'next'`), the last id past the end; constant work whatever the position.
   */
  step(tokens: tf.Tensor1D, state: ConditionedLMState): SequenceStepResult<ConditionedLMState> {
    this.assertLive();
    const context = `${NAME}.step`;
    checkTokenIds(tokens, 'tokens', 1, this.vocabSize, context);
    const B = tokens.shape[0];
    const layers = this.checkState(state, B, context);
    const { position, conditions } = state;
    const N = conditions.shape[1];
    const lookahead = this.config.conditionOn === 'next' ? 1 : 0;
    const fast = this.nativeStep(tokens, state.layers, position, conditions, lookahead);
    if (fast) return fast;
    const out = tf.tidy(() => {
      // Each row's id in the flattened [B·N] sequence: row·N + min(position + lookahead, N − 1).
      const int = (n: number) => tf.scalar(n, 'int32');
      const at = tf.minimum(tf.add(position, int(lookahead)), int(N - 1));
      const flat = tf.add(tf.mul(tf.range(0, B, 1, 'int32'), int(N)), at);
      const ids = tf.gather(tf.reshape(conditions, [-1]), flat);
      const x = tf.concat([tf.gather(this.embedding, tokens), tf.gather(this.conditionEmbedding, ids)], 1);
      const { output, states } = this.rnn.step(x, layers);
      return {
        logits: this.project(output) as tf.Tensor2D,
        layers: states.flat(),
        position: tf.add(position, tf.scalar(1, 'int32')) as tf.Tensor1D,
      };
    });
    // The conditioning sequence passes through as the same tensor: samplers reorder it only when rows change.
    return { logits: out.logits, state: { layers: out.layers, position: out.position, conditions } };
  }

  /**
   * `step` in one native call (both embedding rows, every layer, the output projection) when
   * @seqgen/native applies (see `nativeDecoder`) and no gradient tape records; undefined otherwise.
   * Each row's condition id is read on the host: the conditioning ids are read from their tensor
   * once and kept by its data id (the samplers pass the same tensor on), so a step stays O(1).
   */
  private nativeStep(
    tokens: tf.Tensor1D,
    layers: tf.Tensor[],
    position: tf.Tensor1D,
    conditions: tf.Tensor2D,
    lookahead: number,
  ): SequenceStepResult<ConditionedLMState> | undefined {
    const decoder = nativeDecoder({
      embedding: this.embedding,
      cells: this.rnn.layers.map((_, l) => this.rnn.cellsOf(l)[0] as NonNullable<ReturnType<StackedRNN['cellsOf']>[0]>),
      outputKernel: this.outputKernel,
      outputBias: this.outputBias,
      conditionEmbedding: this.conditionEmbedding,
    });
    if (!decoder) return undefined;
    const ids = Int32Array.from(tokens.dataSync());
    const B = ids.length;
    const N = conditions.shape[1];
    const at = position.dataSync();
    const table = conditionIdsOf(conditions);
    const rows = Int32Array.from(
      { length: B },
      (_, b) => table[b * N + Math.min((at[b] as number) + lookahead, N - 1)] as number,
    );
    const { logits, state } = stepStateTensors(decoder, ids, layers, rows);
    const next = tf.tidy(() => tf.add(position, tf.scalar(1, 'int32')) as tf.Tensor1D);
    return { logits, state: { layers: state, position: next, conditions } };
  }

  /**
   * Teacher-forced pass: `ids` int32 `[B, T]` and `conditions` int32 `[B, T]`
   * (the id read with each token, as {@link ConditionedLMBatch} lays them out)
   * → logits `[B, T, V]` and the final recurrent state. Runs the fused
   * whole-sequence kernels; logits at t equal what `step` gives there.
   */
  forward(
    ids: tf.Tensor2D,
    conditions: tf.Tensor2D,
    options: ConditionedForwardOptions = {},
  ): ConditionedForwardResult {
    this.assertLive();
    const context = `${NAME}.forward`;
    checkTokenIds(ids, 'ids', 2, this.vocabSize, context);
    checkTokenIds(conditions, 'conditions', 2, this.conditionVocabSize, context);
    return this.run(ids, conditions, options, context);
  }

  /**
   * Mean next-token cross-entropy of `targets` (int32 `[B, T]`) given `ids`
   * and `conditions`, over the positions `options.mask` counts; with the
   * token count and the final state. Differentiable with respect to `variables`.
   */
  sequenceLoss(
    ids: tf.Tensor2D,
    conditions: tf.Tensor2D,
    targets: tf.Tensor2D,
    options: ConditionedForwardOptions = {},
  ): LMLossResult {
    this.assertLive();
    const context = `${NAME}.loss`;
    checkTokenIds(ids, 'ids', 2, this.vocabSize, context);
    const shape = ids.shape;
    let maskValues: Float32Array | undefined;
    if (options.mask !== undefined) {
      checkFloatShape(options.mask, 'mask', shape, context);
      maskValues = options.mask.dataSync() as Float32Array;
    }
    for (const [name, t] of [
      ['targets', targets],
      ['conditions', conditions],
    ] as const) {
      const vocab = name === 'targets' ? this.vocabSize : this.conditionVocabSize;
      checkTokenIds(t, name, 2, vocab, context, maskValues);
      if (!tf.util.arraysEqual(t.shape, shape)) {
        throw new ShapeError(name, `of the shape of ids [${shape.join(', ')}]`, `[${t.shape}]`, context);
      }
    }
    const tokens = maskValues ? maskValues.reduce((n, m) => n + m, 0) : shape[0] * shape[1];
    const out = tf.tidy(() => {
      // Masked-out positions may hold any id: read them as 0, their loss does not count.
      const safe = options.mask ? tf.mul(conditions, tf.cast(options.mask, 'int32')) : conditions;
      const { logits, state } = this.run(ids, safe as tf.Tensor2D, options, context);
      return { loss: maskedCrossEntropy(logits, targets, options.mask, tokens), state };
    });
    return { ...out, tokens };
  }

  /**
   * The trainer's `loss(batch, state, context)`: mean cross-entropy of a host
   * {@link ConditionedLMBatch}, from `state`, zeroing rows where
   * `batch.resets` marks a document start; dropout follows `context.training`.
   */
  loss(batch: ConditionedLMBatch, state?: LMState, context: LMLossContext = {}): LMLossResult {
    this.assertLive();
    const { ids, targets, mask } = batchTensors(batch);
    const n = batch.batchSize * batch.seqLength;
    if (batch.conditions?.length !== n) {
      tf.dispose([ids, targets, ...(mask ? [mask] : [])]);
      throw new ShapeError(
        'batch.conditions',
        `${n} values ([${batch.batchSize}, ${batch.seqLength}] row-major)`,
        `${batch.conditions?.length}`,
        `${NAME}.loss`,
      );
    }
    const conditions = tf.tensor2d(Int32Array.from(batch.conditions), [batch.batchSize, batch.seqLength], 'int32');
    try {
      return this.sequenceLoss(ids, conditions, targets, {
        ...(mask ? { mask } : {}),
        ...(state ? { initialState: state } : {}),
        ...(batch.resets ? { resets: batch.resets } : {}),
        ...(context.rng ? { rng: context.rng } : {}),
        training: context.training ?? false,
      });
    } finally {
      tf.dispose([ids, targets, conditions, ...(mask ? [mask] : [])]);
    }
  }

  /** Saves config, preprocessors, metadata and weights as a seqgen checkpoint (folder, `.seqgen` file or `indexeddb://`). */
  save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    return saveModel(path, this, options);
  }

  /** The checkpoint as the bytes of one `.seqgen` file; {@link ConditionedLanguageModel.load} reads them. */
  toBytes(options: SaveModelOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    this.assertLive();
    return encodeModel(this, options);
  }

  /** Frees the model's variables; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rnn.dispose();
    this.embedding.dispose();
    this.conditionEmbedding.dispose();
    this.outputKernel?.dispose();
    this.outputBias.dispose();
  }

  private run(
    ids: tf.Tensor2D,
    conditions: tf.Tensor2D,
    options: ConditionedForwardOptions,
    context: string,
  ): ConditionedForwardResult {
    const [B, T] = ids.shape;
    if (!tf.util.arraysEqual(conditions.shape, ids.shape)) {
      throw new ShapeError('conditions', `of the shape of ids [${B}, ${T}]`, `[${conditions.shape}]`, context);
    }
    const c = this.config;
    const initial = options.initialState
      ? splitLayerStates(options.initialState, this.layerStateSizes, B, c.cell, 'initialState', context)
      : undefined;
    const training = options.training ?? false;
    const rng = options.rng ?? this.rng;
    if (options.inputEmbeddings !== undefined) {
      checkFloatShape(options.inputEmbeddings, 'inputEmbeddings', [B, T, c.embeddingSize], context);
    }
    if (options.conditionEmbeddings !== undefined) {
      checkFloatShape(options.conditionEmbeddings, 'conditionEmbeddings', [B, T, c.conditionEmbeddingSize], context);
    }
    return tf.tidy(() => {
      const table =
        training && c.embeddingDropout > 0
          ? dropEmbeddingRows(this.embedding as tf.Tensor2D, c.embeddingDropout, rng)
          : this.embedding;
      const x = tf.concat(
        [
          options.inputEmbeddings ?? embeddingLookup(ids, table as tf.Tensor2D),
          options.conditionEmbeddings ?? embeddingLookup(conditions, this.conditionEmbedding as tf.Tensor2D),
        ],
        2,
      );
      const res = runStackedSegments(this.rnn, x, {
        ...(initial ? { initialState: initial } : {}),
        ...(options.resets ? { resets: options.resets } : {}),
        training,
        ...(options.trace ? { trace: true } : {}),
      });
      let hidden = res.output;
      if (training && c.outputDropout > 0) hidden = sequenceDropout(hidden, c.outputDropout, rng);
      const result: ConditionedForwardResult = {
        logits: this.project(hidden) as tf.Tensor3D,
        state: (res.states ?? []).flat(),
      };
      if (res.trace) result.trace = res.trace;
      return result;
    });
  }

  /** Hidden `[..., top]` → logits `[..., V]`; the tied kernel is the embedding transposed. */
  private project(hidden: tf.Tensor): tf.Tensor {
    const kernel = this.outputKernel ?? (tf.transpose(this.embedding) as tf.Tensor2D);
    return linear(hidden, kernel as tf.Tensor2D, this.outputBias as tf.Tensor1D);
  }

  /** Checks a decoding state (recurrent layers, position, conditioning sequence) and regroups the layers. */
  private checkState(state: ConditionedLMState, batch: number, context: string): tf.Tensor[][] {
    if (typeof state !== 'object' || state === null || !Array.isArray(state.layers)) {
      throw new ShapeError(
        'state',
        'a ConditionedLMState { layers, position, conditions }',
        describeValue(state),
        context,
      );
    }
    const { position, conditions } = state;
    if (
      !(position instanceof tf.Tensor) ||
      position.dtype !== 'int32' ||
      !tf.util.arraysEqual(position.shape, [batch])
    ) {
      const got = position instanceof tf.Tensor ? `${position.dtype} [${position.shape}]` : describeValue(position);
      throw new ShapeError('state.position', `int32 [${batch}]`, got, context);
    }
    if (
      !(conditions instanceof tf.Tensor) ||
      conditions.dtype !== 'int32' ||
      conditions.rank !== 2 ||
      conditions.shape[0] !== batch ||
      conditions.shape[1] < 1
    ) {
      const got =
        conditions instanceof tf.Tensor ? `${conditions.dtype} [${conditions.shape}]` : describeValue(conditions);
      throw new ShapeError('state.conditions', `int32 [${batch}, N ≥ 1]`, got, context);
    }
    return splitLayerStates(state.layers, this.layerStateSizes, batch, this.config.cell, 'state.layers', context);
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

/** The ids behind each conditioning tensor a native step has read (tensors are immutable: read once). */
const conditionIdCache = new WeakMap<object, Int32Array>();

/** `conditions`' ids, read from the tensor the first time only. */
function conditionIdsOf(conditions: tf.Tensor2D): Int32Array {
  const key = conditions.dataId as object;
  let ids = conditionIdCache.get(key);
  if (!ids) {
    ids = Int32Array.from(conditions.dataSync());
    conditionIdCache.set(key, ids);
  }
  return ids;
}
