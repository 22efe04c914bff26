import { ShapeError } from '@seqgen/core';
import type { Image, ImageChannels } from './image.js';

/**
 * Same-sized 8-bit images with integer labels, stored compactly: image `i`
 * is `pixels[i·H·W·C … (i+1)·H·W·C)` in HWC order and `labels[i]` its class.
 */
export type LabeledImages = {
  /** Number of images. */
  count: number;
  /** Width of every image. */
  width: number;
  /** Height of every image. */
  height: number;
  /** Channels of every image. */
  channels: ImageChannels;
  /** All pixels, image after image (HWC). */
  pixels: Uint8Array;
  /** One class index per image. */
  labels: Int32Array;
  /** Class names by index, when known. */
  classNames?: readonly string[];
};

/** Image `index` of a set, as an {@link Image} viewing the set's pixels (no copy). */
export function imageAt(set: LabeledImages, index: number): Image {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new ShapeError('index', `an integer in [0, ${set.count})`, String(index));
  }
  const size = set.width * set.height * set.channels;
  return {
    width: set.width,
    height: set.height,
    channels: set.channels,
    data: set.pixels.subarray(index * size, (index + 1) * size),
  };
}

/** The first `count` images of a set (or a range), sharing its pixels. */
export function sliceImages(set: LabeledImages, start: number, end = set.count): LabeledImages {
  const s = Math.max(0, Math.min(start, set.count));
  const e = Math.max(s, Math.min(end, set.count));
  const size = set.width * set.height * set.channels;
  return {
    ...set,
    count: e - s,
    pixels: set.pixels.subarray(s * size, e * size),
    labels: set.labels.subarray(s, e),
  };
}
