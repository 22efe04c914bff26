import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackedRNN } from '@seqgen/cells';
import { initBackend, ShapeError } from '@seqgen/core';
import { maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportTorchWeights, importTorchWeights } from './pytorch.js';
import { readSafetensors, type SafeTensor } from './safetensors.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const files = readdirSync(fixtures).filter((f) => f.startsWith('torch-') && f.endsWith('.safetensors'));

const toTensor = (t: SafeTensor) => tf.tensor(t.data, t.shape, 'float32');

interface TorchCase {
  cell: 'lstm' | 'gru' | 'rnn';
  input_size: number;
  hidden_size: number;
  num_layers: number;
  bidirectional?: boolean;
  proj_size?: number;
  nonlinearity?: 'tanh' | 'relu';
}

function build(config: TorchCase): StackedRNN {
  return new StackedRNN({
    cell: config.cell,
    inputSize: config.input_size,
    hiddenSize: config.hidden_size,
    numLayers: config.num_layers,
    bidirectional: config.bidirectional ?? false,
    ...(config.proj_size ? { projSize: config.proj_size } : {}),
    ...(config.nonlinearity ? { activation: config.nonlinearity } : {}),
  });
}

/** PyTorch stacks states as `[layers·directions, B, size]`; seqgen keeps one list per layer. */
function torchStates(rnn: StackedRNN, tensors: Record<string, SafeTensor>, h: string, c: string): tf.Tensor[][] {
  const hs = tf.unstack(toTensor(tensors[h]!));
  const cs = tensors[c] ? tf.unstack(toTensor(tensors[c]!)) : undefined;
  const D = rnn.options.bidirectional ? 2 : 1;
  return rnn.layers.map((_, l) =>
    Array.from({ length: D }).flatMap((_, d) => (cs ? [hs[l * D + d]!, cs[l * D + d]!] : [hs[l * D + d]!])),
  );
}

describe('PyTorch parity (fixtures written by real PyTorch)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('has fixtures for every cell type', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    it(`${file}: outputs and final states match to 1e-5`, async () => {
      const { tensors, metadata } = readSafetensors(join(fixtures, file));
      const config = JSON.parse(metadata.config as string) as TorchCase;
      const rnn = build(config);
      importTorchWeights(rnn, tensors);
      const lengths = tensors.lengths ? Array.from(tensors.lengths.data) : undefined;
      const result = rnn.apply(toTensor(tensors.input!), {
        initialState: torchStates(rnn, tensors, 'h0', 'c0'),
        ...(lengths ? { lengths } : {}),
      });
      expect(await maxAbsDiff(result.output, toTensor(tensors.output!))).toBeLessThan(1e-5);
      const expected = torchStates(rnn, tensors, 'h_n', 'c_n');
      for (let l = 0; l < expected.length; l++) {
        for (let k = 0; k < expected[l]!.length; k++) {
          expect(await maxAbsDiff(result.states[l]![k]!, expected[l]![k]!)).toBeLessThan(1e-5);
        }
      }
      // Export gives back PyTorch's state dict (LSTM/RNN biases folded into bias_ih).
      const exported = exportTorchWeights(rnn);
      for (const [name, t] of Object.entries(exported)) {
        const original = tensors[name]!;
        expect(t.shape).toEqual(original.shape);
        if (name.startsWith('bias_') && config.cell !== 'gru') continue;
        expect(await maxAbsDiff(tf.tensor(t.data), tf.tensor(original.data))).toBeLessThan(1e-6);
      }
      rnn.dispose();
    });
  }

  it('refuses a state dict of the wrong shape or with missing weights, changing nothing', async () => {
    const { tensors } = readSafetensors(join(fixtures, 'torch-lstm-2layer.safetensors'));
    const rnn = new StackedRNN({ cell: 'lstm', inputSize: 5, hiddenSize: 6, numLayers: 2 });
    const before = await rnn.variables['layers.0/kernel']!.data();
    expect(() => importTorchWeights(rnn, tensors)).toThrow(ShapeError);
    expect(() => importTorchWeights(rnn, tensors)).toThrow(/weight_ih_l0 must be \[24,5\], got \[28,5\]/);
    const { weight_hh_l1: _dropped, ...partial } = tensors;
    const right = new StackedRNN({ cell: 'lstm', inputSize: 5, hiddenSize: 7, numLayers: 2 });
    expect(() => importTorchWeights(right, partial)).toThrow(/weight_hh_l1 must be present in the state dict/);
    expect(Array.from(await rnn.variables['layers.0/kernel']!.data())).toEqual(Array.from(before));
    const one = new StackedRNN({ cell: 'lstm', inputSize: 5, hiddenSize: 7, numLayers: 1 });
    expect(() => importTorchWeights(one, tensors)).toThrow(/unexpected weight_ih_l1/);
  });
});
