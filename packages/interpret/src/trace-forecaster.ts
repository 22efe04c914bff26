import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { LayerTrace, StepTrace, TraceOption } from './sequence-trace.js';

/**
 * What tracing needs of a video forecaster (`@seqgen/models`'
 * `ConvLstmForecaster`): its frame layout and a teacher-forced
 * `forward(frames, { trace: true })` returning per-layer state maps.
 */
export type TraceableForecaster = {
  /** Values per frame, `height · width · channels`. */
  readonly frameSize: number;
  /** The frame layout. */
  readonly config: ForecasterFrameLayout;
  /** Teacher-forced pass over frames `[B, T, H, W, C]`: next-frame predictions and, when asked, the trace. */
  forward(frames: tf.Tensor5D, options?: TraceOption): TracedFrames;
};

/** What tracing reads of a forecaster's config. */
export type ForecasterFrameLayout = {
  /** Frame height in pixels. */
  readonly height: number;
  /** Frame width in pixels. */
  readonly width: number;
  /** Channels per pixel. */
  readonly channels: number;
};

/** What tracing reads of a forecaster's `forward`. */
export type TracedFrames = {
  /** Prediction t: the next frame after reading frames 0 … t, `[B, T, H, W, C]`. */
  predictions: tf.Tensor5D;
  /** With `trace: true`: per layer, each traced quantity as maps `[B, T, h, w, channels]`. */
  trace?: Array<Record<string, tf.Tensor>>;
};

/** One traced quantity of one ConvLSTM layer as maps over the layer's grid, per step. */
export type TracedMaps = {
  /** Grid rows (the frame's height over the patch size). */
  height: number;
  /** Grid columns. */
  width: number;
  /** Channels (the layer's hidden channels). */
  channels: number;
  /** `steps × height × width × channels` values, row-major. */
  values: Float32Array;
};

/**
 * A video forecaster's internals per frame read: `layers` holds each gate and
 * state's **per-channel spatial mean** (a unit = a channel, so neuron search,
 * the explorer and PNG strips work on it as on text), `maps` the full cell
 * and hidden maps.
 */
export type FrameSequenceTrace = StepTrace & {
  /** Per layer: `c` and `h` as maps over the layer's grid. */
  maps: Array<Record<'c' | 'h', TracedMaps>>;
  /** Prediction t (`frameSize` values): the next frame after reading frames 0 … t. */
  predictions: Float32Array[];
  /** Mean squared error of prediction t against frame t + 1 (`steps − 1` entries). */
  predictionErrors: Float32Array;
};

/**
 * Runs a ConvLSTM forecaster teacher-forced over `frames` (each `frameSize`
 * values, row-major over height, width, channels) once with its cells'
 * tracing on. A model that returns no trace is a ConfigError; no frames or
 * frames of the wrong size a ShapeError.
 */
export function traceForecaster(model: TraceableForecaster, frames: readonly ArrayLike<number>[]): FrameSequenceTrace {
  const context = 'traceForecaster';
  const input = framesTensor(model, frames, context);
  try {
    return tf.tidy(() => {
      const out = model.forward(input, { trace: true });
      if (!Array.isArray(out.trace) || out.trace.length === 0) {
        throw new ConfigError(
          'model',
          'returned no trace from forward(frames, { trace: true }): it does not pass tracing through to its ConvLSTM layers',
        );
      }
      const T = frames.length;
      const layers: LayerTrace[] = [];
      const maps: Array<Record<'c' | 'h', TracedMaps>> = [];
      for (const layer of out.trace) {
        const quantities: LayerTrace['quantities'] = {};
        for (const [name, t] of Object.entries(layer)) {
          const size = t.shape[t.shape.length - 1] as number;
          // [1, T, h, w, ch] → per step and channel, the mean over the grid.
          quantities[name] = { size, values: tf.mean(tf.reshape(t, [T, -1, size]), 1).dataSync() as Float32Array };
        }
        const mapOf = (name: 'c' | 'h'): TracedMaps => {
          const t = layer[name] as tf.Tensor;
          const [, , height, width, channels] = t.shape as number[];
          return {
            height: height as number,
            width: width as number,
            channels: channels as number,
            values: t.dataSync() as Float32Array,
          };
        };
        layers.push({ cell: 'conv-lstm', quantities });
        maps.push({ c: mapOf('c'), h: mapOf('h') });
      }
      const F = model.frameSize;
      const predicted = out.predictions.dataSync() as Float32Array;
      const predictions = Array.from({ length: T }, (_, t) => predicted.slice(t * F, (t + 1) * F));
      const predictionErrors = new Float32Array(T - 1);
      for (let t = 0; t + 1 < T; t++) {
        const next = frames[t + 1] as ArrayLike<number>;
        let sum = 0;
        for (let k = 0; k < F; k++) sum += ((predicted[t * F + k] as number) - (next[k] as number)) ** 2;
        predictionErrors[t] = sum / F;
      }
      return { steps: T, layers, maps, predictions, predictionErrors };
    });
  } finally {
    input.dispose();
  }
}

/** Checks host frames against the model's layout and makes the batch-of-one tensor `[1, T, H, W, C]`. */
export function framesTensor(
  model: TraceableForecaster,
  frames: readonly ArrayLike<number>[],
  context: string,
): tf.Tensor5D {
  if (typeof model?.forward !== 'function' || typeof model.frameSize !== 'number') {
    throw new ConfigError(
      'model',
      'has no forward(frames, options) and frameSize: it is not a seqgen frame forecaster',
    );
  }
  if (!Array.isArray(frames) || frames.length === 0) {
    throw new ShapeError('frames', 'at least one frame', Array.isArray(frames) ? 'none' : typeof frames, context);
  }
  const F = model.frameSize;
  const flat = new Float32Array(frames.length * F);
  frames.forEach((frame, t) => {
    if (frame?.length !== F) {
      throw new ShapeError(`frames[${t}]`, `${F} values (height · width · channels)`, `${frame?.length}`, context);
    }
    for (let k = 0; k < F; k++) {
      const v = frame[k] as number;
      if (!Number.isFinite(v)) throw new ShapeError(`frames[${t}][${k}]`, 'a finite number', String(v), context);
      flat[t * F + k] = v;
    }
  });
  const { height, width, channels } = model.config;
  return tf.tensor5d(flat, [1, frames.length, height, width, channels]);
}
