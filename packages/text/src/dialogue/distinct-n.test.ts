import { describe, expect, it } from 'vitest';
import { distinctN } from './distinct-n.js';

describe('distinctN', () => {
  it('counts distinct n-grams over all texts, lowercased, punctuation as tokens', () => {
    const replies = ['I do not know.', 'I do not know!', 'We must escape.'];
    // 1-grams: i do not know . | i do not know ! | we must escape . → 14 in all, 9 distinct.
    expect(distinctN(replies, 1)).toEqual({ ratio: 9 / 14, unique: 9, total: 14 });
    // 2-grams do not cross texts: 4 + 4 + 3 = 11, of which "i do", "do not", "not know" repeat.
    expect(distinctN(replies, 2)).toEqual({ ratio: 8 / 11, unique: 8, total: 11 });
    expect(distinctN(['Same same.', 'SAME same.'], 1).unique).toBe(2);
  });

  it('is 0 without n-grams and refuses n < 1', () => {
    expect(distinctN(['', 'one'], 2)).toEqual({ ratio: 0, unique: 0, total: 0 });
    expect(() => distinctN(['a'], 0)).toThrow(/n/);
  });
});
