import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeReplacedState, disposeState, gatherState, stateTensors } from './model-state.js';

describe('model state helpers', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('gathers rows of every tensor in a nested state, keeping other leaves', async () => {
    const state = {
      layers: [tf.tensor2d([[1], [2], [3]]), tf.tensor1d([10, 20, 30], 'int32')],
      note: 'kept',
    };
    const before = tf.memory().numTensors;
    const gathered = gatherState(state, [2, 0, 0]);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(gathered.note).toBe('kept');
    expect(await gathered.layers[0]!.array()).toEqual([[3], [1], [1]]);
    expect(await gathered.layers[1]!.array()).toEqual([30, 10, 10]);
    expect(gathered.layers[1]!.dtype).toBe('int32');
    disposeState(state);
    disposeState(gathered);
    expect(tf.memory().numTensors).toBe(before - 2);
  });

  it('disposes only what the next state no longer holds', () => {
    const shared = tf.scalar(1);
    const old = [shared, tf.scalar(2)];
    const next = [shared, tf.scalar(3)];
    disposeReplacedState(old, next);
    expect(old.map((t) => t.isDisposed)).toEqual([false, true]);
    expect(stateTensors(next)).toEqual(next);
    disposeState(next);
  });
});
