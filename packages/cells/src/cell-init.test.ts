import { ConfigError, initBackend } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellFromConfig } from './config-registry.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { StackedRNN } from './stacked-rnn.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const maxAbs = (xs: number[]) => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const variance = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
};

describe("cells' init option", () => {
  beforeAll(async () => {
    await initBackend();
  });

  it("keras (the default): Glorot input kernel, orthogonal recurrent kernel, zero biases but the forget gate's", () => {
    const H = 16;
    const cell = new LSTMCell({ inputSize: 8, units: H, seed: 1 });
    expect(cell.init).toBe('keras');
    const v = cell.variables;
    expect(maxAbs(values(v.kernel!))).toBeLessThanOrEqual(Math.sqrt(6 / (8 + 4 * H)));
    // Orthogonal [H, 4H]: each row has unit norm.
    const u = values(v.recurrentKernel!);
    const row0 = u.slice(0, 4 * H).reduce((a, b) => a + b * b, 0);
    expect(row0).toBeCloseTo(1, 4);
    const bias = values(v.bias!);
    expect(bias.slice(H, 2 * H).every((b) => b === 1)).toBe(true);
    expect([...bias.slice(0, H), ...bias.slice(2 * H)].every((b) => b === 0)).toBe(true);
    cell.dispose();
  });

  it("pytorch: LSTM kernels uniform in ±1/√H, the bias a sum of two such draws (PyTorch's b_ih + b_hh)", () => {
    const H = 256;
    const k = 1 / Math.sqrt(H);
    const cell = new LSTMCell({ inputSize: 64, units: H, init: 'pytorch', seed: 1 });
    const v = cell.variables;
    for (const name of ['kernel', 'recurrentKernel'] as const) {
      const w = values(v[name]!);
      expect(maxAbs(w)).toBeLessThanOrEqual(k);
      expect(maxAbs(w)).toBeGreaterThan(0.99 * k); // fills the interval: uniform, not Glorot's narrower one
      expect(variance(w)).toBeCloseTo(k ** 2 / 3, 5);
    }
    const bias = values(v.bias!);
    expect(maxAbs(bias)).toBeLessThanOrEqual(2 * k);
    // Var(U₁ + U₂) = 2k²/3 (one draw alone would give k²/3).
    expect(variance(bias) / ((2 * k ** 2) / 3)).toBeGreaterThan(0.85);
    expect(variance(bias) / ((2 * k ** 2) / 3)).toBeLessThan(1.15);
    cell.dispose();
  });

  it('pytorch: forgetBias (default 0 here, 1 with keras) is added to the drawn forget-gate bias', () => {
    const H = 32;
    const options = { inputSize: 4, units: H, init: 'pytorch' as const, seed: 3 };
    const plain = new LSTMCell(options);
    const shifted = new LSTMCell({ ...options, forgetBias: 1 });
    expect(plain.forgetBias).toBe(0);
    expect(new StackedRNN({ cell: 'lstm', inputSize: 4, hiddenSize: 2, init: 'pytorch' }).options.forgetBias).toBe(0);
    expect(new StackedRNN({ cell: 'lstm', inputSize: 4, hiddenSize: 2 }).options.forgetBias).toBe(1);
    const a = values(plain.variables.bias!);
    const b = values(shifted.variables.bias!);
    for (let j = 0; j < 4 * H; j++) expect(b[j]! - a[j]!).toBeCloseTo(j >= H && j < 2 * H ? 1 : 0, 6);
    plain.dispose();
    shifted.dispose();
  });

  it('pytorch: GRU keeps two biases when reset-after, one summed bias when reset-before; RNN likewise', () => {
    const H = 64;
    const k = 1 / Math.sqrt(H);
    const after = new GRUCell({ inputSize: 8, units: H, init: 'pytorch', seed: 1 });
    for (const name of ['kernel', 'recurrentKernel', 'bias', 'recurrentBias'] as const) {
      const w = values(after.variables[name]!);
      expect(maxAbs(w)).toBeLessThanOrEqual(k);
      expect(maxAbs(w)).toBeGreaterThan(0.9 * k);
    }
    const before = new GRUCell({ inputSize: 8, units: H, init: 'pytorch', resetAfter: false, seed: 1 });
    expect(maxAbs(values(before.variables.bias!))).toBeGreaterThan(k); // a sum of two draws reaches past k
    expect(maxAbs(values(before.variables.bias!))).toBeLessThanOrEqual(2 * k);
    const rnn = new SimpleRNNCell({ inputSize: 8, units: H, init: 'pytorch', seed: 1 });
    expect(maxAbs(values(rnn.variables.recurrentKernel!))).toBeLessThanOrEqual(k);
    expect(maxAbs(values(rnn.variables.bias!))).toBeGreaterThan(0);
    for (const c of [after, before, rnn]) c.dispose();
  });

  it('round-trips through configs: cells and StackedRNN rebuild the same draw', () => {
    for (const type of ['lstm', 'gru', 'rnn'] as const) {
      const rnn = new StackedRNN({ cell: type, inputSize: 3, hiddenSize: 5, numLayers: 2, init: 'pytorch', seed: 7 });
      expect(rnn.getConfig().init).toBe('pytorch');
      const cell = rnn.cellsOf(1)[0]!;
      expect(cell.getConfig().init).toBe('pytorch');
      const copy = StackedRNN.fromConfig(JSON.parse(JSON.stringify(rnn.getConfig())));
      for (const [name, w] of Object.entries(rnn.variables)) expect(values(copy.variables[name]!)).toEqual(values(w));
      const rebuilt = cellFromConfig(cell.getConfig(), 4);
      expect(rebuilt.getConfig().init).toBe('pytorch');
      for (const x of [rnn, copy, rebuilt]) x.dispose();
    }
  });

  it('an unknown init is a ConfigError naming init, from constructors and configs', () => {
    expect(() => new LSTMCell({ inputSize: 2, units: 2, init: 'xavier' as never })).toThrow(ConfigError);
    expect(() => new LSTMCell({ inputSize: 2, units: 2, init: 'xavier' as never })).toThrow(
      /init.*"keras", "pytorch".*"xavier"/,
    );
    expect(() => new StackedRNN({ cell: 'gru', inputSize: 2, hiddenSize: 2, init: 'torch' as never })).toThrow(/init/);
    expect(() => cellFromConfig({ type: 'rnn', inputSize: 2, units: 2, init: 'he' })).toThrow(ConfigError);
    expect(() => cellFromConfig({ type: 'gru', inputSize: 2, units: 2, init: 3 })).toThrow(/init/);
  });
});
