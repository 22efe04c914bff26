import {
  dropoutMask,
  embeddingLookup,
  LocationSensitiveAttention,
  linear,
  type RecurrentCell,
  StackedRNN,
  stackSteps,
  unstackSteps,
} from '@seqgen/cells';
import {
  type AttentionMemory,
  assertPositiveInteger,
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  type ContinuousSequenceModel,
  type ContinuousStepResult,
  describeValue,
  glorotUniform,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
  ShapeError,
} from '@seqgen/core';
import { type FrameFinishReason, generateFrames } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { type LoadedModel, loadModel, type SaveModelOptions, saveModel } from '../checkpoint-io.js';
import { checkFloatShape } from '../input-checks.js';
import type { LMConfigLimits } from '../lm-config.js';
import { loadLimits } from '../load-limits.js';
import { checkModelType } from '../model-type.js';
import { cellStep, inputGates, type LayerWeights } from '../seq2seq/decoder-cell-step.js';
import { withoutGradient } from '../without-gradient.js';
import { AlignmentRecorder } from './alignment-recorder.js';
import { guidedAttentionWeights } from './guided-attention.js';
import { sameConv1d } from './same-conv1d.js';
import type { TacotronBatch } from './tacotron-batches.js';
import {
  postnetChannels,
  resolveTacotronConfig,
  TACOTRON_TYPE,
  type TacotronConfig,
  type TacotronOptions,
  tacotronMemorySize,
  tacotronWeightShapes,
} from './tacotron-config.js';

const NAME = 'Tacotron';

/** What the decoder decodes from: the encoded text (`memory` `[B, S, 2·encoderUnits]`, `mask` `[B, S]`). */
export type TacotronCondition = AttentionMemory & {
  /** Collects every decoder step's attention weights while decoding (see {@link AlignmentRecorder}). */
  alignments?: AlignmentRecorder;
};

/**
 * The decoder's carried state, batch on axis 0 everywhere (samplers repeat
 * and reorder it); the memory and its projection (`keys`, computed once in
 * `initialState`) travel with it.
 */
export type TacotronState = {
  /** Every decoder LSTM layer's `[h, c]`, flat, layer after layer. */
  layers: tf.Tensor2D[];
  /** The last attention context `[B, memorySize]` (fed with the next frame). */
  context: tf.Tensor2D;
  /** The sum of every step's attention weights so far `[B, S]` (location features). */
  cumulative: tf.Tensor2D;
  /** The last step's attention weights `[B, S]` (zeros before the first). */
  weights: tf.Tensor2D;
  /** The encoded text `[B, S, memorySize]`. */
  memory: tf.Tensor3D;
  /** The memory's projection for scoring `[B, S, attentionUnits]`. */
  keys: tf.Tensor3D;
  /** `[B, S]`, 1 on real symbols. */
  mask: tf.Tensor2D;
  /** Where step weights are recorded, when the condition had one. */
  alignments?: AlignmentRecorder;
};

/** What teacher-forced decoding gives (see {@link Tacotron.forward}). */
export type TacotronForwardResult = {
  /** Mel frames before the post-net `[B, T, melBins]`. */
  melBefore: tf.Tensor3D;
  /** After the residual post-net `[B, T, melBins]`. */
  melAfter: tf.Tensor3D;
  /** One stop logit per decoder step `[B, T / reduction]`. */
  stopLogits: tf.Tensor2D;
  /** Attention weights per decoder step `[B, T / reduction, S]`. */
  alignment: tf.Tensor3D;
  /** With `trace: true`: per decoder LSTM layer, `i f g o c h` per decoder step, each `[B, T / reduction, decoderUnits]`. */
  trace?: Array<Record<string, tf.Tensor3D>>;
};

/** What `loss` returns: the scalar total and the frames it averaged over. */
export type TacotronLossResult = {
  /** Mel (before + after post-net) + stopWeight·stop BCE + guidedAttentionWeight·guided attention. */
  loss: tf.Scalar;
  /** Real mel frames in the batch: what the mel losses averaged over. */
  tokens: number;
};

/** What `loss` reads from the trainer's `LossContext`. */
export type TacotronLossContext = {
  /** Apply dropout (default false; the pre-net's follows `prenetDropoutAtInference` when false). */
  training?: boolean;
  /** The trainer's seeded generator for dropout masks and scheduled-sampling draws; saved in its checkpoints. */
  rng?: Rng;
  /** The trainer's teacher-forcing ratio: below 1 it raises the scheduled-sampling probability to 1 − ratio. */
  teacherForcingRatio?: number;
};

/** Options of {@link Tacotron.forward}: the loss context plus tracing. */
export type TacotronForwardOptions = TacotronLossContext & {
  /**
   * Also return every decoder LSTM layer's gates and states per decoder step
   * (`@seqgen/interpret` reads them). The traced steps run the cells' own
   * `step` with its trace on; off (or absent), decoding is as before.
   */
  trace?: boolean;
};

/** Teacher-forced figures over a set of batches (see {@link Tacotron.evaluate}). */
export type TacotronEvaluation = {
  /** Mean absolute error per mel value after the post-net, over real frames. */
  melL1: number;
  /** Share of decoder steps whose stop decision (sigmoid > 0.5) is right (see `stopTokenAccuracy`). */
  stopAccuracy: number;
  /** The mean over rows of the guided-attention cost of the alignment (0 = on the diagonal). */
  guidedCost: number;
};

