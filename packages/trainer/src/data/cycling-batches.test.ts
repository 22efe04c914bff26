import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { CyclingBatches } from './cycling-batches.js';

describe('CyclingBatches', () => {
  it('wraps around and resumes from its saved position', () => {
    const source = new CyclingBatches(['a', 'b', 'c']);
    expect([source.next(), source.next(), source.next(), source.next()]).toEqual(['a', 'b', 'c', 'a']);
    const saved = source.getState();
    const resumed = new CyclingBatches(['a', 'b', 'c']);
    resumed.setState(saved);
    expect(resumed.next()).toBe('b');
    expect(() => new CyclingBatches([])).toThrow(ConfigError);
  });
});
