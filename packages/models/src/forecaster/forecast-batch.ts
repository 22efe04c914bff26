import { describeValue, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Sequences of frames on the host, the layout of a `[B, T, H, W, C]` tensor:
 * what `ConvLstmForecaster.loss` trains on. `@seqgen/video`'s `FrameBatch`
 * and Moving MNIST batches have this shape already.
 */
export type ForecastBatch = {
  /** `[batch, frames, height, width, channels]`. */
  shape: readonly [number, number, number, number, number];
  /** The pixels, row-major over `shape` (in [0, 1] for a sigmoid head). */
  data: Float32Array;
};

/** What a batch's frames must look like for one model. */
export type FrameLayout = {
  /** Frame height in pixels. */
  height: number;
  /** Frame width in pixels. */
  width: number;
  /** Channels per pixel. */
  channels: number;
};

/** Checks a host batch against the model's frame layout and at least `minFrames` frames; returns its tensor (the caller disposes it). */
export function batchTensor(
  batch: ForecastBatch,
  layout: FrameLayout,
  minFrames: number,
  context: string,
): tf.Tensor5D {
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.shape)) {
    throw new ShapeError('batch', '{ shape: [B, T, H, W, C], data: Float32Array }', describeValue(batch), context);
  }
  const shape = batch.shape;
  if (shape.length !== 5 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError('batch.shape', '[B, T, H, W, C] of positive integers', describeValue(shape), context);
  }
  checkFrameShape(shape, layout, minFrames, 'batch.shape', context);
  if (!(batch.data instanceof Float32Array)) {
    throw new ShapeError('batch.data', 'a Float32Array', describeValue(batch.data), context);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (batch.data.length !== count) {
    throw new ShapeError(
      'batch.data',
      `${count} values for shape [${shape.join(', ')}]`,
      `${batch.data.length}`,
      context,
    );
  }
  return tf.tensor5d(batch.data, shape as [number, number, number, number, number], 'float32');
}

/** Checks a float32 frames tensor `[B, T, H, W, C]` against the model's frame layout. */
export function checkFramesTensor(
  frames: unknown,
  argument: string,
  layout: FrameLayout,
  minFrames: number,
  context: string,
): asserts frames is tf.Tensor5D {
  const want = `a float32 tf.Tensor [B, T, ${layout.height}, ${layout.width}, ${layout.channels}]`;
  if (!(frames instanceof tf.Tensor)) throw new ShapeError(argument, want, describeValue(frames), context);
  if (frames.rank !== 5 || frames.dtype !== 'float32') {
    throw new ShapeError(argument, want, `${frames.dtype} [${frames.shape.join(', ')}]`, context);
  }
  checkFrameShape(frames.shape, layout, minFrames, argument, context);
}

function checkFrameShape(
  shape: readonly number[],
  layout: FrameLayout,
  minFrames: number,
  argument: string,
  context: string,
): void {
  const [, T, H, W, C] = shape as [number, number, number, number, number];
  if (H !== layout.height || W !== layout.width || C !== layout.channels) {
    throw new ShapeError(
      argument,
      `frames of ${layout.height}×${layout.width}×${layout.channels} (the model's height × width × channels)`,
      `${H}×${W}×${C}`,
      context,
    );
  }
  if (T < minFrames) throw new ShapeError(argument, `at least ${minFrames} frames on axis 1`, `${T}`, context);
}
