import { fusedKernelStatus, linear, StackedRNN, setNativeKernels } from '@seqgen/cells';
import { glorotUniform, initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeDecoder } from './native-decoder.js';

const V = 23;
const E = 6;

describe('native decoder (one call per generated token)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('is unavailable without the native kernels or under a gradient tape', () => {
    const rnn = new StackedRNN({ cell: 'lstm', inputSize: E, hiddenSize: 8, seed: 1 });
    const parts = {
      embedding: tf.zeros([V, E]),
      cells: [rnn.cellsOf(0)[0]!],
      outputKernel: tf.zeros([8, V]),
      outputBias: tf.zeros([V]),
    };
    setNativeKernels(false);
    expect(nativeDecoder(parts)).toBeUndefined();
    setNativeKernels(true);
    tf.variableGrads(() => {
      expect(nativeDecoder(parts)).toBeUndefined();
      return tf.sum(rnn.variables['layers.0/bias']!);
    });
    expect(nativeDecoder(parts) !== undefined).toBe(fusedKernelStatus().native);
    const ln = new StackedRNN({ cell: 'lstm', inputSize: E, hiddenSize: 8, layerNorm: true, seed: 1 });
    expect(nativeDecoder({ ...parts, cells: [ln.cellsOf(0)[0]!] })).toBeUndefined();
    tf.dispose([parts.embedding, parts.outputKernel, parts.outputBias]);
    rnn.dispose();
    ln.dispose();
  });

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    for (const tied of [false, true]) {
      it(`${cell}${tied ? ' (tied head)' : ''}: same logits and state as the tfjs ops (1e-5)`, (ctx) => {
        if (!fusedKernelStatus().native) ctx.skip();
        const rng = new Rng(5);
        const H = tied ? E : 12;
        const rnn = new StackedRNN({ cell, inputSize: E, hiddenSize: H, numLayers: 2, seed: 4 });
        const embedding = glorotUniform(rng, [V, E]);
        const outputKernel = tied ? null : glorotUniform(rng, [H, V]);
        const outputBias = tf.randomUniform([V], -0.1, 0.1, 'float32', 3);
        const cells = [0, 1].map((l) => rnn.cellsOf(l)[0]!);
        const d = nativeDecoder({ embedding, cells, outputKernel, outputBias });
        expect(d).toBeDefined();
        const B = 2;
        let states = rnn.initialState(B);
        const arrays = states.flat().map((s) => s.dataSync().slice() as Float32Array);
        for (const tokens of [
          [3, 0],
          [22, 7],
          [5, 5],
        ]) {
          const ids = Int32Array.from(tokens);
          const logits = d!.step(ids, arrays);
          setNativeKernels(false);
          const ref = tf.tidy(() => {
            const x = tf.gather(embedding, tf.tensor1d(ids, 'int32'));
            const r = rnn.step(x, states);
            const kernel = outputKernel ?? tf.transpose(embedding);
            return { logits: linear(r.output, kernel as tf.Tensor2D, outputBias as tf.Tensor1D), states: r.states };
          });
          setNativeKernels(true);
          const want = ref.logits.dataSync();
          let m = 0;
          for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs((want[i] as number) - (logits[i] as number)));
          expect(m).toBeLessThan(1e-5);
          ref.states.flat().forEach((s, k) => {
            const got = arrays[k] as Float32Array;
            const w = s.dataSync();
            for (let i = 0; i < w.length; i++)
              expect(Math.abs((w[i] as number) - (got[i] as number))).toBeLessThan(1e-5);
          });
          tf.dispose([ref.logits, ...states.flat()]);
          states = ref.states;
        }
        tf.dispose([embedding, outputBias, ...(outputKernel ? [outputKernel] : []), ...states.flat()]);
        rnn.dispose();
      });
    }
  }

  it('10,000 steps: packed once, no native memory growth', async (ctx) => {
    if (!fusedKernelStatus().native) ctx.skip();
    const native = await import('@seqgen/native');
    const rnn = new StackedRNN({ cell: 'lstm', inputSize: E, hiddenSize: 16, numLayers: 2, seed: 4 });
    const parts = {
      embedding: tf.randomUniform([V, E], -1, 1, 'float32', 1),
      cells: [0, 1].map((l) => rnn.cellsOf(l)[0]!),
      outputKernel: tf.randomUniform([16, V], -1, 1, 'float32', 2),
      outputBias: tf.zeros([V]),
    };
    const d = nativeDecoder(parts)!;
    const before = native.nativeMemory();
    const tensors = tf.memory().numTensors;
    const states = [16, 16, 16, 16].map((n) => new Float32Array(n));
    let token = 0;
    for (let i = 0; i < 10_000; i++) {
      expect(nativeDecoder(parts)).toBe(d);
      const logits = d.step(Int32Array.of(token), states);
      token = (i * 7 + (logits[0]! > 0 ? 1 : 0)) % V;
    }
    expect(native.nativeMemory()).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([parts.embedding, parts.outputKernel, parts.outputBias]);
    rnn.dispose();
  });
});
