import { ConfigError, initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attention } from './attention.js';
import { BahdanauAttention } from './bahdanau-attention.js';
import { LuongAttention } from './luong-attention.js';

const B = 2;
const S = 5;
const Q = 4;
const M = 4;

describe('attention', () => {
  beforeAll(async () => {
    await initBackend();
  });

  const mechanisms: Array<[string, () => Attention]> = [
    ['Bahdanau', () => new BahdanauAttention({ querySize: Q, memorySize: M, units: 6, seed: 1 })],
    ['Luong dot', () => new LuongAttention({ querySize: Q, memorySize: M, score: 'dot' })],
    ['Luong general', () => new LuongAttention({ querySize: Q, memorySize: M, score: 'general', seed: 2 })],
  ];

  for (const [name, make] of mechanisms) {
    it(`${name}: weights are a masked distribution and the context is their weighted sum`, async () => {
      const att = make();
      const rng = new Rng(3);
      const query = randomNormal(rng, [B, Q]);
      const memory = randomNormal(rng, [B, S, M]);
      const { context, weights } = att.apply(query, memory, { sourceLengths: [5, 3] });
      const w = (await weights.array()) as number[][];
      expect(w[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(w[1]!.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(w[1]![3]).toBe(0);
      expect(w[1]![4]).toBe(0);
      const mem = (await memory.array()) as number[][][];
      const expected = mem.map((rows, b) =>
        Array.from({ length: M }, (_, k) => rows.reduce((s, row, j) => s + w[b]![j]! * row[k]!, 0)),
      );
      expect(await maxAbsDiff(context, tf.tensor2d(expected))).toBeLessThan(1e-5);
      // Unmasked, the weights are the softmax of the scores; Luong dot's scores are plain dot products.
      if (name === 'Luong dot') {
        const q = (await query.array()) as number[][];
        const scores = mem[0]!.map((row) => row.reduce((s, v, k) => s + v * q[0]![k]!, 0));
        const z = scores.map(Math.exp);
        const total = z.reduce((a, b) => a + b, 0);
        const full = (await att.apply(query, memory).weights.array()) as number[][];
        z.forEach((v, j) => {
          expect(full[0]![j]).toBeCloseTo(v / total, 5);
        });
      }
      // Gradients flow to every weight, and agree with finite differences.
      const f = () => {
        const r = att.apply(query, memory, { sourceLengths: [5, 3] });
        return tf.concat([
          tf.reshape(tf.mul(r.context, tf.tensor1d([1, -2, 3, 0.5])), [-1]),
          tf.reshape(tf.square(r.weights), [-1]),
        ]);
      };
      const vars = Object.values(att.variables);
      if (vars.length) {
        const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
        for (const v of vars) {
          const r = await checkGradient(f, v, grads[v.name]!);
          expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
          expect(r.checked).toBe(v.size);
        }
      }
    });
  }

  it('a [B, S] mask tensor masks like source lengths, and also where padding is not a suffix', async () => {
    for (const [, make] of mechanisms) {
      const att = make();
      const rng = new Rng(4);
      const query = randomNormal(rng, [B, Q]);
      const memory = randomNormal(rng, [B, S, M]);
      const byLengths = att.apply(query, memory, { sourceLengths: [5, 3] });
      const prefix = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [B, S]);
      const byMask = att.apply(query, memory, { mask: prefix });
      expect(await maxAbsDiff(byMask.weights, byLengths.weights)).toBeLessThan(1e-6);
      expect(await maxAbsDiff(byMask.context, byLengths.context)).toBeLessThan(1e-6);
      // Left padding (a mask that is not a prefix), given as int32 as masks often are.
      const left = tf.tensor2d([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], [B, S], 'int32');
      const w = (await att.apply(query, memory, { mask: left }).weights.array()) as number[][];
      expect(w[0]![0]).toBe(0);
      expect(w[0]![1]).toBe(0);
      expect(w[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(() => att.apply(query, memory, { mask: tf.ones([B, S + 1]) })).toThrow(
        /mask must be \[2, 5\] \(batch, source length\), got \[2,6\]/,
      );
      expect(() => att.apply(query, memory, { mask: prefix, sourceLengths: [5, 3] })).toThrow(ConfigError);
      att.dispose();
    }
  });

  it('refuses mismatched sizes and bad lengths, naming the argument', () => {
    expect(() => new LuongAttention({ querySize: 3, memorySize: 4, score: 'dot' })).toThrow(ConfigError);
    const att = new BahdanauAttention({ querySize: Q, memorySize: M });
    expect(() => att.apply(tf.zeros([B, Q + 1]), tf.zeros([B, S, M]))).toThrow(ShapeError);
    expect(() => att.apply(tf.zeros([B, Q]), tf.zeros([B + 1, S, M]))).toThrow(/memory must be of shape \[2, \?, 4\]/);
    expect(() => att.apply(tf.zeros([B, Q]), tf.zeros([B, S, M]), { sourceLengths: [0, 2] })).toThrow(
      /sourceLengths\[0\]/,
    );
  });
});