/** Options of {@link Tacotron.synthesize}. */
export type SynthesizeOptions = {
  /** A row stops once its stop probability passes this (default 0.5). */
  stopThreshold?: number;
  /** The maximum-length guard: at most this many frames per input symbol (default: the config's `maxFramesPerSymbol`). */
  maxFramesPerSymbol?: number;
  /** Aborts decoding before the next step. */
  signal?: AbortSignal;
};

/** One synthesized utterance. */
export type Synthesis = {
  /** Mel frames after the post-net, `melBins` values each (whole decoder steps: a multiple of `reduction`). */
  mel: Float32Array[];
  /** The same frames before the post-net (what the decoder fed back). */
  melBeforePostnet: Float32Array[];
  /** Attention weights per decoder step over the row's symbols: the alignment to plot. */
  alignment: Float32Array[];
  /** `stop` when the stop token ended it, `length` when the maximum-length guard did. */
  finishReason: FrameFinishReason;
};

/** A checkpoint's `Tacotron` with its symbol table. */
export type LoadedTacotron = LoadedModel<Tacotron>;

/**
 * A Tacotron-style text-to-mel model (Wang et al. 2017; Shen et al. 2018): a
 * symbol embedding, 1-D convolutions (ReLU, dropout) and a bidirectional LSTM
 * encoder over padded texts; location-sensitive attention; an autoregressive
 * LSTM decoder with a pre-net (two dense + ReLU layers, dropout kept on while
 * decoding, as Tacotron 2) that predicts `reduction` mel frames and a stop
 * logit per step; and a residual convolutional post-net. It trains with
 * `@seqgen/trainer` (a `TrainableModel<TacotronBatch>`: teacher forcing on
 * the gold frames; L1 or MSE mel loss before and after the post-net, stop
 * BCE, guided-attention loss) and decodes with `@seqgen/samplers`'
 * `generateFrames` as a `ContinuousSequenceModel` whose frames are
 * `reduction · melBins` wide (one decoder step: `reduction` mel frames side by
 * side), conditioned on `encode(texts)`. Each step costs the same whatever
 * the prefix (the memory is projected once per utterance).
 */
export class Tacotron implements ContinuousSequenceModel<TacotronState, TacotronCondition> {
  /** The complete config, defaults filled: what `getConfig` returns and checkpoints store. */
  readonly config: Readonly<TacotronConfig>;
  /** Input symbols: a checkpoint's `tokenizer` (symbol table) must have exactly this many. */
  readonly vocabSize: number;
  /** One decoder step's output: `reduction · melBins` values (samplers' frame). */
  readonly frameSize: number;
  /** The bidirectional LSTM encoder. */
  readonly encoder: StackedRNN;
  /** The decoder's LSTM stack (stepped with the cells' formulas). */
  readonly decoderRnn: StackedRNN;
  /** The location-sensitive attention over the encoded text. */
  readonly attention: LocationSensitiveAttention;
  private readonly own: Record<string, tf.Variable>;
  private readonly rng: Rng;
  private disposed = false;

  private constructor(config: TacotronConfig) {
    this.config = Object.freeze({ ...config });
    const c = config;
    this.vocabSize = c.vocabSize;
    this.frameSize = c.reduction * c.melBins;
    this.rng = new Rng(c.seed + 11);
    const D = tacotronMemorySize(c);
    this.encoder = new StackedRNN({
      cell: 'lstm',
      inputSize: c.embeddingSize,
      hiddenSize: c.encoderUnits,
      bidirectional: true,
      seed: c.seed + 3,
    });
    this.decoderRnn = new StackedRNN({
      cell: 'lstm',
      inputSize: c.prenetUnits + D,
      hiddenSize: c.decoderUnits,
      numLayers: c.decoderLayers,
      seed: c.seed + 5,
    });
    this.attention = new LocationSensitiveAttention({
      querySize: c.decoderUnits,
      memorySize: D,
      units: c.attentionUnits,
      filters: c.locationFilters,
      kernelSize: c.locationKernel,
      seed: c.seed + 7,
    });
    const rng = new Rng(c.seed);
    const shapes = tacotronWeightShapes(c);
    const own: Record<string, tf.Variable> = {};
    for (const [name, shape] of Object.entries(shapes)) {
      if (name.startsWith('encoder/rnn/') || name.startsWith('decoder/rnn/') || name.startsWith('decoder/attention/')) {
        continue;
      }
      // Convolution kernels [K, in, out] draw as a [K·in, out] matrix: fan-in is the receptive field.
      const flat: [number, number] = [shape.slice(0, -1).reduce((a, b) => a * b, 1), shape[shape.length - 1] as number];
      const initial = name.endsWith('/bias')
        ? tf.zeros(shape)
        : tf.tidy(() => tf.reshape(glorotUniform(rng, flat), shape));
      own[name] = tf.variable(initial, true);
      initial.dispose();
    }
    this.own = own;
  }

