import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradientTimesInput, integratedGradients } from './saliency.js';

beforeAll(async () => {
  await initBackend();
});

describe('saliency', () => {
  const model = new RecurrentLanguageModel({ vocabSize: 11, embeddingSize: 5, hiddenSize: 8, seed: 2 });
  afterAll(() => model.dispose());
  const ids = [3, 1, 4, 1, 5, 9, 2, 6];

  it('integrated gradients are complete: attributions sum to f(x) − f(baseline)', () => {
    const before = tf.memory().numTensors;
    const ig = integratedGradients(model, ids, { position: 5 }, { steps: 64 });
    expect(tf.memory().numTensors).toBe(before);
    expect(ig.token).toBe(2);
    const difference = ig.output - ig.baselineOutput;
    expect(Math.abs(difference)).toBeGreaterThan(1e-3);
    const sum = ig.attributions.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - difference)).toBeLessThan(0.01 * Math.abs(difference) + 1e-4);
    expect(ig.completenessGap).toBeCloseTo(sum - difference, 6);
    // The model is causal: tokens after the explained step get nothing.
    expect(Array.from(ig.attributions.slice(6))).toEqual([0, 0]);
    // A pad-token baseline is complete too.
    const pad = integratedGradients(model, ids, { position: 5, token: 7 }, { steps: 64, baseline: { token: 0 } });
    const padSum = pad.attributions.reduce((a, b) => a + b, 0);
    expect(Math.abs(padSum - (pad.output - pad.baselineOutput))).toBeLessThan(
      0.01 * Math.abs(pad.output - pad.baselineOutput) + 1e-4,
    );
  });

  it('gradient × input matches a finite difference of the output along the input (first order)', () => {
    const g = gradientTimesInput(model, ids, { position: 4 });
    expect(g.token).toBe(9);
    expect(Array.from(g.attributions.slice(5))).toEqual([0, 0, 0]);
    // Scaling every input embedding by (1 + ε) changes f by ≈ ε Σ attributions.
    const eps = 1e-2;
    const f = (scale: number) =>
      tf.tidy(() => {
        const e = tf.mul(
          tf.expandDims(tf.gather(model.variables.embedding as tf.Tensor2D, ids), 0),
          scale,
        ) as tf.Tensor3D;
        const logits = model.forward(tf.tensor2d([ids], [1, ids.length], 'int32'), { inputEmbeddings: e }).logits;
        return tf.logSoftmax(logits).arraySync()[0]?.[4]?.[9] as number;
      });
    expect(f(1)).toBeCloseTo(g.output, 5);
    const sum = g.attributions.reduce((a, b) => a + b, 0);
    expect((f(1 + eps) - f(1 - eps)) / (2 * eps)).toBeCloseTo(sum, 3);
  });

  it('names bad targets and options', () => {
    expect(thrown(() => gradientTimesInput(model, ids, { position: 8 }), ShapeError).message).toContain(
      'target.position must be an integer in [0, 8)',
    );
    expect(thrown(() => integratedGradients(model, ids, { position: 1 }, { steps: 0 }), ConfigError).field).toBe(
      'steps',
    );
    expect(thrown(() => gradientTimesInput(model, [], { position: 0 }), ShapeError).argument).toBe('ids');
  });
});
