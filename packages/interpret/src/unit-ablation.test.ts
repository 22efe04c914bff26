import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ablationEffect, withUnitsZeroed } from './unit-ablation.js';

beforeAll(async () => {
  await initBackend();
});

describe('unit ablation', () => {
  const model = new RecurrentLanguageModel({ vocabSize: 7, embeddingSize: 4, hiddenSize: 6, numLayers: 2, seed: 4 });
  const gru = new RecurrentLanguageModel({ vocabSize: 7, embeddingSize: 4, hiddenSize: 6, cell: 'gru', seed: 4 });
  const tied = new RecurrentLanguageModel({ vocabSize: 7, embeddingSize: 6, hiddenSize: 6, tieWeights: true, seed: 4 });
  afterAll(() => {
    for (const m of [model, gru, tied]) m.dispose();
  });
  const ids = [1, 2, 3, 4, 5, 6, 0, 1, 2];
  const logits = () =>
    tf.tidy(() => model.forward(tf.tensor2d([ids], [1, ids.length], 'int32')).logits.arraySync()[0] as number[][]);

  it('zeroing every top unit leaves only the output bias, and the weights come back exactly', () => {
    const weightsBefore = Object.fromEntries(
      Object.entries(model.variables).map(([k, v]) => [k, Array.from(v.dataSync())]),
    );
    const before = tf.memory().numTensors;
    // Give the bias values to see: zeroed hidden units leave logits = bias at every step.
    tf.tidy(() => model.variables['output/bias']?.assign(tf.tensor1d([0.5, -1, 2, 0, 0.25, 1, -0.5])));
    const ablated = withUnitsZeroed(model, { layer: 1, units: [0, 1, 2, 3, 4, 5] }, logits);
    for (const row of ablated)
      expect(row.map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0.5, -1, 2, 0, 0.25, 1, -0.5]);
    tf.tidy(() => model.variables['output/bias']?.assign(tf.zeros([7])));
    expect(tf.memory().numTensors).toBe(before);
    for (const [k, v] of Object.entries(model.variables)) expect(Array.from(v.dataSync())).toEqual(weightsBefore[k]);
  });

  it('zeroing one unit of the bottom layer changes the output', () => {
    const intact = logits();
    const ablated = withUnitsZeroed(model, { layer: 0, units: [3] }, logits);
    const diff = Math.max(...intact.flatMap((row, t) => row.map((v, j) => Math.abs(v - (ablated[t]?.[j] as number)))));
    expect(diff).toBeGreaterThan(1e-4);
  });

  it('splits the loss change between positions where the feature holds and elsewhere', () => {
    const holds = [1, 1, 1, 0, 0, 0, 0, 0, 0];
    const effect = ablationEffect(model, ids, { layer: 0, units: [3] }, holds);
    expect(effect.positionsHolds).toBe(3);
    expect(effect.positionsElsewhere).toBe(5);
    expect(effect.deltaHolds).toBeCloseTo(effect.ablatedLossHolds - effect.lossHolds, 6);
    expect(effect.lossHolds).toBeGreaterThan(0);
    expect(Number.isFinite(effect.deltaElsewhere)).toBe(true);
  });

  it('refuses GRU cells, tied heads, units out of range and a feature of the wrong length', () => {
    expect(thrown(() => withUnitsZeroed(gru, { layer: 0, units: [0] }, () => 0), ConfigError).message).toContain('gru');
    expect(thrown(() => withUnitsZeroed(tied, { layer: 0, units: [0] }, () => 0), ConfigError).message).toContain(
      'tied',
    );
    expect(thrown(() => withUnitsZeroed(model, { layer: 0, units: [6] }, () => 0), ShapeError).argument).toBe('units');
    expect(thrown(() => withUnitsZeroed(model, { layer: 2, units: [0] }, () => 0), ShapeError).argument).toBe('layer');
    expect(thrown(() => ablationEffect(model, ids, { layer: 0, units: [0] }, [1, 0]), ShapeError).message).toContain(
      'holds must be 9 values (one per token), got 2',
    );
  });
});
