import { dropoutMask, embeddingLookup, linear, StackedRNN } from '@seqgen/cells';
import {
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  describeValue,
  glorotUniform,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
  type SequenceModel,
  type SequenceStepResult,
  ShapeError,
} from '@seqgen/core';
import { assertMatchesVocab } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { type AnyCodec, type LoadedModel, loadModel, type SaveModelOptions, saveModel } from '../checkpoint-io.js';
import { fusedCrossEntropy } from '../fused-cross-entropy.js';
import type { LMConfigLimits } from '../lm-config.js';
import { loadLimits } from '../load-limits.js';
import { checkModelType } from '../model-type.js';
import { variableFrom } from '../variable-from.js';
import { AttentionDecoder, type AttentionDecoderState, type Seq2SeqCondition } from './attention-decoder.js';
import { hierarchicalEncode } from './hierarchical-encode.js';
import type { Seq2SeqBatch } from './seq2seq-batches.js';
import {
  bridgeInputSizeOf,
  bridgeParts,
  decoderShapeOf,
  resolveSeq2SeqConfig,
  SEQ2SEQ_TYPE,
  type Seq2SeqConfig,
  type Seq2SeqOptions,
  seq2seqWeightShapes,
  turnEncoderShapeOf,
} from './seq2seq-config.js';
import { turnLayout } from './turn-layout.js';

const NAME = 'Seq2Seq';

/** What {@link Seq2Seq.loss} returns for one batch (the model carries no state across batches). */
export type Seq2SeqLossResult = {
  /**
   * Label-smoothed cross-entropy of the target tokens, in nats, averaged over the counted tokens (a scalar, computed
   * from the model's variables).
   */
  loss: tf.Scalar;
  /** Target tokens counted by the mask: what the loss averaged over. */
  tokens: number;
};

/** What `loss` reads from the trainer's `LossContext`. */
export interface Seq2SeqLossContext {
  /** Apply dropout and scheduled sampling (default false). */
  training?: boolean;
  /** The trainer's seeded generator (dropout masks, scheduled-sampling draws); saved in its checkpoints. */
  rng?: Rng;
  /** The trainer's teacher-forcing ratio: below 1 it raises the scheduled-sampling probability to 1 − ratio. */
  teacherForcingRatio?: number;
}

/** What `evaluate` reports over a set of batches (no dropout, no scheduled sampling). */
export interface Seq2SeqEvaluation {
  /** Mean cross-entropy per target token, nats (no label smoothing). */
  loss: number;
  /** `exp(loss)`: the model's mean branching factor per target token. */
  perplexity: number;
  /** Share of target tokens whose argmax under teacher forcing is the gold token. */
  tokenAccuracy: number;
  /** Target tokens counted (EOS included, padding not). */
  tokens: number;
}

/** A checkpoint's `Seq2Seq` with its source and target tokenizers. */
export interface LoadedSeq2Seq extends LoadedModel<Seq2Seq> {
  /** The `source` preprocessor (source-language tokenizer), or null when the checkpoint has none. */
  source: AnyCodec | null;
  /** The `target` preprocessor (target-language tokenizer), or null when the checkpoint has none. */
  target: AnyCodec | null;
}

/**
 * An encoder–decoder with attention (Bahdanau 2015, Luong 2015): an embedding
 * and stacked, optionally bidirectional LSTM/GRU encoder over padded sources,
 * a learned bridge (dense + tanh per decoder layer) from its final states to
 * the decoder's, and an {@link AttentionDecoder} over its outputs. It trains
 * with `@seqgen/trainer` (a `TrainableModel<Seq2SeqBatch>`: teacher forcing,
 * scheduled sampling, label smoothing) and decodes with `@seqgen/samplers` (a
 * `SequenceModel` over target tokens conditioned on `encode(sources)`).
 */
