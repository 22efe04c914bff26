import { ConfigError } from '@seqgen/core';
import type { Image, ImageChannels } from './image.js';
import { assertImage } from './image.js';

// ITU-R BT.601 luma, as PIL's "L" mode and tf.image.rgbToGrayscale compute it.
const R = 0.299;
const G = 0.587;
const B = 0.114;

/**
 * Converts an image to `channels` channels: gray → RGB replicates, RGB → gray
 * takes BT.601 luma, alpha is dropped (or added as opaque). Returns the same
 * image when it already has that many channels.
 */
export function convertChannels(image: Image, channels: ImageChannels): Image {
  assertImage(image);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ConfigError('channels', `must be 1, 3 or 4, got ${String(channels)}`);
  }
  const from = image.channels;
  if (from === channels) return image;
  const pixels = image.width * image.height;
  const src = image.data;
  const out = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const s = p * from;
    let r: number;
    let g: number;
    let b: number;
    if (from === 1) {
      r = g = b = src[s] as number;
    } else {
      r = src[s] as number;
      g = src[s + 1] as number;
      b = src[s + 2] as number;
    }
    const o = p * channels;
    if (channels === 1) {
      out[o] = from === 1 ? r : Math.round(R * r + G * g + B * b);
    } else {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      if (channels === 4) out[o + 3] = from === 4 ? (src[s + 3] as number) : 255;
    }
  }
  return { width: image.width, height: image.height, channels, data: out };
}

/** The image as one gray channel (BT.601 luma; alpha dropped). */
export function toGrayscale(image: Image): Image {
  return convertChannels(image, 1);
}

/** The image as three RGB channels (gray replicated; alpha dropped). */
export function toRgb(image: Image): Image {
  return convertChannels(image, 3);
}
