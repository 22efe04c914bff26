import { ConfigError, ShapeError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { keyframeScores, matchKeyframes, selectKeyframes } from './keyframes.js';

/** A point moving along x at 1 per frame that turns back at frame 4: states [x, y] per frame. */
const turning = Float32Array.from([0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 3, 0, 2, 0, 1, 0]);

describe('keyframes', () => {
  it('scores first differences and, with order 2, changes of direction', () => {
    expect(Array.from(keyframeScores(turning, 8))).toEqual([0, 1, 1, 1, 1, 1, 1, 1]);
    const second = keyframeScores(turning, 8, { order: 2 });
    expect(Array.from(second)).toEqual([0, 0, 0, 0, 2, 0, 0, 0]);
  });

  it('selects the highest peaks at least minGap apart, in time order', () => {
    expect(selectKeyframes([0, 5, 4, 0, 1, 3], 2, 2)).toEqual([1, 5]);
    expect(selectKeyframes([0, 5, 4, 0, 1, 3], 3, 1)).toEqual([1, 2, 5]);
    expect(selectKeyframes([1, 1, 1], 5, 2)).toEqual([0, 2]);
  });

  it('matches keyframes to events within a tolerance', () => {
    expect(matchKeyframes([4, 9], [5], 1)).toEqual({ precision: 0.5, recall: 1 });
    expect(matchKeyframes([4, 9], [5, 14], 0)).toEqual({ precision: 0, recall: 0 });
    expect(matchKeyframes([], [])).toEqual({ precision: 0, recall: 1 });
  });

  it('names bad input', () => {
    expect(() => keyframeScores(turning, 3)).toThrow(ShapeError);
    expect(() => keyframeScores(turning, 8, { order: 3 as never })).toThrow(ConfigError);
    expect(() => selectKeyframes([], 1)).toThrow(/scores/);
    expect(() => selectKeyframes([1], 0)).toThrow(/count/);
    expect(() => matchKeyframes([1], [1], -1)).toThrow(/tolerance/);
  });
});
