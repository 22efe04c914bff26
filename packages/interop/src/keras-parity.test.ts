import { fileURLToPath } from 'node:url';
import { GRUCell, LSTMCell, type RecurrentCell, RecurrentLayer, SimpleRNNCell } from '@seqgen/cells';
import { initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU_SWAP_ZR, reorderGates } from './gate-order.js';
import { exportKerasWeights, importKerasWeights } from './keras.js';
import { readSafetensors } from './safetensors.js';

/**
 * tfjs-layers implements Keras's SimpleRNN/LSTM/GRU with Keras's weight
 * layout, so it serves as the Keras reference: Keras-layout weights loaded
 * into both must give the same outputs and final states. (tfjs-layers defaults
 * to Keras 1's hard sigmoid; Keras 2+ uses the sigmoid, as set here.) It has no
 * `reset_after=True` GRU, so that layout is checked against PyTorch's numbers,
 * which Keras's reset-after GRU matches by definition.
 */
const I = 4;
const H = 5;
const cases: Array<[string, () => RecurrentCell, () => tf.layers.Layer]> = [
  [
    'LSTM',
    () => new LSTMCell({ inputSize: I, units: H }),
    () => tf.layers.lstm({ units: H, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' }),
  ],
  [
    'GRU reset_after=false',
    () => new GRUCell({ inputSize: I, units: H, resetAfter: false }),
    () =>
      tf.layers.gru({
        units: H,
        returnSequences: true,
        returnState: true,
        recurrentActivation: 'sigmoid',
        resetAfter: false,
      } as Parameters<typeof tf.layers.gru>[0]),
  ],
  [
    'SimpleRNN',
    () => new SimpleRNNCell({ inputSize: I, units: H }),
    () => tf.layers.simpleRNN({ units: H, returnSequences: true, returnState: true }),
  ],
];

describe('Keras weight layout parity (tfjs-layers as the Keras reference)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const [name, makeCell, makeKeras] of cases) {
    it(`${name}: same weights, same outputs`, async () => {
      const rng = new Rng(31);
      const keras = makeKeras();
      const x = randomNormal(rng, [2, 6, I]);
      keras.apply(x); // builds the layer's weights
      const kerasWeights = keras.getWeights().map((w) => randomNormal(rng, w.shape, 0, 0.5));
      keras.setWeights(kerasWeights);
      const cell = makeCell();
      importKerasWeights(cell, {
        kernel: kerasWeights[0]!,
        recurrentKernel: kerasWeights[1]!,
        bias: kerasWeights[2]!,
      });
      const [kOut, kState] = keras.apply(x) as tf.Tensor[];
      const ours = new RecurrentLayer(cell).apply(x);
      expect(await maxAbsDiff(ours.output, kOut!)).toBeLessThan(1e-5);
      expect(await maxAbsDiff(ours.state[0]!, kState!)).toBeLessThan(1e-5);
      const back = exportKerasWeights(cell);
      expect(await maxAbsDiff(back.kernel, kerasWeights[0]!)).toBe(0);
      expect(await maxAbsDiff(back.recurrentKernel, kerasWeights[1]!)).toBe(0);
      expect(await maxAbsDiff(back.bias, kerasWeights[2]!)).toBe(0);
    });
  }

  it('GRU reset_after=true: Keras layout built from a PyTorch GRU gives PyTorch outputs', async () => {
    const { tensors } = readSafetensors(
      fileURLToPath(new URL('../fixtures/torch-gru-packed.safetensors', import.meta.url)),
    );
    const t = (name: string) => tf.tensor(tensors[name]!.data, tensors[name]!.shape);
    const toKeras = (x: tf.Tensor) => reorderGates(x, 3, GRU_SWAP_ZR); // [r, z, n] → Keras [z, r, h]
    const cell = new GRUCell({ inputSize: 4, units: 5 });
    importKerasWeights(cell, {
      kernel: toKeras(tf.transpose(t('weight_ih_l0'))),
      recurrentKernel: toKeras(tf.transpose(t('weight_hh_l0'))),
      bias: tf.stack([toKeras(t('bias_ih_l0')), toKeras(t('bias_hh_l0'))]),
    });
    const lengths = Array.from(tensors.lengths!.data);
    const ours = new RecurrentLayer(cell).apply(t('input'), { initialState: [tf.squeeze(t('h0'), [0])], lengths });
    expect(await maxAbsDiff(ours.output, t('output'))).toBeLessThan(1e-5);
    expect(await maxAbsDiff(ours.state[0]!, tf.squeeze(t('h_n'), [0]))).toBeLessThan(1e-5);
  });

  it('names the mismatching weight', () => {
    const cell = new GRUCell({ inputSize: I, units: H });
    const bad = { kernel: tf.zeros([I, 3 * H]), recurrentKernel: tf.zeros([H, 3 * H]), bias: tf.zeros([3 * H]) };
    expect(() => importKerasWeights(cell, bad)).toThrow(ShapeError);
    expect(() => importKerasWeights(cell, bad)).toThrow(/bias must be \[2,15\], got \[15\]/);
  });
});
