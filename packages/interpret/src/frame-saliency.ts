import { assertPositiveInteger, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { completenessGap, gradientTimesInputOf, integrateAlongPath, perStep } from './path-integral.js';
import { framesTensor, type TraceableForecaster } from './trace-forecaster.js';

/** Which prediction to explain: the (weighted) mean of the frame predicted after reading frames 0 … `position`. */
export type FrameTarget = {
  /** The last frame read (0-based): its next-frame prediction is explained. */
  position: number;
  /** Optional weight per value of the predicted frame (`frameSize`, e.g. 1 on a region of interest); default all 1. */
  pixels?: ArrayLike<number>;
};

/** Per-frame (and per-pixel) attributions of one prediction. */
export type FrameAttributions = {
  /** One attribution per input frame (summed over its pixels); zero after `position`, which the prediction cannot see. */
  attributions: Float32Array;
  /** Per input frame, one attribution per value (`frameSize`): where in the frame it came from. */
  pixelAttributions: Float32Array[];
  /** The explained value f(x): the weighted mean of the predicted frame. */
  output: number;
  /** The prediction explained. */
  position: number;
};

/** {@link FrameAttributions} of integrated gradients, with the baseline's output and the completeness gap. */
export type FrameIntegratedGradients = FrameAttributions & {
  /** f(baseline): the same prediction after black (all-zero) frames. */
  baselineOutput: number;
  /** Σ attributions − (f(x) − f(baseline)): near zero when `steps` is large enough. */
  completenessGap: number;
};

/** Options of {@link frameIntegratedGradients}. */
export type FrameIntegratedGradientsOptions = {
  /** Points on the straight path from black frames to the input (midpoint rule; default 32). */
  steps?: number;
};

/**
 * Gradient × input of a forecaster's prediction (`ConvLstmForecaster`): for
 * each input pixel, the gradient of the target's weighted mean with respect
 * to it, times the pixel. One forward and one backward pass.
 */
export function frameGradientTimesInput(
  model: TraceableForecaster,
  frames: readonly ArrayLike<number>[],
  target: FrameTarget,
): FrameAttributions {
  const context = 'frameGradientTimesInput';
  const input = framesTensor(model, frames, context);
  try {
    const objective = frameObjective(model, frames.length, target, context);
    return tf.tidy(() => {
      const { attributions, output } = gradientTimesInputOf(objective, input);
      return { ...split(attributions, frames.length), output, position: target.position };
    });
  } finally {
    input.dispose();
  }
}

/**
 * Integrated gradients (Sundararajan et al. 2017) of a forecaster's
 * prediction over its input frames, from black frames: per pixel and per
 * frame; the attributions sum to f(x) − f(black) up to `completenessGap`.
 */
export function frameIntegratedGradients(
  model: TraceableForecaster,
  frames: readonly ArrayLike<number>[],
  target: FrameTarget,
  options: FrameIntegratedGradientsOptions = {},
): FrameIntegratedGradients {
  const context = 'frameIntegratedGradients';
  const steps = options.steps ?? 32;
  assertPositiveInteger('steps', steps);
  const input = framesTensor(model, frames, context);
  try {
    const objective = frameObjective(model, frames.length, target, context);
    return tf.tidy(() => {
      const path = integrateAlongPath(objective, input, tf.zerosLike(input), steps);
      const parts = split(path.attributions, frames.length);
      return {
        ...parts,
        output: path.output,
        baselineOutput: path.baselineOutput,
        completenessGap: completenessGap(parts.attributions, path.output, path.baselineOutput),
        position: target.position,
      };
    });
  } finally {
    input.dispose();
  }
}

/** Σ over the batch of the weighted mean of prediction `position`. */
function frameObjective(
  model: TraceableForecaster,
  T: number,
  target: FrameTarget,
  context: string,
): (x: tf.Tensor) => tf.Scalar {
  const position = target?.position;
  if (!Number.isInteger(position) || position < 0 || position >= T) {
    throw new ShapeError('target.position', `an integer in [0, ${T})`, String(position), context);
  }
  const F = model.frameSize;
  let weights: Float32Array | undefined;
  if (target.pixels !== undefined) {
    if (target.pixels?.length !== F) {
      throw new ShapeError('target.pixels', `${F} weights (one per frame value)`, `${target.pixels?.length}`, context);
    }
    weights = Float32Array.from(target.pixels);
    const total = weights.reduce((a, b) => a + b, 0);
    if (!Number.isFinite(total) || total <= 0) {
      throw new ShapeError('target.pixels', 'finite weights with a positive sum', String(total), context);
    }
    weights = weights.map((w) => w / total);
  }
  return (x: tf.Tensor) => {
    const batch = x.shape[0] as number;
    // Only frames 0 … position reach prediction `position`: run just those.
    const seen = tf.slice(x, [0, 0], [batch, position + 1]) as tf.Tensor5D;
    const predicted = tf.slice(model.forward(seen).predictions, [0, position], [batch, 1]);
    const flat = tf.reshape(predicted, [batch, F]);
    const value = weights ? tf.sum(tf.mul(flat, tf.tensor1d(weights))) : tf.div(tf.sum(flat), F);
    return value as tf.Scalar;
  };
}

function split(attributions: tf.Tensor, T: number): { attributions: Float32Array; pixelAttributions: Float32Array[] } {
  const all = attributions.dataSync() as Float32Array;
  const F = all.length / T;
  return {
    attributions: perStep(attributions),
    pixelAttributions: Array.from({ length: T }, (_, t) => all.slice(t * F, (t + 1) * F)),
  };
}
