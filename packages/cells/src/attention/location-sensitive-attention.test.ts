import { ConfigError, initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionFromConfig } from '../config-registry.js';
import { LocationSensitiveAttention } from './location-sensitive-attention.js';

const B = 2;
const S = 6;
const Q = 4;
const M = 3;

describe('LocationSensitiveAttention', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('agrees with its formula computed by hand, masks padding, and carries cumulative weights', async () => {
    const att = new LocationSensitiveAttention({
      querySize: Q,
      memorySize: M,
      units: 5,
      filters: 2,
      kernelSize: 3,
      seed: 1,
    });
    const rng = new Rng(2);
    const query = randomNormal(rng, [B, Q]);
    const memory = randomNormal(rng, [B, S, M]);
    const previous = tf.softmax(randomNormal(rng, [B, S]));
    const out = att.apply(query, memory, { sourceLengths: [6, 4], cumulativeWeights: previous });
    const w = (await out.weights.array()) as number[][];
    expect(w[1]![4]).toBe(0);
    expect(w[1]![5]).toBe(0);
    expect(w[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(w[1]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(await maxAbsDiff(out.cumulativeWeights, tf.add(previous, out.weights))).toBeLessThan(1e-6);

    // The scores of example 0 by hand: vᵀ tanh(Wq q + Wm m_s + b + U·conv(cum)_s), conv 'same' with zero padding.
    const read = async (name: string) => (await (att.variables[name] as tf.Variable).array()) as number[][];
    const bias = (await (att.variables.bias as tf.Variable).array()) as number[];
    const [queryKernel, memoryKernel, locationFilter, locationKernel, scoreVector] = await Promise.all(
      ['queryKernel', 'memoryKernel', 'locationFilter', 'locationKernel', 'scoreVector'].map(read),
    );
    const q = ((await query.array()) as number[][])[0]!;
    const mem = ((await memory.array()) as number[][][])[0]!;
    const cum = ((await previous.array()) as number[][])[0]!;
    const scores = mem.map((row, s) => {
      let score = 0;
      for (let u = 0; u < 5; u++) {
        let z = bias[u]!;
        for (let i = 0; i < Q; i++) z += q[i]! * queryKernel![i]![u]!;
        for (let i = 0; i < M; i++) z += row[i]! * memoryKernel![i]![u]!;
        for (let f = 0; f < 2; f++) {
          let feature = 0;
          for (let k = 0; k < 3; k++) feature += (cum[s + k - 1] ?? 0) * locationFilter![k]![f]!;
          z += feature * locationKernel![f]![u]!;
        }
        score += Math.tanh(z) * scoreVector![u]![0]!;
      }
      return score;
    });
    const z = scores.map(Math.exp);
    const total = z.reduce((a, b) => a + b, 0);
    z.forEach((e, s) => {
      expect(w[0]![s]).toBeCloseTo(e / total, 5);
    });
    // The context is the weighted sum of the memory.
    const context = ((await out.context.array()) as number[][])[0]!;
    for (let i = 0; i < M; i++)
      expect(context[i]).toBeCloseTo(
        mem.reduce((a, row, s) => a + w[0]![s]! * row[i]!, 0),
        5,
      );

    // step over a memory projected once gives the same numbers as apply.
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [B, S]);
    const stepped = att.step(query, { memory, keys: att.projectMemory(memory), cumulativeWeights: previous, mask });
    expect(await maxAbsDiff(stepped.weights, out.weights)).toBeLessThan(1e-6);
    expect(await maxAbsDiff(stepped.context, out.context)).toBeLessThan(1e-6);
    att.dispose();
  });

  it('gradients of every weight and of the cumulative weights agree with finite differences', async () => {
    const att = new LocationSensitiveAttention({
      querySize: Q,
      memorySize: M,
      units: 3,
      filters: 2,
      kernelSize: 3,
      seed: 3,
    });
    const rng = new Rng(4);
    const query = randomNormal(rng, [B, Q]);
    const memory = randomNormal(rng, [B, S, M]);
    const cumulative = tf.variable(tf.mul(tf.softmax(randomNormal(rng, [B, S])), 2));
    const f = () => {
      const r = att.apply(query, memory, { sourceLengths: [6, 4], cumulativeWeights: cumulative });
      return tf.concat([
        tf.reshape(tf.mul(r.context, tf.tensor1d([1, -2, 3])), [-1]),
        tf.reshape(tf.square(r.weights), [-1]),
      ]);
    };
    const vars = [...Object.values(att.variables), cumulative];
    const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
    for (const v of vars) {
      const r = await checkGradient(f, v, grads[v.name]!, { maxEntries: 6, seed: 1 });
      expect(r.ratio, `${v.name}: ${r.worst}`).toBeLessThanOrEqual(1);
      expect(r.checked).toBe(Math.min(6, v.size));
    }
    // Padded memory positions get no weight, so nothing flows back to them.
    const dMemory = tf.grad((m: tf.Tensor) => {
      const r = att.apply(query, m, { sourceLengths: [6, 4], cumulativeWeights: cumulative });
      return tf.add(tf.sum(tf.mul(r.context, tf.tensor1d([1, -2, 3]))), tf.sum(tf.square(r.weights)));
    })(memory);
    const padded = (await dMemory.array()) as number[][][];
    expect(Math.max(...padded[1]![4]!.map(Math.abs), ...padded[1]![5]!.map(Math.abs))).toBe(0);
    expect(Math.max(...padded[1]![3]!.map(Math.abs))).toBeGreaterThan(0);
    att.dispose();
    cumulative.dispose();
  });

  it('round-trips its config and refuses bad options and shapes with typed errors', () => {
    const att = new LocationSensitiveAttention({ querySize: Q, memorySize: M, seed: 2 });
    const copy = attentionFromConfig<LocationSensitiveAttention>(JSON.parse(JSON.stringify(att.getConfig())));
    expect(copy).toBeInstanceOf(LocationSensitiveAttention);
    expect(copy.getConfig()).toEqual({
      type: 'location-sensitive',
      querySize: Q,
      memorySize: M,
      units: Q,
      filters: 32,
      kernelSize: 31,
      seed: 2,
    });
    const shapes = Object.fromEntries(Object.entries(att.variables).map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual(LocationSensitiveAttention.weightShapes({ querySize: Q, memorySize: M }));
    expect(() => new LocationSensitiveAttention({ querySize: Q, memorySize: M, kernelSize: 4 })).toThrow(
      /kernelSize: must be odd/,
    );
    expect(() => new LocationSensitiveAttention({ querySize: 0, memorySize: M })).toThrow(ConfigError);
    expect(() => new LocationSensitiveAttention({ querySize: Q, memorySize: M, filters: 1.5 })).toThrow(/filters/);
    expect(() => LocationSensitiveAttention.fromConfig({ type: 'bahdanau' })).toThrow(ConfigError);
    expect(() => att.apply(tf.zeros([B, Q]), tf.zeros([B, S, M]), { cumulativeWeights: tf.zeros([B, S + 1]) })).toThrow(
      /cumulativeWeights must be of shape \[2, 6\]/,
    );
    expect(() => att.apply(tf.zeros([B, Q + 1]), tf.zeros([B, S, M]))).toThrow(ShapeError);
    expect(() =>
      att.step(tf.zeros([B, Q]), {
        memory: tf.zeros([B, S, M]),
        keys: tf.zeros([B, S, 3]),
        cumulativeWeights: tf.zeros([B, S]),
      }),
    ).toThrow(/prepared.keys must be of shape \[2, 6, 4\]/);
    att.dispose();
    copy.dispose();
  });
});
