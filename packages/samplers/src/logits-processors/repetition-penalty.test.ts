import { describe, expect, it } from 'vitest';
import { repetitionPenaltyProcessor } from './repetition-penalty.js';

describe('repetitionPenaltyProcessor', () => {
  it('divides positive and multiplies negative logits of seen tokens, once each', () => {
    const row = Float32Array.from([2, -1, 0.5, 3]);
    repetitionPenaltyProcessor(2).process(row, { step: 1, sequence: [0, 1, 1], promptLength: 2 });
    expect(Array.from(row)).toEqual([1, -2, 0.5, 3]);
  });

  it('penalty < 1 rewards repetition; 1 is a no-op', () => {
    const row = Float32Array.from([2, -1]);
    repetitionPenaltyProcessor(0.5).process(row, { step: 0, sequence: [0, 1], promptLength: 2 });
    expect(Array.from(row)).toEqual([4, -0.5]);
    repetitionPenaltyProcessor(1).process(row, { step: 0, sequence: [0, 1], promptLength: 2 });
    expect(Array.from(row)).toEqual([4, -0.5]);
  });
});
