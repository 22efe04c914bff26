import { describe, expect, it } from 'vitest';
import { NO_HISTORY } from '../greedy.js';
import { bannedTokensProcessor } from './banned-tokens.js';

describe('bannedTokensProcessor', () => {
  it('removes the banned ids only', () => {
    const row = Float32Array.from([1, 2, 3]);
    bannedTokensProcessor([2, 0, 2]).process(row, NO_HISTORY);
    expect(Array.from(row)).toEqual([Number.NEGATIVE_INFINITY, 2, Number.NEGATIVE_INFINITY]);
  });
});
