import { ShapeError } from '@seqgen/core';

/** Channels an {@link Image} may have: gray, RGB or RGBA. */
export type ImageChannels = 1 | 3 | 4;

/**
 * A decoded 8-bit image: `data` holds `height × width × channels` bytes, row
 * by row, channels interleaved (HWC, the layout of a tfjs `[H, W, C]` tensor).
 */
export type Image = {
  /** Width in pixels (≥ 1). */
  width: number;
  /** Height in pixels (≥ 1). */
  height: number;
  /** 1 (gray), 3 (RGB) or 4 (RGBA). */
  channels: ImageChannels;
  /** `height × width × channels` bytes, HWC order. */
  data: Uint8Array;
};

/** Throws a `ShapeError` naming `argument` unless `image` is a well-formed {@link Image}. */
export function assertImage(image: Image, argument = 'image'): void {
  if (typeof image !== 'object' || image === null) {
    throw new ShapeError(argument, 'an image {width, height, channels, data}', String(image));
  }
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new ShapeError(`${argument}.width/height`, 'positive integers', `${width}×${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ShapeError(`${argument}.channels`, '1, 3 or 4', String(channels));
  }
  if (!(data instanceof Uint8Array)) {
    throw new ShapeError(`${argument}.data`, 'a Uint8Array', Object.prototype.toString.call(data));
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new ShapeError(`${argument}.data`, `${expected} bytes (${height}×${width}×${channels})`, `${data.length}`);
  }
}
