import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { centerCrop, cropImage } from './crop-image.js';
import type { Image } from './image.js';
import { imagesToTensor, tensorToImages } from './images-to-tensor.js';
import { resizeImage } from './resize-image.js';

beforeAll(async () => {
  await initBackend();
});

const ramp = (w: number, h: number, c: 1 | 3 = 1): Image => ({
  width: w,
  height: h,
  channels: c,
  data: Uint8Array.from({ length: w * h * c }, (_, i) => (i * 13) % 256),
});

describe('resizeImage', () => {
  it('enlarges exactly like tf.image.resizeBilinear with half-pixel centers', () => {
    const image = ramp(3, 2, 3);
    const ours = resizeImage(image, 7, 5);
    const theirs = tf.tidy(() =>
      tf.image
        .resizeBilinear(tf.tensor3d(image.data, [2, 3, 3], 'float32'), [5, 7], false, true)
        .round()
        .dataSync(),
    );
    for (let i = 0; i < ours.data.length; i++)
      expect(Math.abs((ours.data[i] as number) - (theirs[i] as number))).toBeLessThanOrEqual(1);
  });

  it('antialiases when shrinking: every source pixel counts (triangle filter widened by the scale)', () => {
    // 4 → 2: output 0 = (0.75·a + 0.75·b + 0.25·c) / 1.75 over a row [a, b, c, d].
    const row: Image = { width: 4, height: 1, channels: 1, data: Uint8Array.from([0, 100, 200, 40]) };
    const out = resizeImage(row, 2, 1);
    expect(out.data[0]).toBe(Math.round((0.75 * 0 + 0.75 * 100 + 0.25 * 200) / 1.75));
    expect(out.data[1]).toBe(Math.round((0.25 * 100 + 0.75 * 200 + 0.75 * 40) / 1.75));
    // A one-pixel checkerboard shrunk by 4 becomes flat gray instead of aliasing to black or white.
    const checker: Image = {
      width: 16,
      height: 16,
      channels: 1,
      data: Uint8Array.from({ length: 256 }, (_, i) => (((i >> 4) + i) % 2 ? 255 : 0)),
    };
    for (const v of resizeImage(checker, 4, 4).data) expect(Math.abs(v - 127.5)).toBeLessThan(20);
  });

  it('keeps a constant image constant and checks sizes', () => {
    const flat: Image = { width: 9, height: 7, channels: 1, data: new Uint8Array(63).fill(77) };
    expect(new Set(resizeImage(flat, 4, 3).data)).toEqual(new Set([77]));
    expect(thrown(() => resizeImage(flat, 0, 3), ConfigError).field).toBe('width');
  });
});

describe('cropImage', () => {
  it('copies the box and refuses boxes outside the image', () => {
    const image = ramp(4, 3);
    const crop = cropImage(image, { left: 1, top: 1, width: 2, height: 2 });
    expect([...crop.data]).toEqual([image.data[5], image.data[6], image.data[9], image.data[10]]);
    expect(centerCrop(image)).toMatchObject({ width: 3, height: 3 });
    expect(thrown(() => cropImage(image, { left: 3, top: 0, width: 2, height: 1 }), ConfigError).field).toBe('box');
  });
});

describe('imagesToTensor', () => {
  it('batches images into [B, H, W, C] with the chosen normalization, and back', () => {
    const a = ramp(3, 2, 3);
    const b = { ...a, data: a.data.map((v) => 255 - v) };
    const unit = imagesToTensor([a, b]);
    expect(unit.shape).toEqual([2, 2, 3, 3]);
    expect(unit.dataSync()[1]).toBeCloseTo((a.data[1] as number) / 255, 6);
    const standardized = imagesToTensor([a], { normalize: { mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.1] } });
    expect(standardized.dataSync()[2]).toBeCloseTo(((a.data[2] as number) / 255 - 0.3) / 0.1, 5);
    expect(imagesToTensor([a], { normalize: false }).dataSync()[4]).toBe(a.data[4]);
    const back = tensorToImages(unit);
    expect([...(back[1] as Image).data]).toEqual([...b.data]);
    tf.dispose([unit, standardized]);
  });

  it('refuses an empty list, mixed sizes and bad statistics', () => {
    expect(thrown(() => imagesToTensor([]), ShapeError).argument).toBe('images');
    expect(thrown(() => imagesToTensor([ramp(3, 2), ramp(2, 3)]), ShapeError).argument).toBe('images[1]');
    expect(
      thrown(() => imagesToTensor([ramp(3, 2, 3)], { normalize: { mean: [0, 0], std: [1] } }), ConfigError).field,
    ).toBe('normalize.mean');
  });
});
