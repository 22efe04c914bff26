import { ConfigError, initBackend, Rng, randomNormal } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecurrentCell } from './cell.js';
import { cellFromConfig } from './config-registry.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';

describe('the cell contract', () => {
  beforeAll(async () => {
    await initBackend();
  });

  const cells: Array<[string, () => RecurrentCell, number[]]> = [
    ['rnn tanh', () => new SimpleRNNCell({ inputSize: 3, units: 5, seed: 1 }), [5]],
    ['rnn relu', () => new SimpleRNNCell({ inputSize: 3, units: 5, seed: 1, activation: 'relu' }), [5]],
    ['lstm', () => new LSTMCell({ inputSize: 3, units: 5, seed: 1 }), [5, 5]],
    ['lstm (projection 2)', () => new LSTMCell({ inputSize: 3, units: 5, seed: 1, projSize: 2 }), [2, 5]],
    ['lstm (layer norm)', () => new LSTMCell({ inputSize: 3, units: 5, seed: 1, layerNorm: true }), [5, 5]],
    ['gru (reset after)', () => new GRUCell({ inputSize: 3, units: 5, seed: 1 }), [5]],
    ['gru (reset before)', () => new GRUCell({ inputSize: 3, units: 5, seed: 1, resetAfter: false }), [5]],
  ];
  for (const [name, make, stateSizes] of cells) {
    it(`${name}: state sizes, zero initial state, one step, and a config that rebuilds the same cell`, async () => {
      const cell = make();
      expect(cell.stateSizes).toEqual(stateSizes);
      const state = cell.initialState(4);
      expect(state.map((s) => s.shape)).toEqual(stateSizes.map((n) => [4, n]));
      for (const s of state) expect(Array.from(await s.data()).every((v) => v === 0)).toBe(true);
      const step = cell.step(randomNormal(new Rng(2), [4, 3]), state);
      expect(step.output.shape).toEqual([4, cell.outputSize]);
      expect(step.state.map((s) => s.shape)).toEqual(state.map((s) => s.shape));
      const copy = cellFromConfig(cell.getConfig(), 1);
      expect(copy.getConfig()).toEqual(cell.getConfig());
      expect(Object.fromEntries(Object.entries(copy.variables).map(([k, v]) => [k, v.shape]))).toEqual(
        Object.fromEntries(Object.entries(cell.variables).map(([k, v]) => [k, v.shape])),
      );
      cell.dispose();
      copy.dispose();
    });
  }

  it('starts the LSTM forget gate at bias 1 (or forgetBias), every other gate at 0', async () => {
    const H = 5;
    const gateBiases = async (cell: LSTMCell) => {
      const b = Array.from(await (cell.variables.bias as tf.Variable).data());
      return [0, 1, 2, 3].map((k) => b.slice(k * H, (k + 1) * H)); // [i, f, o, g], the layout cells keep
    };
    const byDefault = await gateBiases(new LSTMCell({ inputSize: 3, units: H }));
    expect(byDefault[1]).toEqual(new Array(H).fill(1));
    for (const k of [0, 2, 3]) expect(byDefault[k]).toEqual(new Array(H).fill(0));
    const custom = new LSTMCell({ inputSize: 3, units: H, forgetBias: 2.5 });
    expect((await gateBiases(custom))[1]).toEqual(new Array(H).fill(2.5));
    expect(cellFromConfig(custom.getConfig()).getConfig()).toMatchObject({ forgetBias: 2.5 });
  });

  it('refuses an unknown cell type in a config, naming the field', () => {
    const bad = { ...new GRUCell({ inputSize: 3, units: 2 }).getConfig(), type: 'transformer' };
    expect(() => cellFromConfig(bad as never)).toThrow(ConfigError);
    expect(() => cellFromConfig(bad as never)).toThrow(
      /type: unknown cell type "transformer"; registered: .*conv-lstm, gru, lstm, rnn/,
    );
  });
});