export class Seq2Seq implements SequenceModel<AttentionDecoderState, Seq2SeqCondition> {
  /** The complete config, defaults filled: what `getConfig` returns and checkpoints store. */
  readonly config: Readonly<Seq2SeqConfig>;
  /** Target vocabulary (the samplers' `vocabSize`). */
  readonly vocabSize: number;
  /** The source encoder: stacked, optionally bidirectional recurrent layers over the embedded source (each turn of it, when hierarchical). */
  readonly encoder: StackedRNN;
  /** A hierarchical encoder's turn encoder (one layer over the turns' final states); null when `flat`. */
  readonly turnEncoder: StackedRNN | null;
  /** The attention decoder over the encoder's outputs, stepped by the samplers. */
  readonly decoder: AttentionDecoder;
  /** A token-NLL loss in nats: the trainer reports perplexity and bits per token. */
  readonly metrics = ['perplexity', 'bitsPerToken'] as const;
  private readonly own: Record<string, tf.Variable>;
  private readonly rng: Rng;
  private disposed = false;

  private constructor(config: Seq2SeqConfig) {
    this.config = Object.freeze({ ...config });
    this.vocabSize = config.targetVocabSize;
    const c = config;
    this.rng = new Rng(c.seed + 11);
    this.encoder = new StackedRNN({
      cell: c.cell,
      inputSize: c.embeddingSize,
      hiddenSize: c.hiddenSize,
      numLayers: c.encoderLayers,
      bidirectional: c.bidirectional,
      dropout: c.dropout,
      seed: c.seed + 3,
    });
    this.turnEncoder =
      c.encoderType === 'hierarchical' ? new StackedRNN({ ...turnEncoderShapeOf(c), seed: c.seed + 7 }) : null;
    this.decoder = new AttentionDecoder({ ...decoderShapeOf(c), dropout: c.dropout, seed: c.seed + 5 });
    const rng = new Rng(c.seed);
    const own: Record<string, tf.Variable> = {
      'encoder/embedding': variableFrom(glorotUniform(rng, [c.sourceVocabSize, c.embeddingSize])),
    };
    const width = bridgeInputSizeOf(c);
    for (let l = 0; l < c.decoderLayers; l++) {
      for (const part of bridgeParts(c.cell)) {
        own[`bridge/layers.${l}/${part}/kernel`] = variableFrom(glorotUniform(rng, [width, c.hiddenSize]));
        own[`bridge/layers.${l}/${part}/bias`] = variableFrom(tf.zeros([c.hiddenSize]));
      }
    }
    this.own = own;
  }

  /** Builds a model (fresh weights from `seed`); options are checked against `limits` before anything is allocated. */
  static create(options: Seq2SeqOptions, limits: Partial<LMConfigLimits> = {}): Seq2Seq {
    return new Seq2Seq(resolveSeq2SeqConfig(options, limits));
  }

  /** Rebuilds a model from `getConfig()` JSON (a ConfigError names a bad or unknown field). */
  static fromConfig(config: ModelConfig | Seq2SeqConfig, limits: Partial<LMConfigLimits> = {}): Seq2Seq {
    checkModelType(config, SEQ2SEQ_TYPE);
    return Seq2Seq.create(config as Seq2SeqOptions, limits);
  }

