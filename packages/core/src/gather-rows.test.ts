import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { gatherRows } from './gather-rows.js';

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
