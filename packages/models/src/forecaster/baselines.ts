import { assertPositiveInteger, ConfigError, describeValue, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link linearExtrapolation}. */
export type ExtrapolationOptions = {
  /** Clip the extrapolated pixels to `[min, max]` (default `[0, 1]`); null leaves them unbounded. */
  clip?: readonly [number, number] | null;
};

/**
 * The copy-last-frame baseline: the last of the `context` frames
 * `[B, T, H, W, C]` repeated `frames` times, `[B, frames, H, W, C]`. A
 * forecaster that cannot beat it has learned no motion.
 */
export function copyLastFrame(context: tf.Tensor5D, frames: number): tf.Tensor5D {
  checkContext(context, 1, 'copyLastFrame');
  assertPositiveInteger('frames', frames);
  return tf.tidy(() => {
    const [B, T, H, W, C] = context.shape;
    const last = tf.slice(context, [0, T - 1], [B, 1, H, W, C]);
    return tf.tile(last, [1, frames, 1, 1, 1]) as tf.Tensor5D;
  });
}

/**
 * The linear-extrapolation baseline: each pixel continues the change between
 * the last two context frames, frame k (1-based) = last + k·(last − previous),
 * clipped to `clip`. `context` is `[B, T, H, W, C]` with T ≥ 2.
 */
export function linearExtrapolation(
  context: tf.Tensor5D,
  frames: number,
  options: ExtrapolationOptions = {},
): tf.Tensor5D {
  checkContext(context, 2, 'linearExtrapolation');
  assertPositiveInteger('frames', frames);
  const clip = options.clip === undefined ? ([0, 1] as const) : options.clip;
  if (clip !== null && !(Array.isArray(clip) && clip.length === 2 && clip[0] <= clip[1])) {
    throw new ConfigError('clip', `must be [min, max] with min ≤ max, or null, got ${describeValue(clip)}`);
  }
  return tf.tidy(() => {
    const [B, T, H, W, C] = context.shape;
    const last = tf.slice(context, [0, T - 1], [B, 1, H, W, C]);
    const change = tf.sub(last, tf.slice(context, [0, T - 2], [B, 1, H, W, C]));
    const steps = tf.reshape(tf.range(1, frames + 1, 1, 'float32'), [1, frames, 1, 1, 1]);
    const out = tf.add(last, tf.mul(change, steps));
    return (clip === null ? out : tf.clipByValue(out, clip[0] as number, clip[1] as number)) as tf.Tensor5D;
  });
}

function checkContext(context: unknown, minFrames: number, where: string): asserts context is tf.Tensor5D {
  const want = `a float32 tf.Tensor [B, T, H, W, C] with T ≥ ${minFrames}`;
  if (!(context instanceof tf.Tensor)) throw new ShapeError('context', want, describeValue(context), where);
  if (
    context.rank !== 5 ||
    context.dtype !== 'float32' ||
    (context.shape[1] as number) < minFrames ||
    context.size === 0
  ) {
    throw new ShapeError('context', want, `${context.dtype} [${context.shape.join(', ')}]`, where);
  }
}
