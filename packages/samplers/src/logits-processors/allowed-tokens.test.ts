import { describe, expect, it } from 'vitest';
import { allowedTokensProcessor } from './allowed-tokens.js';

describe('allowedTokensProcessor', () => {
  const ninf = Number.NEGATIVE_INFINITY;

  it('passes the step and the new tokens, and keeps only what is allowed', () => {
    const calls: Array<[number, number[]]> = [];
    const processor = allowedTokensProcessor((step, generated) => {
      calls.push([step, [...generated]]);
      return step === 0 ? null : [1, 3];
    });
    const row = Float32Array.from([5, 6, 7, 8]);
    processor.process(row, { step: 0, sequence: [9, 9], promptLength: 2 });
    expect(Array.from(row)).toEqual([5, 6, 7, 8]);
    processor.process(row, { step: 1, sequence: [9, 9, 2], promptLength: 2 });
    expect(Array.from(row)).toEqual([ninf, 6, ninf, 8]);
    expect(calls).toEqual([
      [0, []],
      [1, [2]],
    ]);
  });

  it('names the field when the function returns something else', () => {
    const processor = allowedTokensProcessor(() => 3 as never);
    expect(() => processor.process(Float32Array.from([0]), { step: 0, sequence: [0], promptLength: 1 })).toThrow(
      /allowedTokens/,
    );
  });
});
