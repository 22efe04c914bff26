import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyLastFrame, linearExtrapolation } from './baselines.js';
import { frameMetrics } from './frame-metrics.js';
import { ssimIndex } from './ssim.js';

/** The test images of the numpy reference: a = (sin(0.7i + 0.3j + c) + 1) / 2, b = clip(a + 0.25·cos(1.3i − 0.5j + 2c), 0, 1). */
function images(H: number, W: number, C: number): [Float64Array, Float64Array] {
  const a = new Float64Array(H * W * C);
  const b = new Float64Array(H * W * C);
  for (let i = 0; i < H; i++)
    for (let j = 0; j < W; j++)
      for (let c = 0; c < C; c++) {
        const k = (i * W + j) * C + c;
        a[k] = (Math.sin(0.7 * i + 0.3 * j + c) + 1) / 2;
        b[k] = Math.min(1, Math.max(0, (a[k] as number) + 0.25 * Math.cos(1.3 * i - 0.5 * j + 2 * c)));
      }
  return [a, b];
}

describe('SSIM (Wang et al. 2004, 11×11 Gaussian window, σ 1.5)', () => {
  it('is 1 for identical images and matches values computed once with numpy + scipy', () => {
    const [a, b] = images(16, 16, 1);
    expect(ssimIndex(a, a, { height: 16, width: 16 })).toBeCloseTo(1, 12);
    // Computed once in float64 with numpy 2.4: scipy.signal.convolve2d(…, mode='valid') of each map with the normalized window.
    expect(ssimIndex(a, b, { height: 16, width: 16 })).toBeCloseTo(0.8767778462343514, 10);
    const [a2, b2] = images(12, 13, 2);
    expect(ssimIndex(a2, b2, { height: 12, width: 13, channels: 2 })).toBeCloseTo(0.8980106628026985, 10);
    // The constants scale with the data range: the same images in 0–255 give the same index.
    const scaled = (x: Float64Array) => x.map((v) => v * 255);
    expect(ssimIndex(scaled(a), scaled(b), { height: 16, width: 16, dataRange: 255 })).toBeCloseTo(
      0.8767778462343514,
      10,
    );
  });

  it('refuses images smaller than the window and mismatched sizes', () => {
    const small = new Float64Array(100);
    expect(thrown(() => ssimIndex(small, small, { height: 10, width: 10 }), ShapeError).message).toMatch(
      /at least 11×11/,
    );
    const [a] = images(16, 16, 1);
    expect(thrown(() => ssimIndex(a, a.subarray(1), { height: 16, width: 16 }), ShapeError).argument).toBe('b');
    expect(() => ssimIndex(a, a, { height: 16, width: 16, dataRange: 0 })).toThrow(ConfigError);
  });
});

describe('frameMetrics and the baselines', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('reports OpenSTL per-frame MSE and MAE, per-pixel MSE and MAE, PSNR and SSIM', async () => {
    const [a, b] = images(16, 16, 1);
    // Two frames: the reference pair, and an exact one (PSNR of an exact frame is infinite; use the first alone for PSNR).
    const predicted = tf.tensor5d(Float32Array.from(b), [1, 1, 16, 16, 1]);
    const target = tf.tensor5d(Float32Array.from(a), [1, 1, 16, 16, 1]);
    const m = await frameMetrics(predicted, target);
    expect(m.frames).toBe(1);
    expect(m.mse).toBeCloseTo(0.023987057595922047, 6);
    expect(m.msePerFrame).toBeCloseTo(0.023987057595922047 * 256, 3);
    expect(m.psnr).toBeCloseTo(16.20023022070818, 4);
    expect(m.ssim).toBeCloseTo(0.8767778462343514, 5);
    let ae = 0;
    for (let i = 0; i < a.length; i++) ae += Math.abs(Math.fround(b[i] as number) - Math.fround(a[i] as number));
    expect(m.maePerFrame).toBeCloseTo(ae, 4);
    expect(m.mae).toBeCloseTo(ae / 256, 6);

    // Sum over pixels, mean over frames and sequences: frames with 1 and 3 wrong pixels average 2.
    const zeros = tf.zeros([2, 1, 4, 4, 1]);
    const wrong = tf.tensor5d(
      [1, 0, 0, 0, ...new Array(12).fill(0), 1, 1, 1, ...new Array(13).fill(0)],
      [2, 1, 4, 4, 1],
    );
    const small = await frameMetrics(wrong, zeros);
    expect(small).toMatchObject({ msePerFrame: 2, maePerFrame: 2, mse: 2 / 16, frames: 2, ssim: null });
    expect(small.psnr).toBeCloseTo((10 * Math.log10(16) + 10 * Math.log10(16 / 3)) / 2, 5);
    tf.dispose([predicted, target, zeros, wrong]);
  });

  it('refuses tensors of other shapes or ranks', async () => {
    const x = tf.zeros([1, 2, 4, 4, 1]);
    const y = tf.zeros([1, 2, 4, 4, 3]);
    await expect(frameMetrics(x, y)).rejects.toThrow(ShapeError);
    await expect(frameMetrics(tf.zeros([2, 4, 4, 1]), tf.zeros([2, 4, 4, 1]))).rejects.toThrow(/\[B, T, H, W, C\]/);
    tf.dispose([x, y]);
  });

  it('copy-last-frame repeats the last context frame; linear extrapolation continues each pixel and clips', async () => {
    // Two 1×2 frames: pixel 0 goes 0.2 → 0.5, pixel 1 goes 0.9 → 0.6.
    const context = tf.tensor5d([0.2, 0.9, 0.5, 0.6], [1, 2, 1, 2, 1]);
    const copied = copyLastFrame(context, 3);
    expect(copied.shape).toEqual([1, 3, 1, 2, 1]);
    expect(Array.from(await copied.data())).toEqual(Array.from(Float32Array.of(0.5, 0.6, 0.5, 0.6, 0.5, 0.6)));
    const line = linearExtrapolation(context, 3);
    const values = Array.from(await line.data());
    for (const [i, v] of [0.8, 0.3, 1, 0, 1, 0].entries()) expect(values[i]).toBeCloseTo(v, 6);
    const free = Array.from(await linearExtrapolation(context, 2, { clip: null }).data());
    for (const [i, v] of [0.8, 0.3, 1.1, 0].entries()) expect(free[i]).toBeCloseTo(v, 6);
    expect(thrown(() => linearExtrapolation(tf.zeros([1, 1, 2, 2, 1]) as tf.Tensor5D, 2), ShapeError).message).toMatch(
      /T ≥ 2/,
    );
    expect(() => linearExtrapolation(context, 2, { clip: [1, 0] })).toThrow(ConfigError);
    expect(() => copyLastFrame(context, 0)).toThrow(ConfigError);
    tf.dispose([context, copied, line]);
  });
});
