import { initBackend, Rng, randomNormal } from '@seqgen/core';
import { checkGradientHost } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BahdanauAttention } from './bahdanau-attention.js';
import { LuongAttention } from './luong-attention.js';

// Plain-JS float64 references of the attention scores, computed from the layers' own weights
// and compared with what the layers return (scores are checked through the weights, which are
// their masked softmax, and the context, which is the weights' sum over the memory).

const B = 3;
const S = 6;
const Q = 5;
const M = 4;
const U = 7;
const lengths = [6, 4, 1];

type Flat = ArrayLike<number>;

interface Inputs {
  query: Flat; // [B, Q]
  memory: Flat; // [B, S, M]
}

/** score(q, m_s) = vᵀ·tanh(W_q·q + W_m·m_s + b), all in float64. */
function bahdanauScores(p: Inputs & { queryKernel: Flat; memoryKernel: Flat; bias: Flat; scoreVector: Flat }) {
  const scores = new Float64Array(B * S);
  for (let b = 0; b < B; b++) {
    const q = new Float64Array(U);
    for (let u = 0; u < U; u++)
      for (let i = 0; i < Q; i++) q[u]! += (p.query[b * Q + i] as number) * (p.queryKernel[i * U + u] as number);
    for (let s = 0; s < S; s++) {
      let score = 0;
      for (let u = 0; u < U; u++) {
        let key = p.bias[u] as number;
        for (let k = 0; k < M; k++)
          key += (p.memory[(b * S + s) * M + k] as number) * (p.memoryKernel[k * U + u] as number);
        score += (p.scoreVector[u] as number) * Math.tanh(key + (q[u] as number));
      }
      scores[b * S + s] = score;
    }
  }
  return scores;
}

/** score(q, m_s) = qᵀ·W·m_s (÷ √M when scaled), in float64. */
function luongGeneralScores(p: Inputs & { kernel: Flat; scale: boolean }) {
  const scores = new Float64Array(B * S);
  for (let b = 0; b < B; b++) {
    const qw = new Float64Array(M);
    for (let k = 0; k < M; k++)
      for (let i = 0; i < Q; i++) qw[k]! += (p.query[b * Q + i] as number) * (p.kernel[i * M + k] as number);
    for (let s = 0; s < S; s++) {
      let score = 0;
      for (let k = 0; k < M; k++) score += (qw[k] as number) * (p.memory[(b * S + s) * M + k] as number);
      scores[b * S + s] = p.scale ? score / Math.sqrt(M) : score;
    }
  }
  return scores;
}

/** Softmax over each example's first `lengths[b]` positions (the rest get weight 0) and the context. */
function attendReference(scores: Float64Array, memory: Flat, lens: number[]) {
  const weights = new Float64Array(B * S);
  const context = new Float64Array(B * M);
  for (let b = 0; b < B; b++) {
    const len = lens[b] as number;
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < len; s++) max = Math.max(max, scores[b * S + s] as number);
    let total = 0;
    for (let s = 0; s < len; s++) total += Math.exp((scores[b * S + s] as number) - max);
    for (let s = 0; s < len; s++) {
      const w = Math.exp((scores[b * S + s] as number) - max) / total;
      weights[b * S + s] = w;
      for (let k = 0; k < M; k++) context[b * M + k]! += w * (memory[(b * S + s) * M + k] as number);
    }
  }
  return { weights, context };
}

/** A loss with a distinct weight per context and attention-weight entry, in float64. */
function referenceLoss(r: { weights: Float64Array; context: Float64Array }): number {
  let s = 0;
  r.context.forEach((v, i) => {
    s += v * Math.sin(i + 0.5);
  });
  r.weights.forEach((v, i) => {
    s += v * Math.cos(i);
  });
  return s;
}

function layerLoss(r: { weights: tf.Tensor; context: tf.Tensor }): tf.Scalar {
  const sinW = tf.sin(tf.add(tf.reshape(tf.range(0, B * M), [B, M]), 0.5));
  const cosW = tf.cos(tf.reshape(tf.range(0, B * S), [B, S]));
  return tf.add(tf.sum(tf.mul(r.context, sinW)), tf.sum(tf.mul(r.weights, cosW))) as tf.Scalar;
}