  /** Every weight's name and shape for a config, computed without allocating (a bad config is the same ConfigError). */
  static weightShapes(
    config: ModelConfig | Seq2SeqOptions,
    limits: Partial<LMConfigLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, SEQ2SEQ_TYPE);
    return seq2seqWeightShapes(resolveSeq2SeqConfig(config as Seq2SeqOptions, limits));
  }

  /**
   * Loads a checkpoint written by `save` (or `saveModel`) from any source
   * core's `loadCheckpoint` reads (a path, a URL, bytes): the config and its
   * weights' shapes are checked against each other and the limits before
   * anything is built, then the `source` / `target` tokenizers are checked
   * against the vocabularies.
   */
  static async load(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedSeq2Seq> {
    const limits = loadLimits(options);
    const loaded = await loadModel(
      source,
      (config) => Seq2Seq.fromConfig(config, limits),
      options,
      (config) => Seq2Seq.weightShapes(config, limits),
    );
    try {
      checkTokenizers(loaded.model, loaded.preprocessors);
    } catch (error) {
      loaded.model.dispose();
      throw error;
    }
    return { ...loaded, source: loaded.preprocessors.source ?? null, target: loaded.preprocessors.target ?? null };
  }

  /**
   * Trainable weights: `encoder/embedding`, `encoder/rnn/…`, `encoder/turn-rnn/…` (hierarchical),
   * `bridge/layers.{l}/{h,c}/{kernel,bias}`, `decoder/…`.
   */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { 'encoder/embedding': this.own['encoder/embedding'] as tf.Variable };
    for (const [name, v] of Object.entries(this.encoder.variables)) out[`encoder/rnn/${name}`] = v;
    if (this.turnEncoder) {
      for (const [name, v] of Object.entries(this.turnEncoder.variables)) out[`encoder/turn-rnn/${name}`] = v;
    }
    for (const [name, v] of Object.entries(this.own)) if (name.startsWith('bridge/')) out[name] = v;
    for (const [name, v] of Object.entries(this.decoder.variables)) out[`decoder/${name}`] = v;
    return out;
  }

  getConfig(): Seq2SeqConfig {
    return { ...this.config };
  }

  /**
   * Pads `sources` (token-id arrays, each non-empty), runs the encoder once
   * with per-example lengths (padding changes nothing of the real positions)
   * and bridges its final states: the decoder's condition. The caller
   * disposes it with `disposeCondition`.
   */
  encode(sources: readonly (readonly number[])[]): Seq2SeqCondition {
    this.assertLive();
    const { ids, lengths } = this.padSources(sources);
    return tf.tidy(
      () => this.encodeTensors(ids, lengths, false, this.rng) as unknown as tf.TensorContainer,
    ) as unknown as Seq2SeqCondition;
  }

  /** The decoder's starting state from `encode`'s condition (core's `SequenceModel`); the condition is required. */
  initialState(batchSize: number, condition?: Seq2SeqCondition): AttentionDecoderState {
    this.assertLive();
    if (condition === undefined) {
      throw new ConfigError('condition', `${NAME} decodes from an encoded source: pass model.encode(sources)`);
    }
    return this.decoder.initialState(batchSize, condition);
  }

  /** One target token per row through the decoder: logits `[B, targetVocabSize]`; O(1) in the prefix. */
  step(tokens: tf.Tensor1D, state: AttentionDecoderState): SequenceStepResult<AttentionDecoderState> {
    this.assertLive();
    return this.decoder.step(tokens, state);
  }

  /**
   * The trainer's loss: label-smoothed cross-entropy of `batch.targetOutputs`
   * given the sources and `targetInputs` (teacher forcing, with scheduled
   * sampling at `scheduledSampling`, or `1 − teacherForcingRatio` when the
   * trainer's is lower), averaged over the target mask. Dropout and sampling
   * draw from `context.rng`, which the trainer checkpoints (exact resume).
   */
  loss(batch: Seq2SeqBatch, _state?: tf.Tensor[], context: Seq2SeqLossContext = {}): Seq2SeqLossResult {
    this.assertLive();
    const training = context.training ?? false;
    const rng = context.rng ?? this.rng;
    const sampling = Math.max(this.config.scheduledSampling, 1 - (context.teacherForcingRatio ?? 1));
    const { logits, tokens, targets, mask } = this.teacherForced(batch, training, rng, sampling);
    try {
      const loss = smoothedCrossEntropy(logits, targets, mask, tokens, training ? this.config.labelSmoothing : 0);
      return { loss, tokens };
    } finally {
      tf.dispose([logits, targets, mask]);
    }
  }

  /** Loss, perplexity and token accuracy over `batches` (teacher forcing, no dropout). */
  evaluate(batches: readonly Seq2SeqBatch[]): Seq2SeqEvaluation {
    this.assertLive();
    let nll = 0;
    let correct = 0;
    let tokens = 0;
    for (const batch of batches) {
      const out = this.teacherForced(batch, false, this.rng, 0);
      const [sum, hits] = tf.tidy(() => {
        const loss = smoothedCrossEntropy(out.logits, out.targets, out.mask, 1, 0);
        const right = tf.mul(tf.cast(tf.equal(tf.argMax(out.logits, -1), out.targets), 'float32'), out.mask);
        return [loss.dataSync()[0] as number, tf.sum(right).dataSync()[0] as number];
      });
      tf.dispose([out.logits, out.targets, out.mask]);
      nll += sum;
      correct += hits;
      tokens += out.tokens;
    }
    const loss = nll / Math.max(tokens, 1);
    return { loss, perplexity: Math.exp(loss), tokenAccuracy: correct / Math.max(tokens, 1), tokens };
  }

  /**
   * Teacher-forced attention weights `[B, T, S]` of a batch (no dropout):
   * row t is where the decoder looked while predicting target t.
   */
  attentionOf(batch: Seq2SeqBatch): tf.Tensor3D {
    this.assertLive();
    if (this.config.attention === 'none') {
      throw new ConfigError('attention', 'is "none": the model has no attention weights');
    }
    const { sources, targetInputs, targetOutputs, mask } = checkBatch(batch, this.config);
    try {
      return tf.tidy(() => {
        const condition = this.encodeTensors(sources, batch.sourceLengths, false, this.rng);
        return this.decoder.forward(targetInputs, condition).attention as tf.Tensor3D;
      });
    } finally {
      tf.dispose([targetInputs, targetOutputs, mask]);
    }
  }

  /** Saves config, preprocessors (`{ source, target }` tokenizers), metadata and weights as a seqgen checkpoint. */
  async save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    checkTokenizers(this, options.preprocessors ?? {});
    return saveModel(path, this, options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder.dispose();
    this.turnEncoder?.dispose();
    this.decoder.dispose();
    for (const v of Object.values(this.own)) v.dispose();
  }

  private teacherForced(
    batch: Seq2SeqBatch,
    training: boolean,
    rng: Rng,
    sampling: number,
  ): { logits: tf.Tensor3D; tokens: number; targets: tf.Tensor2D; mask: tf.Tensor2D } {
    const { sources, targetInputs, targetOutputs, mask } = checkBatch(batch, this.config);
    const tokens = batch.targetMask.reduce((n, m) => n + m, 0);
    const logits = tf.tidy(() => {
      const condition = this.encodeTensors(sources, batch.sourceLengths, training, rng);
      return this.decoder.forward(targetInputs, condition, { training, rng, scheduledSampling: sampling }).logits;
    });
    tf.dispose(targetInputs);
    return { logits, tokens, targets: targetOutputs, mask };
  }

  /** Encoder + bridge on host padded ids `[B, S]` (row-major, `B = lengths.length`; inside the caller's tidy). */
  private encodeTensors(ids: Int32Array, lengths: readonly number[], training: boolean, rng: Rng): Seq2SeqCondition {
    const c = this.config;
    const B = lengths.length;
    const S = ids.length / B;
    let memory: tf.Tensor3D;
    // Part k (`h`, or the LSTM's `c`) of the final state the bridge maps into decoder layer l.
    let finalState: (l: number, k: number) => tf.Tensor;
    if (this.turnEncoder) {
      const layout = turnLayout(ids, B, S, lengths, c.turnSeparatorId as number, c.padId);
      const turns = tf.tensor2d(layout.turnIds, [layout.turnCount, layout.turnLength], 'int32');
      const { output, states } = this.encodeIds(turns, layout.turnLengths, training, rng);
      const turnVectors = this.bothDirections(states[states.length - 1] as tf.Tensor[], 0) as tf.Tensor2D;
      const encoded = hierarchicalEncode(layout, output, turnVectors, this.turnEncoder, S, { training, rng });
      memory = encoded.memory;
      finalState = (_, k) => encoded.states[k] as tf.Tensor;
    } else {
      const { output, states } = this.encodeIds(tf.tensor2d(ids, [B, S], 'int32'), lengths, training, rng);
      memory = output;
      // Deeper decoder layers than encoder layers start from the encoder's top layer.
      finalState = (l, k) => this.bothDirections(states[Math.min(l, c.encoderLayers - 1)] as tf.Tensor[], k);
    }
    const maskValues = new Float32Array(B * S);
    lengths.forEach((n, b) => {
      maskValues.fill(1, b * S, b * S + n);
    });
    const parts = bridgeParts(c.cell);
    const initialStates: tf.Tensor2D[] = [];
    for (let l = 0; l < c.decoderLayers; l++) {
      parts.forEach((part, k) => {
        const final = finalState(l, k);
        const kernel = this.own[`bridge/layers.${l}/${part}/kernel`] as tf.Tensor2D;
        const bias = this.own[`bridge/layers.${l}/${part}/bias`] as tf.Tensor1D;
        initialStates.push(tf.tanh(linear(final, kernel, bias)) as tf.Tensor2D);
      });
    }
    return { memory, mask: tf.tensor2d(maskValues, [B, S]), initialStates };
  }

  /** Embedding (with dropout) and the encoder stack over padded ids `[rows, width]` with per-row lengths. */
  private encodeIds(
    ids: tf.Tensor2D,
    lengths: readonly number[],
    training: boolean,
    rng: Rng,
  ): { output: tf.Tensor3D; states: tf.Tensor[][] } {
    const c = this.config;
    let x = embeddingLookup(ids, this.own['encoder/embedding'] as tf.Tensor2D);
    if (training && c.dropout > 0) x = tf.mul(x, dropoutMask(rng, [...ids.shape, c.embeddingSize], c.dropout));
    const { output, states } = this.encoder.apply(x, { lengths, training, rng });
    return { output: output as tf.Tensor3D, states };
  }

  /** Part k of an encoder layer's final state (`[h]` or `[h, c]` per direction), both directions side by side. */
  private bothDirections(layer: tf.Tensor[], k: number): tf.Tensor {
    if (!this.config.bidirectional) return layer[k] as tf.Tensor;
    const parts = bridgeParts(this.config.cell).length;
    return tf.concat([layer[k] as tf.Tensor, layer[parts + k] as tf.Tensor], 1);
  }

  private padSources(sources: readonly (readonly number[])[]): { ids: Int32Array; lengths: number[] } {
    const context = `${NAME}.encode`;
    if (!Array.isArray(sources) || sources.length === 0) {
      throw new ShapeError('sources', 'a non-empty array of token-id arrays', describeValue(sources), context);
    }
    const V = this.config.sourceVocabSize;
    sources.forEach((s, i) => {
      if (!Array.isArray(s) || s.length === 0) {
        throw new ShapeError(`sources[${i}]`, 'a non-empty array of token ids', describeValue(s), context);
      }
      const bad = s.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= V);
      if (bad >= 0) throw new ShapeError(`sources[${i}][${bad}]`, `a token id in [0, ${V})`, String(s[bad]), context);
    });
    const S = Math.max(...sources.map((s) => s.length));
    const ids = new Int32Array(sources.length * S).fill(this.config.padId);
    sources.forEach((s, b) => {
      ids.set(s, b * S);
    });
    return { ids, lengths: sources.map((s) => s.length) };
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

