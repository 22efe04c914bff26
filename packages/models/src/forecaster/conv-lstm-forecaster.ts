import { ConvLSTM2D, ConvLSTM2DCell, linear } from '@seqgen/cells';
import {
  assertPositiveInteger,
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  type ContinuousSequenceModel,
  type ContinuousStepResult,
  DEFAULT_LIMITS,
  describeValue,
  glorotUniform,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
  ShapeError,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { encodeModel, type LoadedModel, type SaveModelOptions, saveModel } from '../checkpoint-io.js';
import { loadModelOfType } from '../load-model-of-type.js';
import { checkModelType } from '../model-type.js';
import { batchTensor, checkFramesTensor, type ForecastBatch } from './forecast-batch.js';
import {
  CONV_LSTM_FORECASTER_TYPE,
  type ConvLstmForecasterConfig,
  type ConvLstmForecasterOptions,
  DEFAULT_FORECASTER_CONFIG_LIMITS,
  type ForecasterConfigLimits,
  forecasterWeightShapes,
  patchChannels,
  resolveForecasterConfig,
} from './forecaster-config.js';
import { fromPatches, patchesTimeMajor, toPatches } from './patch-reshape.js';

const NAME = 'ConvLstmForecaster';

/** The decoding state: `[h₀, c₀, h₁, c₁, …]`, layer after layer, each `[B, H/p, W/p, hiddenChannels[l]]`. */
export type ForecasterState = tf.Tensor[];

/** What `loss` reads from the trainer's `LossContext`. */
export type ForecasterLossContext = {
  /** A training step (scheduled sampling applies) or not (validation). Default false. */
  training?: boolean;
  /** The trainer's seeded generator: scheduled-sampling draws (saved in its checkpoints). */
  rng?: Rng;
  /** With `scheduledSampling`: probability of feeding a rolled-out position the true frame (default 0). */
  teacherForcingRatio?: number;
};

/** What {@link ConvLstmForecaster.loss} returns for one batch (sequences are independent: no state is carried). */
export type ForecasterLossResult = {
  /** Mean squared error per pixel over every predicted frame (frames 1 … T−1 of each sequence). */
  loss: tf.Scalar;
  /** Frames predicted: `B · (T − 1)`. */
  tokens: number;
};

/** Options of {@link ConvLstmForecaster.forward}. */
export type ForecasterForwardOptions = {
  /** Also return every layer's per-step gates and state maps (the cells' trace; default false). */
  trace?: boolean;
};

/** What {@link ConvLstmForecaster.forward} returns. */
export type ForecasterForwardResult = {
  /** Prediction t is the model's next frame after reading frames 0 … t: `[B, T, H, W, C]`. */
  predictions: tf.Tensor5D;
  /**
   * With `trace: true`: per layer, `i f g o c h` per step as maps on the
   * patch grid, each `[B, T, H/patchSize, W/patchSize, hiddenChannels[l]]`.
   */
  trace?: Array<Record<string, tf.Tensor5D>>;
};

/**
 * The ConvLSTM encoder–forecaster of Shi et al. (2015), in the form OpenSTL
 * runs on Moving MNIST: frames go through a space-to-depth patch reshape, a
 * stack of ConvLSTM layers (`@seqgen/cells`' `ConvLSTM2DCell`) and a 1×1
 * convolution head (a sigmoid for pixels in [0, 1]) that predicts the next
 * frame. Trained (a `@seqgen/trainer` `TrainableModel`) to predict frame t+1
 * from frames ≤ t over the `contextFrames`, then autoregressively on its own
 * predictions for the rest of each sequence; rolled out with `predict`, or
 * frame by frame as a core `ContinuousSequenceModel` over flattened frames
 * `[B, H·W·C]` (`@seqgen/samplers`' `generateFrames`): each predicted frame
 * costs one step of every layer, the context is never re-read.
 */
export class ConvLstmForecaster implements ContinuousSequenceModel<ForecasterState> {
  /** The complete config, defaults filled: what `getConfig` returns and checkpoints store. */
  readonly config: Readonly<ConvLstmForecasterConfig>;
  /** Values per frame, `height · width · channels`: frames as `step` takes and returns them. */
  readonly frameSize: number;
  /** A mean-squared-error loss: the trainer reports its root. */
  readonly metrics = ['rmse'] as const;
  /** The stacked ConvLSTM layers, bottom first. */
  readonly layers: readonly ConvLSTM2D[];
  private readonly head: { kernel: tf.Variable; bias: tf.Variable };
  private disposed = false;

  /** Builds a model with fresh weights from `seed`; options are checked against `limits` before anything is allocated. */
  constructor(options: ConvLstmForecasterOptions, limits: Partial<ForecasterConfigLimits> = {}) {
    const c = resolveForecasterConfig(options, limits);
    this.config = Object.freeze({ ...c, hiddenChannels: Object.freeze([...c.hiddenChannels]) as number[] });
    this.frameSize = c.height * c.width * c.channels;
    let inputs = patchChannels(c);
    this.layers = c.hiddenChannels.map((units, l) => {
      const cell = new ConvLSTM2DCell({
        inputSize: inputs,
        units,
        kernelSize: c.kernelSize,
        forgetBias: c.forgetBias,
        seed: c.seed + 1 + l,
      });
      inputs = units;
      return new ConvLSTM2D(cell);
    });
    const kernel = glorotUniform(new Rng(c.seed), [inputs, patchChannels(c)]);
    this.head = { kernel: tf.variable(kernel, true), bias: tf.variable(tf.zeros([patchChannels(c)]), true) };
    kernel.dispose();
  }

  /** Rebuilds a model from `getConfig()` JSON (a ConfigError names a bad or unknown field). */
  static fromConfig(
    config: ModelConfig | ConvLstmForecasterConfig,
    limits: Partial<ForecasterConfigLimits> = {},
  ): ConvLstmForecaster {
    checkModelType(config, CONV_LSTM_FORECASTER_TYPE);
    return new ConvLstmForecaster(config as ConvLstmForecasterOptions, limits);
  }

  /** Every weight's name and shape for a config, computed without allocating (a bad config is the same ConfigError). */
  static weightShapes(
    config: ModelConfig | ConvLstmForecasterOptions,
    limits: Partial<ForecasterConfigLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, CONV_LSTM_FORECASTER_TYPE);
    return forecasterWeightShapes(resolveForecasterConfig(config as ConvLstmForecasterOptions, limits));
  }

  /**
   * Loads a checkpoint written by `save` (or by `@seqgen/trainer`) from any
   * source core's `loadCheckpoint` reads (a path, a URL, bytes): the config
   * and its weights' shapes are checked against each other and the limits
   * before anything is built; another model type is a CheckpointError.
   */
  static load(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedModel<ConvLstmForecaster>> {
    const limits = loadLimits(options);
    return loadModelOfType(source, options, {
      type: CONV_LSTM_FORECASTER_TYPE,
      build: (config) => ConvLstmForecaster.fromConfig(config, limits),
      weightShapes: (config) => ConvLstmForecaster.weightShapes(config, limits),
    });
  }

  /** Trainable weights: `layers.{l}/{kernel,recurrentKernel,bias}` (each layer's ConvLSTM cell), `head/kernel`, `head/bias`. */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    this.layers.forEach((layer, l) => {
      for (const [name, v] of Object.entries(layer.variables)) out[`layers.${l}/${name}`] = v;
    });
    out['head/kernel'] = this.head.kernel;
    out['head/bias'] = this.head.bias;
    return out;
  }

  getConfig(): ConvLstmForecasterConfig {
    return { ...this.config, hiddenChannels: [...this.config.hiddenChannels] };
  }

  /** Zero state for `batchSize` sequences (core's `ContinuousSequenceModel`); the model takes no condition. */
  initialState(batchSize: number, condition?: never): ForecasterState {
    this.assertLive();
    assertPositiveInteger('batchSize', batchSize);
    if (condition !== undefined) {
      throw new ConfigError('condition', `${NAME} is unconditioned: it continues the frames it is fed`);
    }
    const { height, width, patchSize: p } = this.config;
    return this.layers.flatMap((layer) => layer.cell.initialState(batchSize, height / p, width / p));
  }

  /**
   * One frame per row, flattened `[B, H·W·C]` (row-major over height, width,
   * channels), through every layer: the predicted next frame in the same
   * layout and the new state. O(1) in the frames before.
   */
  step(frames: tf.Tensor2D, state: ForecasterState): ContinuousStepResult<ForecasterState> {
    this.assertLive();
    const context = `${NAME}.step`;
    if (
      !(frames instanceof tf.Tensor) ||
      frames.rank !== 2 ||
      frames.dtype !== 'float32' ||
      frames.shape[1] !== this.frameSize
    ) {
      const actual =
        frames instanceof tf.Tensor ? `${frames.dtype} [${frames.shape.join(', ')}]` : describeValue(frames);
      throw new ShapeError('frames', `float32 [batch, ${this.frameSize}] (height · width · channels)`, actual, context);
    }
    const B = frames.shape[0];
    this.checkState(state, B, context);
    const { height: H, width: W, channels: C, patchSize: p } = this.config;
    return tf.tidy(() => {
      const x = toPatches(tf.reshape(frames, [B, H, W, C]) as tf.Tensor4D, p);
      const next = this.stepPatched(x, state);
      const frame = tf.reshape(fromPatches(next.frame, p), [B, this.frameSize]) as tf.Tensor2D;
      return { frame, state: next.state };
    });
  }

  /**
   * Reads `context` frames `[B, T, H, W, C]` (T ≥ 1) and predicts the next
   * `frames` frames `[B, frames, H, W, C]`, each fed back as the next input:
   * one step of every layer per predicted frame. The caller disposes the result.
   */
  predict(context: tf.Tensor5D, frames: number): tf.Tensor5D {
    this.assertLive();
    const where = `${NAME}.predict`;
    checkFramesTensor(context, 'context', this.config, 1, where);
    assertPositiveInteger('frames', frames);
    const [B] = context.shape;
    let { frame, state } = tf.tidy(() => {
      const read = this.readContext(this.patched(context), this.initialState(B));
      const top = read.output;
      const T = top.shape[1] as number;
      const last = tf.squeeze(tf.slice(top, [0, T - 1], [B, 1]), [1]) as tf.Tensor4D;
      return { frame: this.applyHead(last), state: read.state };
    });
    const outputs: tf.Tensor4D[] = [frame];
    try {
      for (let k = 1; k < frames; k++) {
        const next = tf.tidy(() => this.stepPatched(frame, state));
        tf.dispose(state);
        state = next.state;
        frame = next.frame;
        outputs.push(frame);
      }
      return tf.tidy(() => this.unpatched(tf.stack(outputs, 1) as tf.Tensor5D));
    } finally {
      tf.dispose([...outputs, ...state]);
    }
  }

  /**
   * Teacher-forced pass over known frames `[B, T, H, W, C]` (T ≥ 1): the
   * next-frame prediction after each frame, and with `trace: true` every
   * layer's gates and cell/hidden maps per step (`@seqgen/interpret` reads
   * them). Differentiable with respect to `frames` (saliency). The caller
   * disposes the result.
   */
  forward(frames: tf.Tensor5D, options: ForecasterForwardOptions = {}): ForecasterForwardResult {
    this.assertLive();
    checkFramesTensor(frames, 'frames', this.config, 1, `${NAME}.forward`);
    const [B] = frames.shape;
    return tf.tidy(() => {
      const read = this.readContext(this.patched(frames), this.initialState(B), options.trace === true);
      const result: ForecasterForwardResult = { predictions: this.unpatched(this.applyHead(read.output)) };
      if (read.trace) result.trace = read.trace;
      return result;
    });
  }

  /**
   * The trainer's loss: per-pixel mean squared error of the predictions of
   * frames 1 … T−1 of each sequence (as OpenSTL's ConvLSTM trains). Frames
   * 0 … `contextFrames`−1 are read as given; from there on the model is fed
   * its own predictions (gradients flow through them), or with
   * `scheduledSampling` the true frame with the trainer's teacher-forcing
   * ratio, one draw per sequence and frame from `context.rng`. Batches need
   * at least `contextFrames + 1` frames.
   */
  loss(batch: ForecastBatch, _state?: tf.Tensor[], context: ForecasterLossContext = {}): ForecasterLossResult {
    this.assertLive();
    const c = this.config;
    const frames = batchTensor(batch, c, c.contextFrames + 1, `${NAME}.loss`);
    const [B, T] = frames.shape;
    frames.dispose();
    const sampling = c.scheduledSampling && (context.training ?? false);
    const ratio = context.teacherForcingRatio ?? 0;
    const rng = context.rng ?? new Rng(c.seed + 7);
    const p = c.patchSize;
    const [h, w, D] = [c.height / p, c.width / p, patchChannels(c)];
    // The frames are data: patched and taken apart here in plain arrays, time-major [T, B, h, w, D],
    // because every taped tfjs op on them would keep a copy for a gradient nobody needs, and
    // tfjs-wasm's strided slices of [B, T, …] cost more than the ConvLSTM's native kernels.
    const S = B * h * w * D;
    const byTime = patchesTimeMajor(batch.data, batch.shape, p);
    const frameAt = (t: number) => byTime.subarray(t * S, (t + 1) * S);
    const Tc = c.contextFrames;
    /** Frames [t0, t1) batch-major, [B, t1 − t0, h, w, D]. */
    const batchMajor = (t0: number, t1: number) => {
      const out = new Float32Array((t1 - t0) * S);
      const one = S / B;
      for (let b = 0; b < B; b++)
        for (let t = t0; t < t1; t++)
          out.set(byTime.subarray(t * S + b * one, t * S + (b + 1) * one), (b * (t1 - t0) + t - t0) * one);
      return tf.tensor5d(out, [B, t1 - t0, h, w, D]);
    };
    const loss = tf.tidy(() => {
      const read = this.readContext(batchMajor(0, Tc), this.initialState(B));
      let sum = tf.sum(tf.squaredDifference(this.applyHead(read.output), batchMajor(1, Tc + 1)));
      let state = read.state;
      // The last context frame's prediction, from the top layer's final h (its last output).
      let previous = this.applyHead(state[state.length - 2] as tf.Tensor4D);
      const predictions: tf.Tensor[] = [];
      for (let t = Tc; t < T - 1; t++) {
        let input = previous;
        if (sampling) {
          const truth = tf.tensor4d(frameAt(t), [B, h, w, D]);
          const useTruth = Float32Array.from({ length: B }, () => (rng.float() < ratio ? 1 : 0));
          const mask = tf.tensor4d(useTruth, [B, 1, 1, 1]);
          input = tf.add(tf.mul(truth, mask), tf.mul(previous, tf.sub(1, mask))) as tf.Tensor4D;
        }
        const next = this.stepPatched(input, state);
        state = next.state;
        previous = next.frame;
        predictions.push(tf.expandDims(previous, 0));
      }
      if (predictions.length) {
        const targets = tf.tensor5d(byTime.subarray((Tc + 1) * S, T * S), [T - 1 - Tc, B, h, w, D]);
        sum = tf.add(sum, tf.sum(tf.squaredDifference(tf.concat(predictions, 0), targets)));
      }
      return tf.div(sum, (T - 1) * S) as tf.Scalar;
    });
    return { loss, tokens: B * (T - 1) };
  }

  /**
   * Saves config, preprocessors (e.g. a video codec), metadata and weights as a seqgen checkpoint: a folder or
   * `.seqgen` file path (Node), or `indexeddb://name` (browsers).
   */
  save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    return saveModel(path, this, options);
  }

  /** The checkpoint as the bytes of one `.seqgen` file (same contents as {@link save}); {@link ConvLstmForecaster.load} reads them. */
  toBytes(options: SaveModelOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    this.assertLive();
    return encodeModel(this, options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const layer of this.layers) layer.dispose();
    this.head.kernel.dispose();
    this.head.bias.dispose();
  }

  /** Frames `[B, T, H, W, C]` → patches `[B, T, H/p, W/p, p²C]` (inside the caller's tidy). */
  private patched(frames: tf.Tensor5D): tf.Tensor5D {
    const [B, T, H, W, C] = frames.shape;
    const p = this.config.patchSize;
    const x = toPatches(tf.reshape(frames, [B * T, H, W, C]) as tf.Tensor4D, p);
    return tf.reshape(x, [B, T, H / p, W / p, patchChannels(this.config)]) as tf.Tensor5D;
  }

  /** The inverse of {@link patched}. */
  private unpatched(patches: tf.Tensor5D): tf.Tensor5D {
    const [B, T, h, w, D] = patches.shape;
    const { patchSize: p, height, width, channels } = this.config;
    const x = fromPatches(tf.reshape(patches, [B * T, h, w, D]) as tf.Tensor4D, p);
    return tf.reshape(x, [B, T, height, width, channels]) as tf.Tensor5D;
  }

  /** Teacher-forced pass over known frames, layer after layer (whole-sequence layer kernels): the top layer's outputs and the state after. */
  private readContext(
    patches: tf.Tensor5D,
    state: ForecasterState,
    trace = false,
  ): { output: tf.Tensor5D; state: ForecasterState; trace?: Array<Record<string, tf.Tensor5D>> } {
    let x: tf.Tensor = patches;
    const next: tf.Tensor[] = [];
    const traces: Array<Record<string, tf.Tensor5D>> = [];
    this.layers.forEach((layer, l) => {
      const initialState = [state[2 * l] as tf.Tensor, state[2 * l + 1] as tf.Tensor];
      const out = layer.apply(x, trace ? { initialState, trace: true } : { initialState });
      next.push(...out.state);
      if (out.trace) traces.push(out.trace as Record<string, tf.Tensor5D>);
      x = out.output;
    });
    return trace ? { output: x as tf.Tensor5D, state: next, trace: traces } : { output: x as tf.Tensor5D, state: next };
  }

  /** One patched frame `[B, h, w, D]` through every layer and the head. */
  private stepPatched(x: tf.Tensor4D, state: ForecasterState): { frame: tf.Tensor4D; state: ForecasterState } {
    let input: tf.Tensor = x;
    const next: tf.Tensor[] = [];
    this.layers.forEach((layer, l) => {
      const r = layer.cell.step(input, [state[2 * l] as tf.Tensor, state[2 * l + 1] as tf.Tensor]);
      next.push(...r.state);
      input = r.output;
    });
    return { frame: this.applyHead(input as tf.Tensor4D), state: next };
  }

  /** The 1×1 convolution head (a matmul over channels) and its activation, on any leading shape. */
  private applyHead<T extends tf.Tensor>(hidden: T): T {
    const y = linear(hidden, this.head.kernel as tf.Tensor2D, this.head.bias as tf.Tensor1D);
    return (this.config.outputActivation === 'sigmoid' ? tf.sigmoid(y) : y) as T;
  }

  private checkState(state: unknown, batchSize: number, context: string): asserts state is ForecasterState {
    const n = 2 * this.layers.length;
    if (!Array.isArray(state) || state.length !== n) {
      const actual = Array.isArray(state) ? `${state.length} tensors` : describeValue(state);
      throw new ShapeError('state', `${n} tensors [h₀, c₀, …] (from initialState)`, actual, context);
    }
    const { height, width, patchSize: p } = this.config;
    state.forEach((s, i) => {
      const want = [batchSize, height / p, width / p, this.config.hiddenChannels[Math.floor(i / 2)] as number];
      if (!(s instanceof tf.Tensor) || !tf.util.arraysEqual(s.shape, want)) {
        const actual = s instanceof tf.Tensor ? `[${s.shape.join(', ')}]` : describeValue(s);
        throw new ShapeError(`state[${i}]`, `[${want.join(', ')}]`, actual, context);
      }
    });
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

/** A checkpoint's weights are bounded by core's `maxWeightBytes`; a caller who raised it may load a model that large. */
function loadLimits(options: LoadCheckpointOptions): Partial<ForecasterConfigLimits> {
  const maxWeightBytes = options.maxWeightBytes ?? DEFAULT_LIMITS.maxWeightBytes;
  return {
    maxParameters: Math.max(DEFAULT_FORECASTER_CONFIG_LIMITS.maxParameters, Math.floor(maxWeightBytes / 4)),
  };
}
