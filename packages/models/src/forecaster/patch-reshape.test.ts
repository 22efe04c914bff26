import { initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromPatches, patchesTimeMajor, toPatches } from './patch-reshape.js';

describe('patch reshape (space-to-depth, as OpenSTL)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('puts each p×p block into the channels (row in block, column in block, channel) and back exactly', async () => {
    // 4×4 frame, 2 channels, value = 100·row + 10·column + channel.
    const values = Array.from(
      { length: 32 },
      (_, k) => 100 * Math.floor(k / 8) + 10 * (Math.floor(k / 2) % 4) + (k % 2),
    );
    const frame = tf.tensor4d(values, [1, 4, 4, 2]);
    const patches = toPatches(frame, 2);
    expect(patches.shape).toEqual([1, 2, 2, 8]);
    // Block (1, 0): rows 2–3, columns 0–1.
    const block = Array.from((await patches.data()).subarray((1 * 2 + 0) * 8, (1 * 2 + 0) * 8 + 8));
    expect(block).toEqual([200, 201, 210, 211, 300, 301, 310, 311]);
    const back = fromPatches(patches, 2);
    expect(Array.from(await back.data())).toEqual(values);

    // Moving MNIST's shape: 64×64×1 → 16×16×16 with p = 4, and back.
    const mnist = randomNormal(new Rng(1), [2, 64, 64, 1]) as tf.Tensor4D;
    const p4 = toPatches(mnist, 4);
    expect(p4.shape).toEqual([2, 16, 16, 16]);
    expect(Array.from(await fromPatches(p4, 4).data())).toEqual(Array.from(await mnist.data()));
    expect(toPatches(mnist, 1)).toBe(mnist);
    tf.dispose([frame, patches, back, mnist, p4]);
  });

  it('patches plain data time-major exactly as toPatches does', async () => {
    const [B, T, H, W, C, p] = [2, 3, 8, 4, 2, 2];
    const data = Float32Array.from({ length: B * T * H * W * C }, (_, i) => i);
    const frames = tf.tensor5d(data, [B, T, H, W, C]);
    const patches = toPatches(tf.reshape(frames, [B * T, H, W, C]) as tf.Tensor4D, p);
    const byTime = tf.transpose(tf.reshape(patches, [B, T, H / p, W / p, p * p * C]), [1, 0, 2, 3, 4]);
    expect(Array.from(patchesTimeMajor(data, [B, T, H, W, C], p))).toEqual(Array.from(await byTime.data()));
  });

  it('refuses sizes the patch does not divide', () => {
    expect(() => toPatches(tf.zeros([1, 6, 4, 1]) as tf.Tensor4D, 4)).toThrow(ShapeError);
    expect(() => fromPatches(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, 2)).toThrow(ShapeError);
  });
});
