import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { ConfigError } from './errors.js';
import { glorotUniform, orthogonal, randomNormal, truncatedNormal, withoutOrthogonalization } from './initializers.js';
import { Rng } from './rng.js';

describe('initializers', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('give bit-identical weights for a seed, independent of the backend', async () => {
    const a = await glorotUniform(new Rng(9), [3, 4]).data();
    const b = await glorotUniform(new Rng(9), [3, 4]).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    // The first value is a pure function of the seed; it is the same number on wasm and cpu.
    const rng = new Rng(9);
    expect(a[0]).toBe(Math.fround(rng.uniform(-Math.sqrt(6 / 7), Math.sqrt(6 / 7))));
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(Math.sqrt(6 / 7));
  });

  it('glorot uniform spans ±sqrt(6 / (fanIn + fanOut)) with variance 2 / (fanIn + fanOut)', async () => {
    const [fanIn, fanOut] = [200, 300];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const { mean, std, maxAbs } = moments(await glorotUniform(new Rng(4), [fanIn, fanOut]).data());
    // 60,000 draws: the sample std is within about 0.2 % of the truth (1 SE), the mean within 0.0003.
    expect(std / Math.sqrt(2 / (fanIn + fanOut))).toBeGreaterThan(0.98);
    expect(std / Math.sqrt(2 / (fanIn + fanOut))).toBeLessThan(1.02);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(maxAbs).toBeLessThanOrEqual(limit);
    expect(maxAbs).toBeGreaterThan(0.999 * limit);
  });

  it('orthogonal matrices have orthonormal rows or columns, scaled by the gain', async () => {
    for (const [shape, gain] of [
      [[8, 8], 1],
      [[4, 16], 1],
      [[16, 4], 1],
      [[12, 5], 2],
    ] as Array<[[number, number], number]>) {
      const q = orthogonal(new Rng(3), shape, gain);
      const gram = shape[0] <= shape[1] ? tf.matMul(q, q, false, true) : tf.matMul(q, q, true, false);
      const eye = tf.mul(tf.eye(Math.min(...shape)), gain * gain);
      const err = (await tf.max(tf.abs(tf.sub(gram, eye))).data())[0] as number;
      expect(err).toBeLessThan(1e-5 * gain * gain);
      // A random rotation, not the identity or a signed permutation: no entry is ±gain.
      const big = Array.from(await q.data()).filter((v) => Math.abs(v) > 0.999 * gain).length;
      expect(big).toBe(0);
      tf.dispose([q, gram, eye]);
    }
    const a = await orthogonal(new Rng(3), [8, 8]).data();
    const b = await orthogonal(new Rng(4), [8, 8]).data();
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('withoutOrthogonalization returns zeros but leaves the generator where a normal build does', async () => {
    for (const shape of [
      [6, 20],
      [20, 6],
    ] as Array<[number, number]>) {
      const usual = new Rng(9);
      const skipped = new Rng(9);
      orthogonal(usual, shape).dispose();
      const q = withoutOrthogonalization(() => orthogonal(skipped, shape));
      expect(q.shape).toEqual(shape);
      expect(Array.from(await q.data()).every((v) => v === 0)).toBe(true);
      // The draws that follow (e.g. the next layer's weights) are the same.
      expect(skipped.normal()).toBe(usual.normal());
      q.dispose();
    }
    // Nested and thrown-through scopes restore the mode: orthogonal orthonormalizes again.
    expect(() =>
      withoutOrthogonalization(() => {
        withoutOrthogonalization(() => undefined);
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    const q = orthogonal(new Rng(1), [4, 4]);
    expect(Math.abs((await tf.sum(tf.square(q)).data())[0]! - 4)).toBeLessThan(1e-5);
    q.dispose();
  });

  it('normal and truncated normal have the requested spread', async () => {
    const n = moments(await randomNormal(new Rng(1), [20000], 2, 0.5).data());
    // 20,000 draws: SE of the mean 0.0035, of the std 0.5 %.
    expect(Math.abs(n.mean - 2)).toBeLessThan(0.02);
    expect(n.std / 0.5).toBeGreaterThan(0.97);
    expect(n.std / 0.5).toBeLessThan(1.03);
    const t = moments(await truncatedNormal(new Rng(1), [20000], 1, 0.1).data(), 1);
    // Truncated at ±2σ: std = σ·sqrt(1 − 4φ(2) / (Φ(2) − Φ(−2))) = 0.8796σ (an untruncated draw would give σ).
    expect(t.std / (0.1 * TRUNCATED_STD_RATIO)).toBeGreaterThan(0.98);
    expect(t.std / (0.1 * TRUNCATED_STD_RATIO)).toBeLessThan(1.02);
    expect(Math.abs(t.mean - 1)).toBeLessThan(0.003);
    expect(t.maxAbs).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(t.maxAbs).toBeGreaterThan(0.19);
    expect(() => randomNormal(new Rng(1), [2, -1])).toThrow(ConfigError);
  });
});

/** sqrt(1 − 4φ(2) / (Φ(2) − Φ(−2))): the std of a standard normal truncated at ±2. */
const TRUNCATED_STD_RATIO = Math.sqrt(1 - (4 * 0.05399096651318806) / 0.9544997361036416);

/** Mean, standard deviation and largest |value − center| of `values`, in float64. */
function moments(values: ArrayLike<number>, center = 0): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    maxAbs = Math.max(maxAbs, Math.abs((values[i] as number) - center));
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / (values.length - 1)), maxAbs };
}
