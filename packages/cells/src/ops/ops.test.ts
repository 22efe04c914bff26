import { initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingLookup } from './embedding.js';
import { linear } from './linear.js';

describe('wasm-friendly linear and embedding ops', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('linear matches tf.matMul + bias, values and gradients', async () => {
    const rng = new Rng(1);
    const x = randomNormal(rng, [2, 3, 4]);
    const W = randomNormal(rng, [4, 5]) as tf.Tensor2D;
    const b = randomNormal(rng, [5]) as tf.Tensor1D;
    const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.sin(tf.add(tf.reshape(tf.matMul(tf.reshape(xx, [6, 4]), ww), [2, 3, 5]), bb)));
    const ours = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.sin(linear(xx, ww as tf.Tensor2D, bb as tf.Tensor1D)));
    expect(
      await maxAbsDiff(linear(x, W, b), tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 4]), W), [2, 3, 5]), b)),
    ).toBeLessThan(1e-6);
    const g1 = tf.grads(ref)([x, W, b]);
    const g2 = tf.grads(ours)([x, W, b]);
    for (let i = 0; i < 3; i++) expect(await maxAbsDiff(g1[i]!, g2[i]!)).toBeLessThan(1e-5);
    expect(linear(x, W).shape).toEqual([2, 3, 5]);
  });

  it('embedding looks up rows and its gradient accumulates repeated ids on every backend', async () => {
    const table = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    const ids = tf.tensor2d(
      [
        [2, 0],
        [2, 2],
      ],
      [2, 2],
      'int32',
    );
    expect(await embeddingLookup(ids, table).array()).toEqual([
      [
        [5, 6],
        [1, 2],
      ],
      [
        [5, 6],
        [5, 6],
      ],
    ]);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(embeddingLookup(ids, table), tf.tensor1d([1, 10]))) as tf.Scalar,
      [table],
    );
    expect(await grads[table.name]!.array()).toEqual([
      [1, 10],
      [0, 0],
      [3, 30],
    ]);
    expect(() => embeddingLookup(tf.tensor1d([0.5]), table)).toThrow(ShapeError);
  });

  it('a training batch (64 ids or more, looked up as a one-hot product) gives the same rows and gradient', async () => {
    const rng = new Rng(8);
    const vocab = 7;
    const ids = Array.from({ length: 96 }, () => rng.int(vocab));
    const table = tf.variable(randomNormal(rng, [vocab, 3]));
    const weights = randomNormal(rng, [96, 3]);
    const rows = embeddingLookup(tf.tensor1d(ids, 'int32'), table as tf.Tensor2D);
    expect(await maxAbsDiff(rows, tf.gather(table, ids))).toBe(0);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(embeddingLookup(tf.tensor1d(ids, 'int32'), table as tf.Tensor2D), weights)) as tf.Scalar,
      [table],
    );
    // Each table row's gradient is the sum of the weights of the positions that looked it up.
    const w = (await weights.array()) as number[][];
    const expected = Array.from({ length: vocab }, (_, v) =>
      [0, 1, 2].map((d) => ids.reduce((sum, id, k) => sum + (id === v ? (w[k]![d] as number) : 0), 0)),
    );
    expect(await maxAbsDiff(grads[table.name]!, tf.tensor2d(expected))).toBeLessThan(1e-5);
  });

  it("strategy 'gather' reads the same rows of a computed table, and its gradient reaches what made the table", async () => {
    const rng = new Rng(9);
    const rows = 5;
    const ids = Array.from({ length: 80 }, () => rng.int(rows));
    const x = randomNormal(rng, [rows, 3]);
    const weights = randomNormal(rng, [80, 3]);
    // The table is an activation (tanh of x): the gradient must flow through it into x.
    const loss = (strategy: 'auto' | 'gather') => (xx: tf.Tensor) =>
      tf.sum(tf.mul(embeddingLookup(tf.tensor1d(ids, 'int32'), tf.tanh(xx) as tf.Tensor2D, { strategy }), weights));
    const gathered = embeddingLookup(tf.tensor1d(ids, 'int32'), tf.tanh(x) as tf.Tensor2D, { strategy: 'gather' });
    expect(await maxAbsDiff(gathered, tf.gather(tf.tanh(x), ids))).toBe(0);
    const viaGather = tf.grad(loss('gather'))(x);
    const viaOneHot = tf.grad(loss('auto'))(x);
    const w = (await weights.array()) as number[][];
    const t = (await tf.tanh(x).array()) as number[][];
    const expected = Array.from({ length: rows }, (_, v) =>
      [0, 1, 2].map(
        (d) =>
          (1 - (t[v]![d] as number) ** 2) * ids.reduce((sum, id, k) => sum + (id === v ? (w[k]![d] as number) : 0), 0),
      ),
    );
    expect(await maxAbsDiff(viaGather, tf.tensor2d(expected))).toBeLessThan(1e-5);
    expect(await maxAbsDiff(viaGather, viaOneHot)).toBeLessThan(1e-5);
  });
});
