import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { Image, ImageChannels } from './image.js';
import { assertImage } from './image.js';

/** Per-channel statistics to subtract and divide by, after pixels are scaled to [0, 1]. */
export type ChannelStats = {
  /** One mean per channel (or one for all). */
  mean: readonly number[];
  /** One standard deviation per channel (or one for all), each > 0. */
  std: readonly number[];
};

/**
 * How bytes become floats: `true` (default) scales to [0, 1]; `false` keeps
 * 0–255; {@link ChannelStats} scales to [0, 1] then standardizes per channel.
 */
export type PixelNormalization = boolean | ChannelStats;

/** Options of {@link imagesToTensor}. */
export type ImagesToTensorOptions = {
  /** Pixel scaling; default `true` (divide by 255). */
  normalize?: PixelNormalization;
};

function channelValue(values: readonly number[], c: number, field: string, channels: number): number {
  if (values.length !== 1 && values.length !== channels) {
    throw new ConfigError(field, `must have 1 or ${channels} values (one per channel), got ${values.length}`);
  }
  const v = values.length === 1 ? values[0] : values[c];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(field, `value ${c} must be a finite number`);
  return v;
}

/**
 * Writes an image's pixels as floats into `out` at `offset`, scaled as
 * `normalize` says (see {@link PixelNormalization}); returns `out`.
 */
export function normalizePixels(
  image: Image,
  normalize: PixelNormalization = true,
  out: Float32Array = new Float32Array(image.data.length),
  offset = 0,
): Float32Array {
  assertImage(image);
  const { channels, data } = image;
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    if (normalize === false) {
      scale[c] = 1;
    } else if (normalize === true) {
      scale[c] = 1 / 255;
    } else {
      const mean = channelValue(normalize.mean, c, 'normalize.mean', channels);
      const std = channelValue(normalize.std, c, 'normalize.std', channels);
      if (!(std > 0)) throw new ConfigError('normalize.std', `must be > 0, got ${std}`);
      scale[c] = 1 / (255 * std);
      shift[c] = -mean / std;
    }
  }
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    out[offset + i] = (data[i] as number) * (scale[c] as number) + (shift[c] as number);
  }
  return out;
}

/**
 * Stacks same-sized images into one float32 tensor `[B, H, W, C]`, scaled as
 * `normalize` says. Images of different sizes or channel counts are a
 * `ShapeError` (resize and convert them first).
 */
export function imagesToTensor(images: readonly Image[], options: ImagesToTensorOptions = {}): tf.Tensor4D {
  if (!Array.isArray(images) || images.length === 0) {
    throw new ShapeError('images', 'a non-empty array of images', Array.isArray(images) ? '[]' : typeof images);
  }
  const first = images[0] as Image;
  assertImage(first, 'images[0]');
  const { width, height, channels } = first;
  const size = width * height * channels;
  const values = new Float32Array(images.length * size);
  images.forEach((image, i) => {
    assertImage(image, `images[${i}]`);
    if (image.width !== width || image.height !== height || image.channels !== channels) {
      throw new ShapeError(
        `images[${i}]`,
        `${height}×${width}×${channels} like images[0]`,
        `${image.height}×${image.width}×${image.channels}`,
      );
    }
    normalizePixels(image, options.normalize ?? true, values, i * size);
  });
  return tf.tensor4d(values, [images.length, height, width, channels]);
}

/**
 * Turns a `[H, W, C]` or `[B, H, W, C]` tensor of values in [0, 1] (or 0–255
 * with `scale: 255`) back into 8-bit images, clamping; for saving outputs as
 * PNG. C must be 1, 3 or 4.
 */
export function tensorToImages(tensor: tf.Tensor, options: { scale?: number } = {}): Image[] {
  const rank = tensor.rank;
  if (rank !== 3 && rank !== 4)
    throw new ShapeError('tensor', '[H, W, C] or [B, H, W, C]', `[${tensor.shape.join(', ')}]`);
  const [b, h, w, c] = (rank === 3 ? [1, ...tensor.shape] : tensor.shape) as [number, number, number, number];
  if (c !== 1 && c !== 3 && c !== 4) throw new ShapeError('tensor', 'last dimension 1, 3 or 4', String(c));
  const scale = options.scale ?? 255;
  const values = tensor.dataSync();
  const size = h * w * c;
  const images: Image[] = [];
  for (let i = 0; i < b; i++) {
    const data = new Uint8Array(size);
    for (let j = 0; j < size; j++) {
      data[j] = Math.min(255, Math.max(0, Math.round((values[i * size + j] as number) * scale)));
    }
    images.push({ width: w, height: h, channels: c as ImageChannels, data });
  }
  return images;
}
