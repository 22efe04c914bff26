import { fusedKernelStatus, setNativeKernels } from '@seqgen/cells';
import { initBackend } from '@seqgen/core';
import { stream } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLanguageModel } from './recurrent-lm.js';

// generation.test.ts checks the tensor count over 1,000 streamed steps on whatever path this
// process runs (the native decoder where @seqgen/native is built). This runs the same check with
// the native kernels turned off, as SEQGEN_NATIVE=0 does, so the pure-tfjs step path is covered
// in every run too.

let model: RecurrentLanguageModel;

beforeAll(async () => {
  await initBackend();
  setNativeKernels(false);
  model = new RecurrentLanguageModel({ vocabSize: 13, embeddingSize: 8, hiddenSize: 16, numLayers: 2, seed: 11 });
});
afterAll(() => {
  model.dispose();
  setNativeKernels(true); // the default; nothing else in this file runs after it
});

describe('generation with the native kernels off (SEQGEN_NATIVE=0)', () => {
  it('keeps the tensor count flat over 1,000 streamed steps on the pure-tfjs step path', async () => {
    expect(fusedKernelStatus().native).toBe(false);
    let steps = 0;
    const counted = Object.create(model) as RecurrentLanguageModel;
    counted.step = (tokens, state) => {
      steps++;
      return model.step(tokens, state);
    };
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    let n = 0;
    for await (const _ of stream(counted, [0, 1], { maxNewTokens: 1000, seed: 5 })) {
      n++;
      if (n % 250 === 0) counts.push(tf.memory().numTensors);
    }
    expect(n).toBe(1000);
    expect(steps).toBe(2 + 1000 - 1);
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
