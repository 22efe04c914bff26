import { ConfigError, initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { StackedRNN, type StackedRNNOptions } from './stacked-rnn.js';

describe('StackedRNN.weightShapes', () => {
  beforeAll(async () => {
    await initBackend();
  });

  const cases: StackedRNNOptions[] = [
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2 },
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, projSize: 2, layerNorm: true },
    { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true },
    { cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, merge: 'sum' },
    { cell: 'gru', inputSize: 2, hiddenSize: 4, resetAfter: false },
    { cell: 'rnn', inputSize: 2, hiddenSize: 3, numLayers: 3, activation: 'relu' },
  ];

  it.each(cases)('matches the variables a built stack holds: %o', (options) => {
    const rnn = new StackedRNN(options);
    const built = Object.fromEntries(Object.entries(rnn.variables).map(([k, v]) => [k, v.shape]));
    expect(StackedRNN.weightShapes(options)).toEqual(built);
    expect(Object.keys(StackedRNN.weightShapes(options))).toEqual(Object.keys(built));
    rnn.dispose();
  });

  it('checks options like the constructor and allocates nothing, however large', () => {
    expect(() => StackedRNN.weightShapes({ cell: 'lstm', inputSize: 3, hiddenSize: '4' as never })).toThrow(
      /hiddenSize: must be a positive integer, got "4"/,
    );
    expect(() => StackedRNN.weightShapes({ cell: 'gru', inputSize: 3, hiddenSize: 4, projSize: 2 })).toThrow(
      ConfigError,
    );
    const shapes = StackedRNN.weightShapes({ cell: 'lstm', inputSize: 1e6, hiddenSize: 1e6 });
    expect(shapes['layers.0/kernel']).toEqual([1e6, 4e6]);
  });
});
