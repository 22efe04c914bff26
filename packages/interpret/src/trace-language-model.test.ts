import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitActivations } from './sequence-trace.js';
import { traceLanguageModel } from './trace-language-model.js';

beforeAll(async () => {
  await initBackend();
});

describe('traceLanguageModel', () => {
  const lstm = new RecurrentLanguageModel({ vocabSize: 9, embeddingSize: 4, hiddenSize: 6, numLayers: 2, seed: 5 });
  const gru = new RecurrentLanguageModel({ vocabSize: 9, embeddingSize: 4, hiddenSize: 5, cell: 'gru', seed: 6 });
  afterAll(() => {
    lstm.dispose();
    gru.dispose();
  });
  const ids = [1, 4, 2, 8, 0, 3, 3];

  it('records every layer’s gates and states per step, and the same next-token log-probs as the untraced model', () => {
    const before = tf.memory().numTensors;
    const trace = traceLanguageModel(lstm, ids);
    expect(tf.memory().numTensors).toBe(before);
    expect(trace.steps).toBe(7);
    expect(trace.layers).toHaveLength(2);
    expect(Object.keys(trace.layers[0]?.quantities ?? {}).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
    expect(trace.layers[1]?.quantities.h?.values).toHaveLength(7 * 6);
    // h = o ⊙ tanh(c), step by step.
    const q = trace.layers[1]?.quantities ?? {};
    for (let k = 0; k < 7 * 6; k++) {
      expect(q.h?.values[k]).toBeCloseTo((q.o?.values[k] as number) * Math.tanh(q.c?.values[k] as number), 5);
    }
    const expected = tf.tidy(() => {
      const logits = lstm.forward(tf.tensor2d([ids], [1, 7], 'int32')).logits;
      const logp = tf.logSoftmax(logits).arraySync()[0] as number[][];
      return ids.slice(1).map((next, t) => (logp[t] as number[])[next] as number);
    });
    expected.forEach((lp, t) => {
      expect(trace.nextTokenLogProbs[t]).toBeCloseTo(lp, 5);
    });
    expect(unitActivations(trace, { layer: 1, quantity: 'c', unit: 2 })[3]).toBe(q.c?.values[3 * 6 + 2]);
  });

  it('traces GRU gates r, z, n', () => {
    const trace = traceLanguageModel(gru, ids);
    expect(trace.layers[0]?.cell).toBe('gru');
    expect(Object.keys(trace.layers[0]?.quantities ?? {}).sort()).toEqual(['h', 'n', 'r', 'z']);
  });

  it('refuses a model that does not pass tracing through, and empty or out-of-vocabulary ids', () => {
    const untraced = {
      vocabSize: 9,
      config: { cell: 'lstm' },
      forward: (x: tf.Tensor2D) => lstm.forward(x),
    };
    expect(thrown(() => traceLanguageModel(untraced, ids), ConfigError).message).toContain(
      'does not pass tracing through',
    );
    expect(thrown(() => traceLanguageModel(lstm, []), ShapeError).message).toContain(
      'ids must be at least one token id',
    );
    expect(thrown(() => traceLanguageModel(lstm, [1, 9]), ShapeError).message).toContain(
      'ids[1] must be an integer in [0, 9)',
    );
  });
});