/** Largest |a − b| relative to max(1, |b|), entry by entry, with equal lengths required. */
function maxRelDiff(a: Flat, b: Flat): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number));
    m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(m, d);
  }
  return m;
}

describe('attention scores against float64 host references', () => {
  beforeAll(async () => {
    await initBackend();
  });

  const cases: Array<[string, () => BahdanauAttention | LuongAttention]> = [
    ['Bahdanau', () => new BahdanauAttention({ querySize: Q, memorySize: M, units: U, seed: 3 })],
    ['Luong general', () => new LuongAttention({ querySize: Q, memorySize: M, score: 'general', seed: 4 })],
    [
      'Luong general, scaled',
      () => new LuongAttention({ querySize: Q, memorySize: M, score: 'general', scale: true, seed: 5 }),
    ],
  ];

  for (const [name, make] of cases) {
    it(`${name}: weights and context match the reference, masked and not; gradients match its differences`, async () => {
      const att = make();
      const rng = new Rng(21);
      if (att instanceof BahdanauAttention) {
        // A non-zero bias, so that its part of the score is exercised.
        att.variables.bias!.assign(randomNormal(rng, [U], 0, 0.5));
      }
      const query = randomNormal(rng, [B, Q]);
      const memory = randomNormal(rng, [B, S, M]);
      const host: Record<string, Float32Array> = {};
      for (const [key, v] of Object.entries(att.variables)) host[key] = (await v.data()) as Float32Array;
      const inputs: Inputs = { query: await query.data(), memory: await memory.data() };
      const scoresOf = (params: Record<string, Flat>) =>
        att instanceof BahdanauAttention
          ? bahdanauScores({
              ...inputs,
              ...(params as Record<'queryKernel' | 'memoryKernel' | 'bias' | 'scoreVector', Flat>),
            })
          : luongGeneralScores({ ...inputs, kernel: params.kernel as Flat, scale: att.scale });

      for (const lens of [undefined, lengths]) {
        const ours = att.apply(query, memory, lens ? { sourceLengths: lens } : {});
        const want = attendReference(scoresOf(host), inputs.memory, lens ?? [S, S, S]);
        expect(ours.weights.shape).toEqual([B, S]);
        expect(ours.context.shape).toEqual([B, M]);
        const weights = await ours.weights.data();
        expect(maxRelDiff(weights, want.weights), `weights ${lens ?? 'unmasked'}`).toBeLessThan(2e-6);
        expect(maxRelDiff(await ours.context.data(), want.context), `context ${lens ?? 'unmasked'}`).toBeLessThan(2e-6);
        // Masked positions get exactly zero weight.
        if (lens) for (let b = 0; b < B; b++) for (let s = lens[b]!; s < S; s++) expect(weights[b * S + s]).toBe(0);
      }

      // The layer's autodiff gradient against central differences of the float64 reference.
      const vars = att.variables;
      const { grads } = tf.variableGrads(
        () => layerLoss(att.apply(query, memory, { sourceLengths: lengths })),
        Object.values(vars),
      );
      for (const [key, v] of Object.entries(vars)) {
        const lossAt = (values: Float64Array) =>
          referenceLoss(attendReference(scoresOf({ ...host, [key]: values }), inputs.memory, lengths));
        const r = await checkGradientHost(key, lossAt, host[key]!, grads[v.name]!, { rtol: 1e-5, atol: 1e-5 });
        expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
        expect(r.checked).toBe(v.size);
        // … and the check has teeth: 1.1 × the gradient fails.
        const scaled = tf.mul(grads[v.name]!, 1.1);
        expect((await checkGradientHost(key, lossAt, host[key]!, scaled)).ratio).toBeGreaterThan(1);
        scaled.dispose();
      }
      tf.dispose([query, memory, ...Object.values(grads)]);
      att.dispose();
    });
  }
});
