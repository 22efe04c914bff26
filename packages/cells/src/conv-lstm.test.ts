import { ConfigError, initBackend, Rng, randomNormal } from '@seqgen/core';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvLSTM2DCell } from './conv-lstm-cell.js';
import { ConvLSTM2D } from './conv-lstm-layer.js';
import { LSTMCell } from './lstm-cell.js';
import { RecurrentLayer } from './recurrent-layer.js';

describe('ConvLSTM2D', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('with a 1×1 kernel on 1×1 frames it is exactly an LSTM', async () => {
    const conv = new ConvLSTM2DCell({ inputSize: 3, units: 4, kernelSize: 1, seed: 1 });
    const lstm = new LSTMCell({ inputSize: 3, units: 4 });
    lstm.setWeights({
      kernel: tf.reshape(conv.variables.kernel!, [3, 16]),
      recurrentKernel: tf.reshape(conv.variables.recurrentKernel!, [4, 16]),
      bias: conv.variables.bias!,
    });
    const x = randomNormal(new Rng(2), [2, 5, 3]);
    const ours = new ConvLSTM2D(conv).apply(tf.reshape(x, [2, 5, 1, 1, 3]));
    const ref = new RecurrentLayer(lstm).apply(x);
    expect(await maxAbsDiff(tf.reshape(ours.output, [2, 5, 4]), ref.output)).toBeLessThan(1e-5);
    expect(await maxAbsDiff(tf.reshape(ours.state[1]!, [2, 4]), ref.state[1]!)).toBeLessThan(1e-5);
  });

  it('keeps the spatial layout and trains on this backend (finite differences on a 3×3 kernel)', async () => {
    const cell = new ConvLSTM2DCell({ inputSize: 1, units: 2, kernelSize: 3, seed: 3 });
    const layer = new ConvLSTM2D(cell);
    const frames = randomNormal(new Rng(4), [1, 3, 5, 5, 1]);
    const out = layer.apply(frames, { trace: true });
    expect(out.output.shape).toEqual([1, 3, 5, 5, 2]);
    expect(out.trace?.f?.shape).toEqual([1, 3, 5, 5, 2]);
    expect(new ConvLSTM2D(cell, { returnSequences: false }).apply(frames).output.shape).toEqual([1, 5, 5, 2]);
    const f = () => tf.mul(layer.apply(frames).output, tf.sin(tf.reshape(tf.range(0, 150), [1, 3, 5, 5, 2])));
    const vars = Object.values(cell.variables);
    const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
    for (const v of vars) {
      const r = await checkGradient(f, v, grads[v.name]!, { maxEntries: 32 });
      expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
      expect(r.checked).toBe(Math.min(32, v.size));
    }
  });

  it('refuses even kernels and wrong frame shapes', () => {
    expect(() => new ConvLSTM2DCell({ inputSize: 1, units: 2, kernelSize: 2 })).toThrow(ConfigError);
    const layer = new ConvLSTM2D(new ConvLSTM2DCell({ inputSize: 1, units: 2 }));
    expect(() => layer.apply(tf.zeros([1, 3, 5, 5, 2]))).toThrow(/x must be of shape \[\?, \?, \?, \?, 1\]/);
  });
});