  /** Builds a model (fresh weights from `seed`); options are checked against `limits` before anything is allocated. */
  static create(options: TacotronOptions, limits: Partial<LMConfigLimits> = {}): Tacotron {
    return new Tacotron(resolveTacotronConfig(options, limits));
  }

  /** Rebuilds a model from `getConfig()` JSON (a ConfigError names a bad or unknown field). */
  static fromConfig(config: ModelConfig | TacotronConfig, limits: Partial<LMConfigLimits> = {}): Tacotron {
    checkModelType(config, TACOTRON_TYPE);
    return Tacotron.create(config as TacotronOptions, limits);
  }

  /** Every weight's name and shape for a config, computed without allocating (a bad config is the same ConfigError). */
  static weightShapes(
    config: ModelConfig | TacotronOptions,
    limits: Partial<LMConfigLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, TACOTRON_TYPE);
    return tacotronWeightShapes(resolveTacotronConfig(config as TacotronOptions, limits));
  }

  /**
   * Loads a checkpoint written by `save` from any source core's
   * `loadCheckpoint` reads: the config and its weights' shapes are checked
   * against each other and the limits before anything is built; the
   * `tokenizer` preprocessor (the symbol table) must have `vocabSize` symbols.
   */
  static async load(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedTacotron> {
    const limits = loadLimits(options);
    return loadModel(
      source,
      (config) => Tacotron.fromConfig(config, limits),
      options,
      (config) => Tacotron.weightShapes(config, limits),
    );
  }

  /**
   * Trainable weights: `encoder/embedding`, `encoder/conv.{i}/…`,
   * `encoder/rnn/…`, `decoder/prenet.{0,1}/…`, `decoder/rnn/…`,
   * `decoder/attention/…`, `decoder/frames/…`, `decoder/stop/…`, `postnet/conv.{i}/…`.
   */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const name of Object.keys(tacotronWeightShapes(this.config as TacotronConfig))) {
      if (name.startsWith('encoder/rnn/')) {
        out[name] = this.encoder.variables[name.slice('encoder/rnn/'.length)] as tf.Variable;
      } else if (name.startsWith('decoder/rnn/')) {
        out[name] = this.decoderRnn.variables[name.slice('decoder/rnn/'.length)] as tf.Variable;
      } else if (name.startsWith('decoder/attention/')) {
        out[name] = this.attention.variables[name.slice('decoder/attention/'.length)] as tf.Variable;
      } else {
        out[name] = this.own[name] as tf.Variable;
      }
    }
    return out;
  }

  /** The complete config as plain JSON (`type: 'tacotron'`): what checkpoints store. */
  getConfig(): TacotronConfig {
    return { ...this.config };
  }

  /**
   * Encodes texts (symbol-id arrays, each non-empty): pads them, runs the
   * convolutions and the bidirectional LSTM once with per-example lengths
   * (padding changes nothing of the real positions). The decoder's condition;
   * free it with `disposeTacotronCondition`.
   */
  encode(texts: readonly (readonly number[])[]): TacotronCondition {
    this.assertLive();
    const { ids, lengths, S } = this.padTexts(texts, `${NAME}.encode`);
    return tf.tidy(() => {
      const t = tf.tensor2d(ids, [lengths.length, S], 'int32');
      return this.encodeTensors(t, lengths, false, this.rng) as unknown as tf.TensorContainer;
    }) as unknown as TacotronCondition;
  }

  /** The decoder's starting state from `encode`'s condition (core's `SteppedModel`); projects the memory once. */
  initialState(batchSize: number, condition?: TacotronCondition): TacotronState {
    this.assertLive();
    assertPositiveInteger('batchSize', batchSize);
    if (condition === undefined || typeof condition !== 'object' || condition === null) {
      throw new ConfigError('condition', `${NAME} decodes from encoded text: pass model.encode(texts)`);
    }
    const context = `${NAME}.initialState`;
    const memory = condition.memory;
    const D = tacotronMemorySize(this.config);
    if (!(memory instanceof tf.Tensor) || memory.rank !== 3) {
      throw new ShapeError('condition.memory', `float32 [${batchSize}, S, ${D}]`, describeValue(memory), context);
    }
    const S = memory.shape[1];
    checkFloatShape(memory, 'condition.memory', [batchSize, S, D], context);
    if (condition.mask !== undefined) checkFloatShape(condition.mask, 'condition.mask', [batchSize, S], context);
    const state = tf.tidy(
      () => this.startState(memory, condition.mask ?? tf.ones([batchSize, S])) as unknown as tf.TensorContainer,
    ) as unknown as TacotronState;
    if (condition.alignments instanceof AlignmentRecorder) state.alignments = condition.alignments;
    return state;
  }

  /**
   * One decoder step: the previous step's frames `[B, reduction·melBins]`
   * (zeros first; the decoder reads the last mel frame of them) → the next
   * `reduction` mel frames side by side `[B, reduction·melBins]` (before the
   * post-net), a stop logit per row and the next state. Constant work: the
   * pre-net, each LSTM layer, one attention step against the precomputed
   * keys, two projections.
   */
  step(frames: tf.Tensor2D, state: TacotronState): ContinuousStepResult<TacotronState> {
    this.assertLive();
    const context = `${NAME}.step`;
    if (!(frames instanceof tf.Tensor) || frames.rank !== 2) {
      throw new ShapeError('frames', `float32 [B, ${this.frameSize}]`, describeValue(frames), context);
    }
    const B = frames.shape[0];
    checkFloatShape(frames, 'frames', [B, this.frameSize], context);
    this.checkState(state, B, context);
    const out = tf.tidy(() => {
      const M = this.config.melBins;
      const last = tf.slice(frames, [0, this.frameSize - M], [B, M]) as tf.Tensor2D;
      const p = this.prenet(last, this.config.prenetDropoutAtInference, this.rng);
      const { hidden, state: next } = this.decodeStep(p, state);
      const frame = this.projectFrames(hidden) as tf.Tensor2D;
      const stopLogit = tf.reshape(this.projectStop(hidden), [B]) as tf.Tensor1D;
      return { frame, stopLogit, state: next as unknown as tf.TensorContainer };
    }) as unknown as { frame: tf.Tensor2D; stopLogit: tf.Tensor1D; state: TacotronState };
    if (state.alignments) {
      out.state.alignments = state.alignments;
      state.alignments.record(out.state.weights);
    }
    return out;
  }

  /**
   * Teacher-forced decoding of padded texts `ids` int32 `[B, S]` (real
   * lengths `textLengths`) against gold frames `mels` `[B, T, melBins]`, T a
   * multiple of `reduction`: each step is fed the last gold frame of the
   * previous step (or, while training with scheduled sampling, some rows
   * the model's own, without its gradient). Frames before and after the post-net, stop logits and the
   * alignment.
   */
  forward(
    ids: tf.Tensor2D,
    textLengths: readonly number[],
    mels: tf.Tensor3D,
    frameLengths: readonly number[],
    options: TacotronForwardOptions = {},
  ): TacotronForwardResult {
    this.assertLive();
    const training = options.training ?? false;
    const rng = options.rng ?? this.rng;
    const c = this.config;
    const [B, T, M] = mels.shape;
    const N = T / c.reduction;
    const sampling = training ? Math.max(c.scheduledSampling, 1 - (options.teacherForcingRatio ?? 1)) : 0;
    return tf.tidy(() => {
      const condition = this.encodeTensors(ids, textLengths, training, rng);
      let state = this.startState(condition.memory, condition.mask as tf.Tensor2D);
      // Step n is fed the last frame of step n − 1's group (zeros first).
      const lastOfGroups = tf.reshape(
        tf.slice(tf.reshape(mels, [B, N, c.reduction, M]), [0, 0, c.reduction - 1, 0], [B, N, 1, M]),
        [B, N, M],
      );
      const fed = tf.concat([tf.zeros([B, 1, M]), tf.slice(lastOfGroups, [0, 0, 0], [B, N - 1, M])], 1);
      const prenetDropout = training || c.prenetDropoutAtInference;
      // Without scheduled sampling nothing fed to the pre-net depends on the recurrence: one pass for all steps.
      const steps = sampling === 0 ? (unstackSteps(this.prenet(fed, prenetDropout, rng)) as tf.Tensor2D[]) : undefined;
      const goldFed = sampling === 0 ? [] : (unstackSteps(fed) as tf.Tensor2D[]);
      const hiddens: tf.Tensor2D[] = [];
      const weights: tf.Tensor2D[] = [];
      const traces: Array<Record<string, tf.Tensor>[]> = [];
      for (let n = 0; n < N; n++) {
        let p = steps?.[n];
        if (!p) {
          // Scheduled sampling (Bengio et al. 2015): some rows read the model's own last frame of step n − 1.
          let input = goldFed[n] as tf.Tensor2D;
          const previous = hiddens[n - 1];
          if (previous) {
            const own = withoutGradient(tf.slice(this.projectFrames(previous), [0, this.frameSize - M], [B, M]));
            const rows = Float32Array.from({ length: B }, () => (rng.float() < sampling ? 1 : 0));
            input = tf.where(tf.tensor2d(rows, [B, 1]).cast('bool').tile([1, M]), own, input) as tf.Tensor2D;
          }
          p = this.prenet(input, prenetDropout, rng);
        }
        const out = this.decodeStep(p, state, options.trace === true);
        state = out.state;
        hiddens.push(out.hidden);
        weights.push(state.weights);
        if (out.trace) traces.push(out.trace);
      }
      const hidden = stackSteps(hiddens);
      const melBefore = tf.reshape(this.projectFrames(hidden), [B, T, M]) as tf.Tensor3D;
      const stopLogits = tf.reshape(this.projectStop(hidden), [B, N]) as tf.Tensor2D;
      const frameMask = lengthMask(frameLengths, T);
      const melAfter = this.postnetOf(tf.mul(melBefore, tf.expandDims(frameMask, 2)) as tf.Tensor3D, training, rng);
      const result: TacotronForwardResult = {
        melBefore,
        melAfter,
        stopLogits,
        alignment: stackSteps(weights) as tf.Tensor3D,
      };
      if (options.trace) result.trace = stackStepTraces(traces);
      return result;
    });
  }

  /**
   * The trainer's loss on a batch (teacher forcing): L1 or MSE of the mel
   * before and after the post-net over real frames, plus `stopWeight` × the
   * stop-token BCE over real decoder steps (1 at each row's last step), plus
   * `guidedAttentionWeight` × the mean guided-attention cost of the alignment.
   * Dropout draws from `context.rng`, which the trainer checkpoints.
   */
  loss(batch: TacotronBatch, _state?: tf.Tensor[], context: TacotronLossContext = {}): TacotronLossResult {
    this.assertLive();
    const c = this.config;
    const { ids, mels } = this.checkBatch(batch);
    try {
      const tokens = batch.frameLengths.reduce((a, b) => a + b, 0);
      const loss = tf.tidy(() => {
        const out = this.forward(ids, batch.textLengths, mels, batch.frameLengths, context);
        const T = batch.frameLength;
        const N = T / c.reduction;
        const frameMask = tf.expandDims(lengthMask(batch.frameLengths, T), 2);
        const melCount = tokens * c.melBins;
        const melError = (pred: tf.Tensor) => {
          const diff = tf.sub(pred, mels);
          const per = c.melLoss === 'l1' ? tf.abs(diff) : tf.square(diff);
          return tf.div(tf.sum(tf.mul(per, frameMask)), melCount);
        };
        let total = tf.add(melError(out.melBefore), melError(out.melAfter));
        const stepLengths = batch.frameLengths.map((n) => Math.ceil(n / c.reduction));
        if (c.stopWeight > 0) {
          const stepMask = lengthMask(stepLengths, N);
          const target = tf.tensor2d(
            Float32Array.from({ length: batch.batchSize * N }, (_, i) =>
              i % N === (stepLengths[Math.floor(i / N)] as number) - 1 ? 1 : 0,
            ),
            [batch.batchSize, N],
          );
          const x = out.stopLogits;
          // Binary cross-entropy with logits, stable for any x: max(x, 0) − x·z + log(1 + e^−|x|).
          const bce = tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
          const stepCount = stepLengths.reduce((a, b) => a + b, 0);
          total = tf.add(total, tf.mul(tf.div(tf.sum(tf.mul(bce, stepMask)), stepCount), c.stopWeight));
        }
        if (c.guidedAttentionWeight > 0) {
          const W = guidedAttentionWeights(batch.textLengths, stepLengths, batch.textLength, N, c.guidedAttentionSigma);
          const guide = tf.tensor3d(W, [batch.batchSize, N, batch.textLength]);
          const stepCount = stepLengths.reduce((a, b) => a + b, 0);
          const cost = tf.div(tf.sum(tf.mul(out.alignment, guide)), stepCount);
          total = tf.add(total, tf.mul(cost, c.guidedAttentionWeight));
        }
        return total as tf.Scalar;
      });
      return { loss, tokens };
    } finally {
      tf.dispose([ids, mels]);
    }
  }

  /** Teacher-forced mel L1, stop accuracy and guided-attention cost over `batches` (no dropout but the pre-net's, per config). */
  evaluate(batches: readonly TacotronBatch[]): TacotronEvaluation {
    this.assertLive();
    const c = this.config;
    let l1 = 0;
    let values = 0;
    let rightStops = 0;
    let steps = 0;
    let cost = 0;
    let rows = 0;
    for (const batch of batches) {
      const { ids, mels } = this.checkBatch(batch);
      const out = this.forward(ids, batch.textLengths, mels, batch.frameLengths);
      const [after, stops, align, gold] = [out.melAfter, out.stopLogits, out.alignment, mels].map((t) =>
        t.dataSync(),
      ) as [Float32Array, Float32Array, Float32Array, Float32Array];
      tf.dispose([ids, mels, out.melBefore, out.melAfter, out.stopLogits, out.alignment]);
      const T = batch.frameLength;
      const N = T / c.reduction;
      const S = batch.textLength;
      const stepLengths = batch.frameLengths.map((n) => Math.ceil(n / c.reduction));
      const W = guidedAttentionWeights(batch.textLengths, stepLengths, S, N, c.guidedAttentionSigma);
      for (let b = 0; b < batch.batchSize; b++) {
        const frames = batch.frameLengths[b] as number;
        for (let i = b * T * c.melBins; i < (b * T + frames) * c.melBins; i++) {
          l1 += Math.abs((after[i] as number) - (gold[i] as number));
        }
        values += frames * c.melBins;
        const Nb = stepLengths[b] as number;
        let rowCost = 0;
        for (let n = 0; n < Nb; n++) {
          const stop = (stops[b * N + n] as number) > 0;
          if (stop === (n === Nb - 1)) rightStops++;
          for (let s = 0; s < S; s++) {
            const k = (b * N + n) * S + s;
            rowCost += (align[k] as number) * (W[k] as number);
          }
        }
        steps += Nb;
        cost += rowCost / Nb;
        rows++;
      }
    }
    return {
      melL1: l1 / Math.max(values, 1),
      stopAccuracy: rightStops / Math.max(steps, 1),
      guidedCost: cost / Math.max(rows, 1),
    };
  }

  /**
   * Teacher-forced attention weights `[B, T / reduction, S]` of a batch (no
   * dropout but the pre-net's, per config): row n is where step n looked.
   */
  attentionOf(batch: TacotronBatch): tf.Tensor3D {
    this.assertLive();
    const { ids, mels } = this.checkBatch(batch);
    try {
      return tf.tidy(() => this.forward(ids, batch.textLengths, mels, batch.frameLengths).alignment);
    } finally {
      tf.dispose([ids, mels]);
    }
  }

  /**
   * Speaks texts (symbol-id arrays): encodes them once, decodes with
   * `@seqgen/samplers`' `generateFrames` until each row's stop probability
   * passes `stopThreshold` or it reaches the maximum-length guard
   * (`maxFramesPerSymbol` × its length, rounded up to whole steps), then runs
   * the post-net. Returns the mel frames and the alignment of each text.
   */
  async synthesize(texts: readonly (readonly number[])[], options: SynthesizeOptions = {}): Promise<Synthesis[]> {
    this.assertLive();
    const c = this.config;
    const perSymbol = options.maxFramesPerSymbol ?? c.maxFramesPerSymbol;
    if (typeof perSymbol !== 'number' || !(perSymbol >= 1 && perSymbol <= 10_000)) {
      throw new ConfigError('maxFramesPerSymbol', `must be a number in [1, 10000], got ${describeValue(perSymbol)}`);
    }
    const condition = this.encode(texts);
    const alignments = new AlignmentRecorder();
    try {
      const limits = texts.map((t) => Math.max(1, Math.ceil((perSymbol * t.length) / c.reduction)));
      const decoded = await generateFrames(this, {
        condition: { ...condition, alignments },
        maxLength: Math.max(...limits),
        ...(options.stopThreshold !== undefined ? { stopThreshold: options.stopThreshold } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const weights = await alignments.read();
      return decoded.map((row, b) => {
        const limit = limits[b] as number;
        const steps = Math.min(row.frames.length, limit);
        const finishReason: FrameFinishReason =
          row.finishReason === 'stop' && row.frames.length <= limit ? 'stop' : 'length';
        const before = this.ungroup(row.frames.slice(0, steps));
        const after = this.postnetHost(before);
        const S = (texts[b] as readonly number[]).length;
        const alignment = (weights[b] ?? []).slice(0, steps).map((w) => w.slice(0, S));
        return { mel: after, melBeforePostnet: before, alignment, finishReason };
      });
    } finally {
      alignments.dispose();
      disposeTacotronCondition(condition);
    }
  }

  /** Saves config, preprocessors (`tokenizer`: the symbol table), metadata and weights as a seqgen checkpoint. */
  async save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    return saveModel(path, this, options);
  }

  /** Frees every weight; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder.dispose();
    this.decoderRnn.dispose();
    this.attention.dispose();
    for (const v of Object.values(this.own)) v.dispose();
  }

  /** Embedding → convolutions → bidirectional LSTM on padded ids `[B, S]` (inside the caller's tidy). */
  private encodeTensors(ids: tf.Tensor2D, lengths: readonly number[], training: boolean, rng: Rng): TacotronCondition {
    const c = this.config;
    const [, S] = ids.shape;
    const mask = lengthMask(lengths, S);
    const mask3 = tf.expandDims(mask, 2);
    // Padding is zeroed before every convolution, so a padded text encodes as it does alone.
    let x = tf.mul(embeddingLookup(ids, this.own['encoder/embedding'] as tf.Tensor2D), mask3) as tf.Tensor3D;
    for (let i = 0; i < c.encoderConvLayers; i++) {
      x = tf.relu(this.conv(`encoder/conv.${i}`, x));
      if (training && c.dropout > 0) x = tf.mul(x, dropoutMask(rng, x.shape, c.dropout));
      x = tf.mul(x, mask3) as tf.Tensor3D;
    }
    const { output } = this.encoder.apply(x, { lengths, training, rng });
    return { memory: output as tf.Tensor3D, mask };
  }

  /** Zero recurrent state, context and weights, and the memory projected once (inside the caller's tidy). */
  private startState(memory: tf.Tensor3D, mask: tf.Tensor2D): TacotronState {
    const [B, S] = memory.shape;
    const H = this.config.decoderUnits;
    return {
      layers: Array.from({ length: 2 * this.config.decoderLayers }, () => tf.zeros([B, H]) as tf.Tensor2D),
      context: tf.zeros([B, tacotronMemorySize(this.config)]),
      cumulative: tf.zeros([B, S]),
      weights: tf.zeros([B, S]),
      memory,
      keys: this.attention.projectMemory(memory) as tf.Tensor3D,
      mask,
    };
  }

  /** Two dense + ReLU layers with dropout (when `dropout` is on) over the last axis. */
  private prenet<T extends tf.Tensor>(x: T, dropout: boolean, rng: Rng): T {
    const c = this.config;
    let y: tf.Tensor = x;
    for (const layer of [0, 1]) {
      y = tf.relu(
        linear(
          y,
          this.own[`decoder/prenet.${layer}/kernel`] as tf.Tensor2D,
          this.own[`decoder/prenet.${layer}/bias`] as tf.Tensor1D,
        ),
      );
      if (dropout && c.prenetDropout > 0) y = tf.mul(y, dropoutMask(rng, y.shape, c.prenetDropout));
    }
    return y as T;
  }

  /**
   * One decoder step from the pre-net output `[B, prenetUnits]`: the LSTM
   * stack, attention, `[h; context]`. With `trace`, each layer runs its
   * cell's own `step` with the trace on (same formulas and weights) and the
   * gates come back per layer.
   */
  private decodeStep(
    p: tf.Tensor2D,
    state: TacotronState,
    trace = false,
  ): { hidden: tf.Tensor2D; state: TacotronState; trace?: Record<string, tf.Tensor>[] } {
    const H = this.config.decoderUnits;
    let below: tf.Tensor = tf.concat([p, state.context], 1);
    const layers: tf.Tensor2D[] = [];
    const traced: Record<string, tf.Tensor>[] = [];
    for (let l = 0; l < this.config.decoderLayers; l++) {
      const previous = state.layers.slice(2 * l, 2 * l + 2);
      let out: tf.Tensor[];
      if (trace) {
        const r = (this.decoderRnn.cellsOf(l)[0] as RecurrentCell).step(below, previous, { trace: true });
        out = r.state;
        traced.push(r.trace ?? {});
      } else {
        const w = this.layerWeights(l);
        out = cellStep('lstm', inputGates(below, w), previous, w, H);
      }
      layers.push(...(out as tf.Tensor2D[]));
      below = out[0] as tf.Tensor;
    }
    const h = below as tf.Tensor2D;
    const att = this.attention.step(h, {
      memory: state.memory,
      keys: state.keys,
      cumulativeWeights: state.cumulative,
      mask: state.mask,
    });
    const next: TacotronState = {
      layers,
      context: att.context as tf.Tensor2D,
      cumulative: att.cumulativeWeights as tf.Tensor2D,
      weights: att.weights as tf.Tensor2D,
      memory: state.memory,
      keys: state.keys,
      mask: state.mask,
    };
    const hidden = tf.concat([h, att.context], 1) as tf.Tensor2D;
    return trace ? { hidden, state: next, trace: traced } : { hidden, state: next };
  }

  private projectFrames(hidden: tf.Tensor): tf.Tensor {
    return linear(
      hidden,
      this.own['decoder/frames/kernel'] as tf.Tensor2D,
      this.own['decoder/frames/bias'] as tf.Tensor1D,
    );
  }

  private projectStop(hidden: tf.Tensor): tf.Tensor {
    return linear(hidden, this.own['decoder/stop/kernel'] as tf.Tensor2D, this.own['decoder/stop/bias'] as tf.Tensor1D);
  }

  /** mel + postnet(mel): tanh convolutions, the last one linear (inside the caller's tidy). */
  private postnetOf(mel: tf.Tensor3D, training: boolean, rng: Rng): tf.Tensor3D {
    const c = this.config;
    const layers = postnetChannels(c as TacotronConfig);
    let y = mel;
    layers.forEach((_, i) => {
      y = this.conv(`postnet/conv.${i}`, y);
      if (i < layers.length - 1) y = tf.tanh(y);
      if (training && c.dropout > 0) y = tf.mul(y, dropoutMask(rng, y.shape, c.dropout));
    });
    return layers.length > 0 ? (tf.add(mel, y) as tf.Tensor3D) : mel;
  }

  /** The post-net on host frames (one utterance). */
  private postnetHost(frames: Float32Array[]): Float32Array[] {
    const M = this.config.melBins;
    if (frames.length === 0) return [];
    const flat = new Float32Array(frames.length * M);
    frames.forEach((f, t) => {
      flat.set(f, t * M);
    });
    const data = tf.tidy(() => this.postnetOf(tf.tensor3d(flat, [1, frames.length, M]), false, this.rng).dataSync());
    return frames.map((_, t) => Float32Array.from(data.subarray(t * M, (t + 1) * M)));
  }

  /** Decoder steps of `reduction · melBins` values → mel frames of `melBins`. */
  private ungroup(steps: readonly Float32Array[]): Float32Array[] {
    const M = this.config.melBins;
    return steps.flatMap((s) => Array.from({ length: this.config.reduction }, (_, k) => s.slice(k * M, (k + 1) * M)));
  }

  private conv(prefix: string, x: tf.Tensor3D): tf.Tensor3D {
    return sameConv1d(x, this.own[`${prefix}/kernel`] as tf.Tensor3D, this.own[`${prefix}/bias`] as tf.Tensor1D);
  }

  private layerWeights(l: number): LayerWeights {
    const v = this.decoderRnn.variables;
    return {
      kernel: v[`layers.${l}/kernel`] as tf.Variable as tf.Tensor2D,
      recurrentKernel: v[`layers.${l}/recurrentKernel`] as tf.Variable as tf.Tensor2D,
      bias: v[`layers.${l}/bias`] as tf.Variable as tf.Tensor1D,
    };
  }

  private padTexts(
    texts: readonly (readonly number[])[],
    context: string,
  ): { ids: Int32Array; lengths: number[]; S: number } {
    if (!Array.isArray(texts) || texts.length === 0) {
      throw new ShapeError('texts', 'a non-empty array of symbol-id arrays', describeValue(texts), context);
    }
    const V = this.config.vocabSize;
    texts.forEach((t, i) => {
      if (!Array.isArray(t) || t.length === 0) {
        throw new ShapeError(`texts[${i}]`, 'a non-empty array of symbol ids', describeValue(t), context);
      }
      const bad = t.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= V);
      if (bad >= 0) throw new ShapeError(`texts[${i}][${bad}]`, `a symbol id in [0, ${V})`, String(t[bad]), context);
    });
    const S = Math.max(...texts.map((t) => t.length));
    const ids = new Int32Array(texts.length * S).fill(this.config.padId);
    texts.forEach((t, b) => {
      ids.set(t, b * S);
    });
    return { ids, lengths: texts.map((t) => t.length), S };
  }

  /** Checks a host batch against the model and makes its tensors (the caller disposes them). */
  private checkBatch(batch: TacotronBatch): { ids: tf.Tensor2D; mels: tf.Tensor3D } {
    const context = `${NAME}.loss`;
    const c = this.config;
    if (typeof batch !== 'object' || batch === null) {
      throw new ShapeError('batch', 'a TacotronBatch (from tacotronBatches)', describeValue(batch), context);
    }
    const { batchSize: B, textLength: S, frameLength: T } = batch;
    for (const [field, value] of [
      ['batch.batchSize', B],
      ['batch.textLength', S],
      ['batch.frameLength', T],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new ShapeError(field, 'a positive integer', String(value), context);
    }
    if (T % c.reduction !== 0) {
      throw new ShapeError(
        'batch.frameLength',
        `a multiple of the reduction factor ${c.reduction}`,
        String(T),
        context,
      );
    }
    if (batch.ids?.length !== B * S)
      throw new ShapeError('batch.ids', `${B * S} ids`, String(batch.ids?.length), context);
    if (batch.mels?.length !== B * T * c.melBins) {
      throw new ShapeError(
        'batch.mels',
        `${B * T * c.melBins} values (B·T·melBins)`,
        String(batch.mels?.length),
        context,
      );
    }
    for (const [field, lengths, max] of [
      ['batch.textLengths', batch.textLengths, S],
      ['batch.frameLengths', batch.frameLengths, T],
    ] as const) {
      if (!Array.isArray(lengths) || lengths.length !== B) {
        throw new ShapeError(field, `${B} entries`, String(lengths?.length), context);
      }
      lengths.forEach((n, b) => {
        if (!Number.isInteger(n) || n < 1 || n > max)
          throw new ShapeError(`${field}[${b}]`, `an integer in [1, ${max}]`, String(n), context);
      });
    }
    for (let i = 0; i < batch.ids.length; i++) {
      const id = batch.ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
        throw new ShapeError('batch.ids', `symbol ids in [0, ${c.vocabSize})`, `${id} at ${i}`, context);
      }
    }
    if (!batch.mels.every(Number.isFinite))
      throw new ShapeError('batch.mels', 'finite values', 'NaN or Infinity', context);
    return {
      ids: tf.tensor2d(Int32Array.from(batch.ids), [B, S], 'int32'),
      mels: tf.tensor3d(Float32Array.from(batch.mels), [B, T, c.melBins]),
    };
  }

  private checkState(state: TacotronState, batch: number, context: string): void {
    if (typeof state !== 'object' || state === null || !Array.isArray(state.layers)) {
      throw new ShapeError('state', `a ${NAME} state from initialState or step`, describeValue(state), context);
    }
    const H = this.config.decoderUnits;
    if (state.layers.length !== 2 * this.config.decoderLayers) {
      throw new ShapeError(
        'state.layers',
        `${2 * this.config.decoderLayers} tensors`,
        `${state.layers.length}`,
        context,
      );
    }
    state.layers.forEach((s, k) => {
      checkFloatShape(s, `state.layers[${k}]`, [batch, H], context);
    });
    if (!(state.memory instanceof tf.Tensor) || state.memory.shape[0] !== batch) {
      throw new ShapeError('state.memory', `${batch} rows (from initialState)`, describeValue(state.memory), context);
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

/** Disposes the tensors of a condition from `Tacotron.encode`. */
export function disposeTacotronCondition(condition: TacotronCondition): void {
  tf.dispose([condition.memory, ...(condition.mask ? [condition.mask] : [])]);
}

/** Per-step, per-layer traces → per layer, each quantity stacked over steps `[B, N, size]`. */
function stackStepTraces(steps: Array<Record<string, tf.Tensor>[]>): Array<Record<string, tf.Tensor3D>> {
  const first = steps[0] ?? [];
  return first.map((layer, l) => {
    const stacked: Record<string, tf.Tensor3D> = {};
    for (const key of Object.keys(layer)) {
      stacked[key] = tf.stack(
        steps.map((step) => step[l]?.[key] as tf.Tensor),
        1,
      ) as tf.Tensor3D;
    }
    return stacked;
  });
}

/** `[B, T]` float mask, 1 on each row's first `lengths[b]` positions. */
function lengthMask(lengths: readonly number[], T: number): tf.Tensor2D {
  const values = new Float32Array(lengths.length * T);
  lengths.forEach((n, b) => {
    values.fill(1, b * T, b * T + n);
  });
  return tf.tensor2d(values, [lengths.length, T]);
}
