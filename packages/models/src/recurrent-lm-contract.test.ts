import { ConfigError, initBackend, type SequenceModel } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type LMState, RecurrentLanguageModel } from './recurrent-lm.js';

beforeAll(async () => {
  await initBackend();
});

describe("RecurrentLanguageModel and core's SequenceModel contract", () => {
  it('is an unconditioned SequenceModel: initialState(batch) works, any condition is refused', () => {
    expectTypeOf<RecurrentLanguageModel>().toExtend<SequenceModel<LMState>>();
    const model = new RecurrentLanguageModel({ vocabSize: 5, embeddingSize: 3, hiddenSize: 4, numLayers: 2 });
    const state = model.initialState(3);
    expect(state.map((s) => s.shape)).toEqual([
      [3, 4],
      [3, 4],
      [3, 4],
      [3, 4],
    ]);
    const memory = tf.zeros([3, 2, 4]);
    expect(() => model.initialState(3, { memory } as never)).toThrow(ConfigError);
    expect(() => model.initialState(3, { memory } as never)).toThrow(/condition: .*takes no condition/);
    expect(() => model.initialState(0)).toThrow('batchSize: must be a positive integer, got 0');
    expect(() => model.initialState(1.5)).toThrow(ConfigError);
    tf.dispose([...state, memory]);
    model.dispose();
  });

  it('names the weights indexed by token id and their axis (vocabulary transfer)', () => {
    const untied = new RecurrentLanguageModel({ vocabSize: 5, embeddingSize: 3, hiddenSize: 4 });
    expect(untied.vocabularyRowAxes()).toEqual({ embedding: 0, 'output/bias': 0, 'output/kernel': 1 });
    // Every named weight exists and has vocabSize entries along its axis.
    for (const [name, axis] of Object.entries(untied.vocabularyRowAxes())) {
      expect(untied.variables[name]?.shape[axis]).toBe(5);
    }
    const tied = new RecurrentLanguageModel({ vocabSize: 5, embeddingSize: 4, hiddenSize: 4, tieWeights: true });
    expect(tied.vocabularyRowAxes()).toEqual({ embedding: 0, 'output/bias': 0 });
    untied.dispose();
    tied.dispose();
  });
});
