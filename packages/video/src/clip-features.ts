import { assertPositiveInteger, ConfigError, ShapeError } from '@seqgen/core';
import type { ConvEncoder } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link clipFeatures}. */
export type ClipFeatureOptions = {
  /**
   * Side of the coarse grid of where the encoder fires: its feature map,
   * averaged over channels, pooled to `grid × grid` (default 8; 0 leaves it
   * out and keeps only the pooled descriptor).
   */
  grid?: number;
  /** Frames encoded per call (default 64): bounds the memory of long clips. */
  chunk?: number;
  /** Resize frames (bilinear) to `[height, width]` before encoding: a quarter of the pixels is a quarter of the work. */
  resize?: readonly [number, number];
};

/**
 * Per-frame features of clips `[B, T, H, W, C]` from an image encoder (e.g.
 * `@seqgen/vision`'s pretrained Fashion-MNIST CNN): for each frame the
 * encoder's global-average descriptor (what is there, D values) followed by
 * a `grid × grid` map of its mean activation (where it is), `[B, T, D + grid²]`.
 * The encoder's weights are used at the frames' own size (its convolutions
 * do not depend on it) and are not changed; the caller disposes the result.
 */
export function clipFeatures(encoder: ConvEncoder, clips: tf.Tensor5D, options: ClipFeatureOptions = {}): tf.Tensor3D {
  const grid = options.grid ?? 8;
  const chunk = options.chunk ?? 64;
  if (!Number.isInteger(grid) || grid < 0) throw new ConfigError('grid', `must be a non-negative integer, got ${grid}`);
  assertPositiveInteger('chunk', chunk);
  if (!(clips instanceof tf.Tensor) || clips.rank !== 5 || clips.size === 0) {
    const actual = clips instanceof tf.Tensor ? `[${clips.shape.join(', ')}]` : String(clips);
    throw new ShapeError('clips', 'a non-empty tf.Tensor [B, T, H, W, C]', actual, 'clipFeatures');
  }
  const [B, T, H0, W0, C] = clips.shape;
  const [H, W] = options.resize ?? [H0, W0];
  assertPositiveInteger('resize[0]', H);
  assertPositiveInteger('resize[1]', W);
  const sized = encoderForSize(encoder, H, W, C);
  const [h, w] = sized.outputShape;
  if (grid > 0 && (h % grid !== 0 || w % grid !== 0)) {
    throw new ConfigError(
      'grid',
      `must divide the encoder's ${h}×${w} feature map of ${H}×${W} (resized) frames, got ${grid}`,
    );
  }
  const frames = tf.tidy(() => {
    const flat = tf.reshape(clips, [B * T, H0, W0, C]) as tf.Tensor4D;
    return H === H0 && W === W0 ? flat : tf.image.resizeBilinear(flat, [H, W], true);
  });
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < B * T; start += chunk) {
      parts.push(
        tf.tidy(() => {
          const size = Math.min(chunk, B * T - start);
          const map = sized.featureMap(tf.slice(frames, [start, 0, 0, 0], [size, H, W, C]) as tf.Tensor4D);
          const pooled = tf.mean(map, [1, 2]) as tf.Tensor2D;
          if (grid === 0) return pooled;
          const where = tf.avgPool(
            tf.mean(map, 3, true) as tf.Tensor4D,
            [h / grid, w / grid],
            [h / grid, w / grid],
            'valid',
          );
          return tf.concat([pooled, tf.reshape(where, [size, grid * grid])], 1) as tf.Tensor2D;
        }),
      );
    }
    return tf.tidy(() => tf.reshape(tf.concat(parts, 0), [B, T, -1]) as tf.Tensor3D);
  } finally {
    tf.dispose([frames, ...parts]);
  }
}

/** The encoder itself when it was built for this size, else a view of its weights for frames of `H × W × C`. */
function encoderForSize(encoder: ConvEncoder, H: number, W: number, C: number): ConvEncoder {
  const c = encoder.config;
  if (C !== c.inputChannels) {
    throw new ShapeError(
      'clips',
      `frames of ${c.inputChannels} channel(s) (the encoder's input)`,
      `${C}`,
      'clipFeatures',
    );
  }
  if (c.inputHeight === H && c.inputWidth === W) return encoder;
  // The same encoder seen with another input size: its convolutions do not depend on it, nothing is allocated.
  const config = { ...c, inputHeight: H, inputWidth: W };
  return Object.create(encoder, { config: { value: config } }) as ConvEncoder;
}
