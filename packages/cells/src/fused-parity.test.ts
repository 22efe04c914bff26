import { initBackend, Rng, randomNormal } from '@seqgen/core';
import { finiteDifferenceError, maxAbsDiff } from '@seqgen/test-utils';
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

        // The fused gradient agrees with central finite differences.
        for (const v of vars) {
          // relu has kinks: a smaller step keeps the difference on one side of them.
          const eps = name === 'rnn relu' ? 2e-3 : 1e-2;
          const err = await finiteDifferenceError(lossOf(fused), v, gFused.grads[v.name]!, 6, eps);
          expect(err, `${v.name}`).toBeLessThan(2e-2);
        }
        cell.dispose();
      });
    }
  }
});

/** A loss that gives every output and state element a distinct, fixed weight. */
function projectionLoss(outs: tf.Tensor[]): tf.Scalar {
  return tf.addN(
    outs.map((t, k) => tf.sum(tf.mul(t, tf.sin(tf.add(tf.reshape(tf.range(0, t.size), t.shape), k))))),
  ) as tf.Scalar;
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