/** Disposes every tensor of a condition from `Seq2Seq.encode`. */
export function disposeCondition(condition: Seq2SeqCondition): void {
  tf.dispose([condition.memory, ...(condition.mask ? [condition.mask] : []), ...(condition.initialStates ?? [])]);
}

/**
 * Mean over counted positions of (1−ε)·(−log p(target)) + ε·mean_v(−log p(v)):
 * label smoothing (Szegedy et al. 2016) with the one-hot product, not gather
 * (whose gradient the wasm backend lacks); ε = 0 is plain cross-entropy.
 * Returns the sum when `tokens` is 1 (evaluation accumulates sums). One pass
 * over the rows each way on wasm and cpu (fused-cross-entropy.ts).
 */
function smoothedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  mask: tf.Tensor,
  tokens: number,
  epsilon: number,
): tf.Scalar {
  const fused = fusedCrossEntropy(logits, targets, mask, tokens, epsilon);
  if (fused) return fused;
  return composedCrossEntropy(logits, targets, mask, tokens, epsilon);
}

/** {@link smoothedCrossEntropy} from tfjs ops: every backend (and the reference of the fused one's tests). */
export function composedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  mask: tf.Tensor,
  tokens: number,
  epsilon: number,
): tf.Scalar {
  return tf.tidy(() => {
    const vocab = logits.shape[logits.rank - 1] as number;
    const logProbs = tf.logSoftmax(logits);
    let nll = tf.neg(tf.sum(tf.mul(logProbs, tf.cast(tf.oneHot(targets, vocab), 'float32')), -1));
    if (epsilon > 0) nll = tf.add(tf.mul(nll, 1 - epsilon), tf.mul(tf.neg(tf.mean(logProbs, -1)), epsilon));
    return tf.div(tf.sum(tf.mul(nll, mask)), Math.max(tokens, 1)) as tf.Scalar;
  });
}

