import { initBackend, Rng, randomNormal } from '@seqgen/core';
import { checkGradient, checkGradientHost, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecurrentCell } from './cell.js';
import { stridePad } from './fused/stride-pad.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RecurrentLayer } from './recurrent-layer.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';

const B = 3;
const T = 5;
const I = 4;
const H = 6;

const cells: Array<[string, () => RecurrentCell]> = [
  ['lstm', () => new LSTMCell({ inputSize: I, units: H, seed: 1 })],
  ['gru', () => new GRUCell({ inputSize: I, units: H, seed: 2 })],
  ['rnn tanh', () => new SimpleRNNCell({ inputSize: I, units: H, seed: 3 })],
  ['rnn relu', () => new SimpleRNNCell({ inputSize: I, units: H, seed: 4, activation: 'relu' })],
];

/** Makes biases non-zero so that every gradient path is exercised. */
function perturbBiases(cell: RecurrentCell, rng: Rng): void {
  const values: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(cell.variables)) {
    if (name.toLowerCase().includes('bias')) values[name] = randomNormal(rng, v.shape, 0, 0.3);
  }
  cell.setWeights(values);
}

describe('fused sequence kernels match the step loop and finite differences', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const [name, make] of cells) {
    for (const variant of ['plain', 'masked', 'reverse', 'masked reverse'] as const) {
      it(`${name} (${variant})`, async () => {
        const cell = make();
        const rng = new Rng(7);
        perturbBiases(cell, rng);
        const x = randomNormal(rng, [B, T, I]);
        const initialState = cell.stateSizes.map((s) => randomNormal(rng, [B, s], 0, 0.5));
        const lengths = variant.includes('masked') ? [5, 3, 0] : undefined;
        const reverse = variant.includes('reverse');
        const fused = new RecurrentLayer(cell, { reverse });
        const looped = new RecurrentLayer(cell, { reverse, fused: false });
        expect(cell.sequence).toBeDefined();

        const run = (layer: RecurrentLayer) => {
          const r = layer.apply(x, lengths ? { initialState, lengths } : { initialState });
          return [r.output, ...r.state];
        };
        const a = run(fused);
        const b = run(looped);
        for (let k = 0; k < a.length; k++) expect(await maxAbsDiff(a[k]!, b[k]!)).toBeLessThan(1e-5);
        if (lengths) {
          // Padding gives zero outputs, and a zero-length example keeps its initial state.
          const out = (await a[0]!.array()) as number[][][];
          expect(out[1]![4]!.every((v) => v === 0)).toBe(true);
          expect(await maxAbsDiff(tf.slice(a[1]!, [2, 0], [1, -1]), tf.slice(initialState[0]!, [2, 0], [1, -1]))).toBe(
            0,
          );
        }

        const vars = Object.values(cell.variables);
        const lossOf = (layer: RecurrentLayer) => () => projectionLoss(run(layer));
        const gFused = tf.variableGrads(lossOf(fused), vars);
        const gLoop = tf.variableGrads(lossOf(looped), vars);
        expect(Math.abs((await gFused.value.data())[0]! - (await gLoop.value.data())[0]!)).toBeLessThan(1e-4);
        for (const v of vars) {
          expect(await maxAbsDiff(gFused.grads[v.name]!, gLoop.grads[v.name]!)).toBeLessThan(1e-4);
        }
        // Input and initial-state gradients too.
        const dIn = tf.grads((xx: tf.Tensor, s0: tf.Tensor) => {
          const r = fused.apply(xx, { initialState: [s0, ...initialState.slice(1)], ...(lengths ? { lengths } : {}) });
          return projectionLoss([r.output, ...r.state]);
        })([x, initialState[0]!]);
        const dInLoop = tf.grads((xx: tf.Tensor, s0: tf.Tensor) => {
          const r = looped.apply(xx, { initialState: [s0, ...initialState.slice(1)], ...(lengths ? { lengths } : {}) });
          return projectionLoss([r.output, ...r.state]);
        })([x, initialState[0]!]);
        expect(await maxAbsDiff(dIn[0]!, dInLoop[0]!)).toBeLessThan(1e-4);
        expect(await maxAbsDiff(dIn[1]!, dInLoop[1]!)).toBeLessThan(1e-4);

        // The fused gradient agrees with finite differences, entry by entry.
        if (name === 'rnn relu') {
          // float32 differences large enough to beat rounding straddle ReLU kinks, so relu is checked
          // against differences of a float64 host reference instead (whose forward must match first).
          const ref: ReluRnnParams = {
            x: await x.data(),
            h0: await initialState[0]!.data(),
            kernel: await cell.variables.kernel!.data(),
            recurrentKernel: await cell.variables.recurrentKernel!.data(),
            bias: await cell.variables.bias!.data(),
            lengths: lengths ?? [T, T, T],
            reverse,
          };
          const { out, h } = reluRnnReference(ref);
          expect(await maxAbsDiff(a[0]!, tf.tensor(Float32Array.from(out), [B, T, H]))).toBeLessThan(1e-5);
          expect(await maxAbsDiff(a[1]!, tf.tensor(Float32Array.from(h), [B, H]))).toBeLessThan(1e-5);
          for (const key of ['kernel', 'recurrentKernel', 'bias'] as const) {
            const v = cell.variables[key]!;
            const lossAt = (values: Float64Array) => reluRnnLoss({ ...ref, [key]: values });
            // float64 differences leave only the float32 rounding of the analytic gradient: a tight bound.
            const r = await checkGradientHost(key, lossAt, ref[key], gFused.grads[v.name]!, { rtol: 1e-5, atol: 1e-5 });
            expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
            expect(r.checked).toBe(v.size);
          }
        } else {
          // Every entry of the small variables, 48 seeded ones of the larger (a wasm pure-tfjs forward is slow).
          for (const v of vars) {
            const r = await checkGradient(() => projectionTerms(run(fused)), v, gFused.grads[v.name]!, {
              maxEntries: 48,
            });
            expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
            expect(r.checked).toBe(Math.min(48, v.size));
            if (name === 'lstm' && variant === 'plain') {
              // The check has teeth: the same gradient scaled by 1.1 fails on every variable.
              const scaled = tf.mul(gFused.grads[v.name]!, 1.1);
              const wrong = await checkGradient(() => projectionTerms(run(fused)), v, scaled, { maxEntries: 48 });
              expect(wrong.ratio, `${v.name} scaled by 1.1`).toBeGreaterThan(1);
              scaled.dispose();
            }
          }
        }
        cell.dispose();
      });
    }
  }
});

