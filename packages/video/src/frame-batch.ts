import { ShapeError } from '@seqgen/core';
import { normalizePixels, type PixelNormalization, tensorToImages } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { checkVideo, type Video } from './video.js';
import { frameImage, videoFromImages } from './video-frame-image.js';

/** Clips of equal size and length as one float array, the layout of a `[B, T, H, W, C]` tensor. */
export type FrameBatch = {
  /** `[batch, frames, height, width, channels]`. */
  shape: [number, number, number, number, number];
  /** The pixels as floats, row-major over `shape`. */
  data: Float32Array;
};

/**
 * Stacks clips into a {@link FrameBatch}, pixels scaled as `normalize` says
 * (`@seqgen/vision`'s `PixelNormalization`: `true`, the default, divides by
 * 255; `false` keeps 0–255; `{ mean, std }` standardizes per channel). Every
 * clip must have the first's frame count, size and channels (a ShapeError
 * naming the clip otherwise).
 */
export function clipsToBatch(clips: readonly Video[], options: { normalize?: PixelNormalization } = {}): FrameBatch {
  if (!Array.isArray(clips) || clips.length === 0) throw new ShapeError('clips', 'at least one clip', 'none');
  const first = clips[0] as Video;
  clips.forEach((c, b) => {
    checkVideo(c, `clips[${b}]`);
    if (
      c.frames.length !== first.frames.length ||
      c.width !== first.width ||
      c.height !== first.height ||
      c.channels !== first.channels
    )
      throw new ShapeError(
        `clips[${b}]`,
        `${first.frames.length} frames of ${first.height}×${first.width}×${first.channels} like clips[0]`,
        `${c.frames.length} frames of ${c.height}×${c.width}×${c.channels}`,
      );
  });
  if (first.frames.length === 0) throw new ShapeError('clips[0].frames', 'at least one frame', 'none');
  const per = first.width * first.height * first.channels;
  const data = new Float32Array(clips.length * first.frames.length * per);
  let offset = 0;
  for (const c of clips) {
    for (let t = 0; t < c.frames.length; t++) {
      normalizePixels(frameImage(c, t), options.normalize ?? true, data, offset);
      offset += per;
    }
  }
  return { shape: [clips.length, first.frames.length, first.height, first.width, first.channels], data };
}

/** The batch as a float32 `[B, T, H, W, C]` tensor (the caller disposes it). */
export function batchToTensor(batch: FrameBatch): tf.Tensor5D {
  const count = batch.shape.reduce((a, b) => a * b, 1);
  if (batch.data.length !== count)
    throw new ShapeError('batch.data', `${count} floats for shape [${batch.shape.join(', ')}]`, `${batch.data.length}`);
  return tf.tensor5d(batch.data, batch.shape, 'float32');
}

/**
 * A `[B, T, H, W, C]` (or `[T, H, W, C]`) tensor of values in [0, 1] (or
 * 0–255 with `scale: 255`) back to 8-bit videos, one per batch entry, clamped:
 * predicted frames to write as GIFs or PNG folders. C must be 1, 3 or 4.
 */
export function tensorToVideos(tensor: tf.Tensor, options: { scale?: number } = {}): Video[] {
  if (tensor.rank !== 4 && tensor.rank !== 5)
    throw new ShapeError('tensor', '[B, T, H, W, C] or [T, H, W, C]', `[${tensor.shape.join(', ')}]`);
  const [B, T, H, W, C] = (tensor.rank === 4 ? [1, ...tensor.shape] : tensor.shape) as number[] as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (T === 0 || B === 0)
    throw new ShapeError('tensor', 'at least one clip of one frame', `[${tensor.shape.join(', ')}]`);
  const frames = tf.reshape(tensor, [B * T, H, W, C]);
  const images = tensorToImages(frames, options);
  frames.dispose();
  return Array.from({ length: B }, (_, b) => videoFromImages(images.slice(b * T, (b + 1) * T)));
}
