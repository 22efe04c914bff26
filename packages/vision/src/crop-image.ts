import { assertNonNegativeInteger, assertPositiveInteger, ConfigError } from '@seqgen/core';
import type { Image } from './image.js';
import { assertImage } from './image.js';

/** A rectangle in pixels: its top-left corner and size. */
export type CropBox = {
  /** Column of the left edge (0-based). */
  left: number;
  /** Row of the top edge (0-based). */
  top: number;
  /** Width in pixels (≥ 1). */
  width: number;
  /** Height in pixels (≥ 1). */
  height: number;
};

/** Copies the `box` region out of an image; a box outside the image is a `ConfigError`. */
export function cropImage(image: Image, box: CropBox): Image {
  assertImage(image);
  assertNonNegativeInteger('box.left', box.left);
  assertNonNegativeInteger('box.top', box.top);
  assertPositiveInteger('box.width', box.width);
  assertPositiveInteger('box.height', box.height);
  if (box.left + box.width > image.width || box.top + box.height > image.height) {
    throw new ConfigError(
      'box',
      `${box.width}×${box.height} at (${box.left}, ${box.top}) reaches outside the ${image.width}×${image.height} image`,
    );
  }
  const { channels } = image;
  const out = new Uint8Array(box.width * box.height * channels);
  const rowBytes = box.width * channels;
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * image.width + box.left) * channels;
    out.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return { width: box.width, height: box.height, channels, data: out };
}

/** The largest centered square (or `width × height` box) of an image: the usual crop before resizing for a CNN. */
export function centerCrop(image: Image, width?: number, height?: number): Image {
  assertImage(image);
  const side = Math.min(image.width, image.height);
  const w = width ?? side;
  const h = height ?? side;
  return cropImage(image, {
    left: Math.floor((image.width - w) / 2),
    top: Math.floor((image.height - h) / 2),
    width: w,
    height: h,
  });
}