/** Checks a host batch against the model and makes its tensors (the caller disposes them). */
function checkBatch(
  batch: Seq2SeqBatch,
  c: Seq2SeqConfig,
): { sources: Int32Array; targetInputs: tf.Tensor2D; targetOutputs: tf.Tensor2D; mask: tf.Tensor2D } {
  const context = `${NAME}.loss`;
  if (typeof batch !== 'object' || batch === null) {
    throw new ShapeError('batch', 'a Seq2SeqBatch (from seq2seqBatches)', describeValue(batch), context);
  }
  const { batchSize: B, sourceLength: S, targetLength: T } = batch;
  for (const [field, value] of [
    ['batch.batchSize', B],
    ['batch.sourceLength', S],
    ['batch.targetLength', T],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new ShapeError(field, 'a positive integer', String(value), context);
  }
  for (const [field, size] of [
    ['sources', B * S],
    ['targetInputs', B * T],
    ['targetOutputs', B * T],
    ['targetMask', B * T],
  ] as const) {
    if (batch[field]?.length !== size) {
      throw new ShapeError(`batch.${field}`, `${size} values (row-major)`, `${batch[field]?.length}`, context);
    }
  }
  if (!Array.isArray(batch.sourceLengths) || batch.sourceLengths.length !== B) {
    throw new ShapeError('batch.sourceLengths', `${B} entries`, `${batch.sourceLengths?.length}`, context);
  }
  batch.sourceLengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > S) {
      throw new ShapeError(`batch.sourceLengths[${b}]`, `an integer in [1, ${S}]`, String(n), context);
    }
  });
  checkIds(batch.sources, c.sourceVocabSize, 'batch.sources', context);
  checkIds(batch.targetInputs, c.targetVocabSize, 'batch.targetInputs', context);
  checkIds(batch.targetOutputs, c.targetVocabSize, 'batch.targetOutputs', context);
  return {
    sources: Int32Array.from(batch.sources),
    targetInputs: tf.tensor2d(Int32Array.from(batch.targetInputs), [B, T], 'int32'),
    targetOutputs: tf.tensor2d(Int32Array.from(batch.targetOutputs), [B, T], 'int32'),
    mask: tf.tensor2d(Float32Array.from(batch.targetMask), [B, T]),
  };
}

function checkIds(ids: ArrayLike<number>, vocab: number, field: string, context: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new ShapeError(field, `token ids in [0, ${vocab})`, `${id} at ${i}`, context);
    }
  }
}

/** A `source` / `target` tokenizer must have the model's source / target vocabulary. */
function checkTokenizers(model: Seq2Seq, preprocessors: Record<string, unknown>): void {
  for (const [name, size] of [
    ['source', model.config.sourceVocabSize],
    ['target', model.config.targetVocabSize],
  ] as const) {
    const codec = preprocessors[name] as { type?: string; vocabSize?: number } | undefined;
    if (codec && typeof codec.vocabSize === 'number' && typeof codec.type === 'string') {
      assertMatchesVocab(codec as { type: string; vocabSize: number }, size, `model's ${name}`);
    }
  }
}
