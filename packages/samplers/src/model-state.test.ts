import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherRows } from './gather-rows.js';
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

describe('gatherRows', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('copies whole rows exactly as tf.gather on axis 0 does, float32 and int32, rows repeated and reordered', async () => {
    const x = tf.tensor3d(
      Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 0.5 - 3),
      [4, 3, 2],
    );
    const ids = tf.tensor1d([3, 0, 0, 2, 3], 'int32');
    const got = gatherRows(x, ids);
    expect(got.shape).toEqual([5, 3, 2]);
    expect(await got.array()).toEqual(await tf.gather(x, ids, 0).array());
    const ints = tf.tensor2d([7, 8, 9, 10], [2, 2], 'int32');
    const picked = gatherRows(ints, tf.tensor1d([1, 1, 0], 'int32'));
    expect(picked.dtype).toBe('int32');
    expect(await picked.array()).toEqual([
      [9, 10],
      [9, 10],
      [7, 8],
    ]);
  });

  it('leaves an index out of range to tf.gather, which refuses it', () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => gatherRows(x, tf.tensor1d([0, 2], 'int32')).dataSync()).toThrow();
  });
});
