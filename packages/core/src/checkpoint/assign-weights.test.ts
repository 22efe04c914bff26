import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { CheckpointError } from '../errors.js';
import { assignWeights, isTrainerEntry } from './assign-weights.js';
import type { WeightArray } from './weights.js';

const f32 = (shape: number[], values: number[]): WeightArray => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(values),
});

describe('assignWeights', () => {
  beforeAll(async () => {
    await initBackend();
  });

  const model = () => ({
    'dense/kernel': tf.variable(tf.zeros([2, 2])),
    'dense/bias': tf.variable(tf.zeros([2])),
  });

  it('assigns every weight and ignores trainer entries', async () => {
    const vars = model();
    const report = assignWeights(vars, {
      'dense/kernel': f32([2, 2], [1, 2, 3, 4]),
      'dense/bias': f32([2], [5, 6]),
      '@optimizer/dense/kernel/m': f32([2, 2], [0, 0, 0, 0]),
    });
    expect(report).toEqual({ loaded: ['dense/kernel', 'dense/bias'], missing: [], unexpected: [] });
    expect(Array.from(await vars['dense/kernel'].data())).toEqual([1, 2, 3, 4]);
    expect(Array.from(await vars['dense/bias'].data())).toEqual([5, 6]);
    tf.dispose(Object.values(vars));
  });

  it('checks everything before assigning anything, and names each problem and the source', async () => {
    const vars = model();
    const error = (() => {
      try {
        assignWeights(
          vars,
          { 'dense/kernel': f32([3, 2], [1, 2, 3, 4, 5, 6]), 'extra/w': f32([1], [1]) },
          { source: 'runs/a' },
        );
      } catch (e) {
        return e as CheckpointError;
      }
    })();
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error?.reason).toBe('invalid-weights');
    expect(error?.message).toBe(
      'checkpoint runs/a: weights do not fit the model: "dense/kernel" has shape [3,2], the model needs [2,2]; ' +
        'lacks weight "dense/bias"; has weight "extra/w", which the model does not have (its config and weights disagree)',
    );
    expect(Array.from(await vars['dense/kernel'].data())).toEqual([0, 0, 0, 0]);
    const dtype = { 'dense/kernel': { dtype: 'int32', shape: [2, 2], data: Int32Array.of(1, 2, 3, 4) } as WeightArray };
    expect(() => assignWeights(vars, dtype, { allowMissing: true })).toThrow(
      '"dense/kernel" is int32, the model needs float32',
    );
    tf.dispose(Object.values(vars));
  });

  it('transfer learning: missing and unexpected allowed on request, reported either way; include narrows', async () => {
    const vars = model();
    const weights = { 'dense/bias': f32([2], [7, 8]), 'old/head': f32([1], [1]) };
    const report = assignWeights(vars, weights, { allowMissing: true, allowUnexpected: true });
    expect(report).toEqual({ loaded: ['dense/bias'], missing: ['dense/kernel'], unexpected: ['old/head'] });
    expect(Array.from(await vars['dense/bias'].data())).toEqual([7, 8]);
    const none = assignWeights(
      vars,
      { 'dense/bias': f32([2], [1, 1]) },
      {
        allowMissing: true,
        include: (n) => n.startsWith('dense/k'),
      },
    );
    expect(none).toEqual({ loaded: [], missing: ['dense/kernel', 'dense/bias'], unexpected: [] });
    expect(Array.from(await vars['dense/bias'].data())).toEqual([7, 8]);
    tf.dispose(Object.values(vars));
  });

  it('knows trainer entries by their prefix', () => {
    expect(isTrainerEntry('@state/0')).toBe(true);
    expect(isTrainerEntry('lstm/kernel')).toBe(false);
  });
});
