import { LSTMCell, StackedRNN } from '@seqgen/cells';
import { initBackend, NonFiniteError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportKerasWeights, importKerasWeights } from './keras.js';
import { exportTorchWeights, importTorchWeights } from './pytorch.js';
import { encodeSafetensors, parseSafetensors, type SafeTensor } from './safetensors.js';

beforeAll(async () => {
  await initBackend();
});

/** A state dict as read from a real safetensors file (through the encoder and the reader). */
function stateDictOf(rnn: StackedRNN, poison?: [string, number, number]): Record<string, SafeTensor> {
  const dict = exportTorchWeights(rnn);
  if (poison) dict[poison[0]]!.data[poison[1]] = poison[2];
  return parseSafetensors(encodeSafetensors(dict)).tensors;
}

const weightsOf = (rnn: StackedRNN) => rnn.cellsOf(0)[0]!.variables.kernel!.dataSync().slice();

describe('importers refuse non-finite weights, as loadCheckpoint does', () => {
  it('importTorchWeights: NaN or Inf is a NonFiniteError naming the tensor and index, and nothing changes', () => {
    const source = new StackedRNN({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2 });
    const target = new StackedRNN({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2 });
    const before = weightsOf(target);
    for (const [name, index, value] of [
      ['weight_hh_l1', 5, Number.NaN],
      ['bias_ih_l0', 2, Number.POSITIVE_INFINITY],
      ['weight_ih_l0', 0, Number.NEGATIVE_INFINITY],
    ] as const) {
      const dict = stateDictOf(source, [name, index, value]);
      const run = () => importTorchWeights(target, dict);
      expect(run).toThrow(NonFiniteError);
      expect(run).toThrow(
        `${name}: importTorchWeights: holds ${value} at index ${index}; refusing non-finite weights (pass { allowNonFinite: true } to import them anyway)`,
      );
      try {
        run();
      } catch (error) {
        expect((error as NonFiniteError).what).toBe(name);
      }
      expect(weightsOf(target)).toEqual(before);
    }
    // With a prefix, the error names the key as it is in the file.
    const prefixed = Object.fromEntries(
      Object.entries(stateDictOf(source, ['bias_hh_l0', 1, Number.NaN])).map(([k, v]) => [`rnn.${k}`, v]),
    );
    expect(() => importTorchWeights(target, prefixed, 'rnn.')).toThrow(/^rnn\.bias_hh_l0: /);
    source.dispose?.();
    target.dispose?.();
  });

  it('importTorchWeights: allowNonFinite imports them on request', () => {
    const source = new StackedRNN({ cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 1, resetAfter: true });
    const target = new StackedRNN({ cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 1, resetAfter: true });
    importTorchWeights(target, stateDictOf(source, ['weight_ih_l0', 0, Number.NaN]), '', { allowNonFinite: true });
    expect(target.cellsOf(0)[0]!.variables.kernel!.dataSync().some(Number.isNaN)).toBe(true);
    // A finite file imports as before.
    importTorchWeights(target, stateDictOf(source));
    expect(Array.from(weightsOf(target))).toEqual(Array.from(weightsOf(source)));
  });

  it('importKerasWeights: NaN or Inf is a NonFiniteError naming the weight; allowNonFinite opts in', () => {
    const source = new LSTMCell({ inputSize: 3, units: 2 });
    const target = new LSTMCell({ inputSize: 3, units: 2 });
    const before = target.variables.kernel!.dataSync().slice();
    const weights = exportKerasWeights(source);
    const poisoned = { ...weights, recurrentKernel: tf.fill(weights.recurrentKernel.shape, Number.NaN) };
    expect(() => importKerasWeights(target, poisoned)).toThrow(NonFiniteError);
    expect(() => importKerasWeights(target, poisoned)).toThrow(
      /^recurrentKernel: importKerasWeights: holds NaN at index 0/,
    );
    expect(target.variables.kernel!.dataSync()).toEqual(before);
    const infinite = { ...weights, bias: tf.fill(weights.bias.shape, Number.POSITIVE_INFINITY) };
    expect(() => importKerasWeights(target, infinite)).toThrow(/^bias: importKerasWeights: holds Infinity/);
    importKerasWeights(target, poisoned, { allowNonFinite: true });
    expect(target.variables.recurrentKernel!.dataSync().every(Number.isNaN)).toBe(true);
    tf.dispose([weights.kernel, weights.recurrentKernel, weights.bias, poisoned.recurrentKernel, infinite.bias]);
  });
});
