import { assertPositiveInteger } from '@seqgen/core';
import type { Image } from './image.js';
import { assertImage } from './image.js';

/** One output pixel's contributing source pixels along an axis. */
type Taps = { start: Int32Array; count: Int32Array; weights: Float32Array; maxTaps: number };

/**
 * Triangle-filter weights along one axis (PIL's `Image.resize(BILINEAR)` and
 * `tf.image.resizeBilinear(antialias: true)` do the same): plain bilinear
 * when enlarging, and when shrinking the filter widens by the scale so that
 * every source pixel contributes (antialiasing) instead of aliasing.
 */
function axisTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support + 0.5));
    const hi = Math.min(inSize, Math.floor(center + support + 0.5));
    let total = 0;
    const n = Math.min(hi - lo, maxTaps);
    for (let k = 0; k < n; k++) {
      const w = Math.max(0, 1 - Math.abs((lo + k + 0.5 - center) / support));
      weights[o * maxTaps + k] = w;
      total += w;
    }
    for (let k = 0; k < n; k++) weights[o * maxTaps + k] = (weights[o * maxTaps + k] as number) / (total || 1);
    start[o] = lo;
    count[o] = n;
  }
  return { start, count, weights, maxTaps };
}

/**
 * Resizes an image to `width × height` with a bilinear (triangle) filter,
 * antialiased when shrinking. Channels are kept; values are rounded and
 * clamped to bytes.
 */
export function resizeImage(image: Image, width: number, height: number): Image {
  assertImage(image);
  assertPositiveInteger('width', width);
  assertPositiveInteger('height', height);
  const { channels } = image;
  if (width === image.width && height === image.height) {
    return { ...image, data: image.data.slice() };
  }
  // Horizontal pass into floats, then vertical pass into bytes (separable filter).
  const tx = axisTaps(image.width, width);
  const ty = axisTaps(image.height, height);
  const mid = new Float32Array(image.height * width * channels);
  const src = image.data;
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width * channels;
    for (let x = 0; x < width; x++) {
      const s = tx.start[x] as number;
      const n = tx.count[x] as number;
      const wBase = x * tx.maxTaps;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++)
          acc += (tx.weights[wBase + k] as number) * (src[row + (s + k) * channels + c] as number);
        mid[(y * width + x) * channels + c] = acc;
      }
    }
  }
  const out = new Uint8Array(width * height * channels);
  const stride = width * channels;
  for (let y = 0; y < height; y++) {
    const s = ty.start[y] as number;
    const n = ty.count[y] as number;
    const wBase = y * ty.maxTaps;
    for (let i = 0; i < stride; i++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += (ty.weights[wBase + k] as number) * (mid[(s + k) * stride + i] as number);
      out[y * stride + i] = Math.min(255, Math.max(0, Math.round(acc)));
    }
  }
  return { width, height, channels, data: out };
}
