import { ConfigError, NonFiniteError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { NonFiniteGuard } from './non-finite-guard.js';

describe('NonFiniteGuard', () => {
  it('scales the rate down per skipped step, resets the count on a good one, and stops after N in a row', () => {
    const guard = new NonFiniteGuard({ maxConsecutive: 2, lrFactor: 0.1 });
    expect(guard.recordSkip()).toBe(1);
    expect(() => guard.check('loss', 1)).not.toThrow();
    guard.recordGood();
    expect(guard.getState()).toEqual({ lrScale: expect.closeTo(0.1, 12), consecutive: 0 });
    guard.recordSkip();
    guard.recordSkip();
    expect(guard.lrScale).toBeCloseTo(0.001, 12);
    expect(() => guard.check('gradient', 9)).toThrow(NonFiniteError);
    const copy = new NonFiniteGuard();
    copy.setState(guard.getState());
    expect(copy.getState()).toEqual(guard.getState());
  });

  it('refuses bad options, naming the field', () => {
    expect(() => new NonFiniteGuard({ maxConsecutive: 0 })).toThrow(ConfigError);
    expect(() => new NonFiniteGuard({ lrFactor: 0 })).toThrow(/nonFinite\.lrFactor/);
    expect(() => new NonFiniteGuard({ lrFactor: 1.5 })).toThrow(/nonFinite\.lrFactor/);
    expect(new NonFiniteGuard({ lrFactor: 1 }).lrFactor).toBe(1);
  });
});
