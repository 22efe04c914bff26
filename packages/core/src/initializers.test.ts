import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { ConfigError } from './errors.js';
import { glorotUniform, orthogonal, randomNormal, truncatedNormal } from './initializers.js';
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

  it('orthogonal matrices have orthonormal rows or columns', async () => {
    for (const shape of [
      [8, 8],
      [4, 16],
      [16, 4],
    ] as Array<[number, number]>) {
      const q = orthogonal(new Rng(3), shape);
      const gram = shape[0] <= shape[1] ? tf.matMul(q, q, false, true) : tf.matMul(q, q, true, false);
      const eye = tf.eye(Math.min(...shape));
      const err = (await tf.max(tf.abs(tf.sub(gram, eye))).data())[0] as number;
      expect(err).toBeLessThan(1e-5);
      tf.dispose([q, gram, eye]);
    }
  });

  it('normal and truncated normal have the requested spread', async () => {
    const n = Array.from(await randomNormal(new Rng(1), [20000], 2, 0.5).data());
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    expect(mean).toBeCloseTo(2, 1);
    const t = await truncatedNormal(new Rng(1), [20000], 0, 0.1).data();
    for (const v of t) expect(Math.abs(v)).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(() => randomNormal(new Rng(1), [2, -1])).toThrow(ConfigError);
  });
});
