import { nativeKernels, setNativeKernels } from '@seqgen/cells';
import { initBackend, Rng, randomNormal } from '@seqgen/core';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedCrossEntropy } from '../fused-cross-entropy.js';
import { AttentionDecoder, setFusedAttention } from './attention-decoder.js';
import { fusedAdditiveAttention } from './fused-additive-attention.js';
import { composedCrossEntropy } from './seq2seq.js';

// The fused training ops of the seq2seq decoder against the composed tfjs
// paths they replace (kept as the reference) and against finite differences.

beforeAll(async () => {
  await initBackend();
});

const inProcess = () => ['wasm', 'cpu'].includes(tf.getBackend());

describe('fused seq2seq training ops', () => {
  /** Runs `body` with @seqgen/native's kernels (where the addon loaded) and without them (the JavaScript loops). */
  const eachKernel = async (body: (kernel: string) => Promise<void>) => {
    const kernels = nativeKernels() ? ['native', 'JavaScript'] : ['JavaScript'];
    for (const kernel of kernels) {
      setNativeKernels(kernel === 'native');
      try {
        await body(kernel);
      } finally {
        setNativeKernels(true);
      }
    }
  };

  it('the fused cross-entropy equals the composed one, with and without label smoothing, padding ignored', () =>
    eachKernel(async (kernel) => {
      const logits = tf.mul(randomNormal(new Rng(1), [2, 3, 7]), 3);
      const targets = tf.tensor2d([1, 6, 0, 3, 3, 2], [2, 3], 'int32');
      const mask = tf.tensor2d([1, 1, 1, 1, 0, 0], [2, 3]);
      for (const epsilon of [0, 0.1]) {
        const fused = fusedCrossEntropy(logits, targets, mask, 4, epsilon);
        if (!inProcess()) {
          expect(fused).toBeUndefined();
          continue;
        }
        const calls = () => nativeKernels()?.nativeCallCounts().crossEntropyBackward ?? 0;
        const before = calls();
        const want = composedCrossEntropy(logits, targets, mask, 4, epsilon);
        expect(Math.abs((fused as tf.Scalar).dataSync()[0]! - want.dataSync()[0]!)).toBeLessThan(1e-5);
        const [got] = tf.grads((x: tf.Tensor) => fusedCrossEntropy(x, targets, mask, 4, epsilon) as tf.Scalar)([
          logits,
        ]);
        const [ref] = tf.grads((x: tf.Tensor) => composedCrossEntropy(x, targets, mask, 4, epsilon))([logits]);
        expect(await maxAbsDiff(got as tf.Tensor, ref as tf.Tensor), `ε = ${epsilon}`).toBeLessThan(1e-6);
        // Padded positions get no gradient at all.
        expect(Math.max(...(await tf.abs(tf.slice(got as tf.Tensor, [1, 1, 0], [1, 2, 7])).data()))).toBe(0);
        expect(calls() > before, kernel).toBe(kernel === 'native');
      }
    }));

  it('the fused Bahdanau step agrees with finite differences, padding getting exactly zero weight', () =>
    eachKernel(async (kernel) => {
      if (!inProcess()) {
        expect(
          fusedAdditiveAttention(
            tf.zeros([1, 1, 1]),
            tf.zeros([1, 1]),
            tf.zeros([1]),
            tf.ones([1, 1]),
            tf.zeros([1, 1, 1]),
          ),
        ).toBeUndefined();
        return;
      }
      const [B, S, U, D] = [2, 4, 3, 5];
      const keys = tf.variable(randomNormal(new Rng(2), [B, S, U]));
      const q = tf.variable(randomNormal(new Rng(3), [B, U]));
      const v = tf.variable(randomNormal(new Rng(4), [U]));
      const memory = tf.variable(randomNormal(new Rng(5), [B, S, D]));
      const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 0, 0], [B, S]);
      const probeW = randomNormal(new Rng(6), [B, S]);
      const probeC = randomNormal(new Rng(7), [B, D]);
      const f = () =>
        tf.tidy(() => {
          const out = fusedAdditiveAttention(
            keys as tf.Tensor as tf.Tensor3D,
            q as tf.Tensor as tf.Tensor2D,
            v as tf.Tensor as tf.Tensor1D,
            mask,
            memory as tf.Tensor as tf.Tensor3D,
          );
          if (!out) throw new Error('the fused step applies on wasm and cpu');
          return tf.concat([
            tf.reshape(tf.mul(out.weights, probeW), [-1]),
            tf.reshape(tf.mul(out.context, probeC), [-1]),
          ]);
        });
      const weights = (await tf.tidy(() => tf.slice(f(), [0], [B * S])).array()) as number[];
      expect(weights[6]).toBe(0);
      expect(weights[7]).toBe(0);
      const calls = () => nativeKernels()?.nativeCallCounts().attentionBackward ?? 0;
      const before = calls();
      const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, [keys, q, v, memory]);
      // The native kernel ran where it was asked for, and only then.
      expect(calls() > before, kernel).toBe(kernel === 'native');
      for (const variable of [keys, q, v, memory]) {
        const r = await checkGradient(f, variable, grads[variable.name] as tf.Tensor, { maxEntries: 16, step: 5e-2 });
        expect(r.ratio, `${kernel}: ${r.worst}`).toBeLessThanOrEqual(1);
      }
      tf.dispose([keys, q, v, memory]);
    }));

  it('teacher-forced decoding with input feeding: the fused path gives the composed path’s logits and gradients', () =>
    eachKernel(async (kernel) => {
      const decoder = new AttentionDecoder({ vocabSize: 11, embeddingSize: 6, hiddenSize: 8, memorySize: 5, seed: 4 });
      const memory = randomNormal(new Rng(8), [3, 4, 5]) as tf.Tensor3D;
      const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0], [3, 4]);
      const ids = tf.tensor2d([1, 4, 9, 2, 1, 3, 3, 10, 1, 0, 7, 5, 1, 8, 6], [3, 5], 'int32');
      const probe = randomNormal(new Rng(9), [3, 5, 11]);
      const vars = Object.values(decoder.variables);
      const run = () => {
        const logits = decoder.forward(ids, { memory, mask }).logits;
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.mul(decoder.forward(ids, { memory, mask }).logits, probe)) as tf.Scalar,
          vars,
        );
        return [logits, ...vars.map((v) => grads[v.name] as tf.Tensor)];
      };
      const fused = run();
      setFusedAttention(false);
      try {
        const composed = run();
        for (let i = 0; i < fused.length; i++) {
          const name = i === 0 ? 'logits' : (vars[i - 1]?.name ?? '');
          expect(await maxAbsDiff(fused[i] as tf.Tensor, composed[i] as tf.Tensor), `${kernel}: ${name}`).toBeLessThan(
            2e-5,
          );
        }
      } finally {
        setFusedAttention(true);
      }
      decoder.dispose();
    }));
});
