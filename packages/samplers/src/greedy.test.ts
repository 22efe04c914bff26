import { initBackend, NonFiniteError, SeqgenError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GreedySampler, greedyToken } from './greedy.js';
import { bannedTokensProcessor } from './logits-processors/banned-tokens.js';

describe('greedy', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('picks the argmax, lowest id on ties', () => {
    expect(greedyToken(Float32Array.from([0, 2, 1, 2]))).toBe(1);
  });

  it('GreedySampler reads each row of a tensor, after processors', async () => {
    const logits = tf.tensor2d([
      [0, 3, 1],
      [4, 3, 1],
    ]);
    expect(await new GreedySampler().sample(logits)).toEqual([1, 0]);
    expect(await new GreedySampler([bannedTokensProcessor([0])]).sample(logits)).toEqual([1, 1]);
    logits.dispose();
  });

  it('refuses NaN logits, rows with nothing left, and wrong ranks', async () => {
    expect(() => greedyToken(Float32Array.from([0, Number.NaN]))).toThrow(NonFiniteError);
    const err = (() => {
      try {
        greedyToken(Float32Array.from([Number.NEGATIVE_INFINITY]));
      } catch (e) {
        return e as SeqgenError;
      }
    })();
    expect(err).toBeInstanceOf(SeqgenError);
    expect(err?.code).toBe('ERR_SAMPLER_NO_CANDIDATES');
    const flat = tf.tensor1d([1, 2]);
    await expect(new GreedySampler().sample(flat as unknown as tf.Tensor2D)).rejects.toThrow(ShapeError);
    flat.dispose();
  });
});