/** The terms of a loss that gives every output and state element a distinct, fixed weight. */
function projectionTerms(outs: tf.Tensor[]): tf.Tensor {
  return tf.concat(
    outs.map((t, k) => tf.reshape(tf.mul(t, tf.sin(tf.add(tf.reshape(tf.range(0, t.size), t.shape), k))), [-1])),
  );
}

interface ReluRnnParams {
  x: ArrayLike<number>; // [B, T, I]
  h0: ArrayLike<number>; // [B, H]
  kernel: ArrayLike<number>; // [I, H]
  recurrentKernel: ArrayLike<number>; // [H, H]
  bias: ArrayLike<number>; // [H]
  lengths: number[];
  reverse: boolean;
}

/** A float64 SimpleRNN(relu) layer: h ← relu(x·W + h·U + b) over each example's length (reversed within it). */
function reluRnnReference(p: ReluRnnParams): { out: Float64Array; h: Float64Array } {
  const out = new Float64Array(B * T * H);
  const hFinal = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    let h = Array.from({ length: H }, (_, u) => p.h0[b * H + u] as number);
    const len = p.lengths[b] as number;
    for (let k = 0; k < len; k++) {
      const t = p.reverse ? len - 1 - k : k;
      const next = new Array<number>(H);
      for (let u = 0; u < H; u++) {
        let z = p.bias[u] as number;
        for (let i = 0; i < I; i++) z += (p.x[(b * T + t) * I + i] as number) * (p.kernel[i * H + u] as number);
        for (let j = 0; j < H; j++) z += (h[j] as number) * (p.recurrentKernel[j * H + u] as number);
        next[u] = Math.max(0, z);
      }
      h = next;
      for (let u = 0; u < H; u++) out[(b * T + t) * H + u] = h[u] as number;
    }
    hFinal.set(h, b * H);
  }
  return { out, h: hFinal };
}

/** {@link projectionLoss} of the reference, in float64. */
function reluRnnLoss(p: ReluRnnParams): number {
  const { out, h } = reluRnnReference(p);
  let s = 0;
  out.forEach((v, i) => {
    s += v * Math.sin(i);
  });
  h.forEach((v, i) => {
    s += v * Math.sin(i + 1);
  });
  return s;
}

/** That loss, summed. */
function projectionLoss(outs: tf.Tensor[]): tf.Scalar {
  return tf.sum(projectionTerms(outs)) as tf.Scalar;
}

describe('fused LSTM and GRU whose gate width is a multiple of 256 (their gradients get stride padding)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('pads exactly those widths', () => {
    expect([24, 200, 256, 300, 768, 1024, 1536].map(stridePad)).toEqual([0, 0, 8, 0, 8, 8, 8]);
  });

  const wide: Array<[string, number, () => RecurrentCell]> = [
    ['lstm', 64, () => new LSTMCell({ inputSize: I, units: 64, seed: 5 })],
    ['gru', 256, () => new GRUCell({ inputSize: I, units: 256, seed: 6 })],
  ];
  for (const [name, units, make] of wide)
    for (const lengths of [undefined, [4, 2, 1]]) {
      it(`${name} matches the step loop's every gradient (H = ${units}${lengths ? ', masked' : ''})`, async () => {
        const cell = make();
        const rng = new Rng(11);
        perturbBiases(cell, rng);
        const x = randomNormal(rng, [B, 4, I]);
        const initialState = cell.stateSizes.map((s) => randomNormal(rng, [B, s], 0, 0.5));
        const options = lengths ? { initialState, lengths } : { initialState };
        const fused = new RecurrentLayer(cell, {});
        const looped = new RecurrentLayer(cell, { fused: false });
        const loss = (layer: RecurrentLayer) => (xx: tf.Tensor) => {
          const r = layer.apply(xx, options);
          return projectionLoss([r.output, ...r.state]);
        };
        const vars = Object.values(cell.variables);
        const gFused = tf.variableGrads(() => loss(fused)(x), vars);
        const gLoop = tf.variableGrads(() => loss(looped)(x), vars);
        for (const v of vars) {
          expect(gFused.grads[v.name]!.shape).toEqual(v.shape);
          expect(await maxAbsDiff(gFused.grads[v.name]!, gLoop.grads[v.name]!), v.name).toBeLessThan(1e-4);
        }
        const dx = tf.grad(loss(fused))(x);
        const dxLoop = tf.grad(loss(looped))(x);
        expect(await maxAbsDiff(dx, dxLoop)).toBeLessThan(1e-4);
        cell.dispose();
      });
    }
});
