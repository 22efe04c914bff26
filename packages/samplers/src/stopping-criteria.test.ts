import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { resolveGenerationConfig } from './generation-config.js';
import { createStopChecker } from './stopping-criteria.js';

describe('createStopChecker', () => {
  const decode = (ids: readonly number[]) => ids.map((i) => 'xyz.'[i]).join('');

  it('stops on a stop token, a trailing id sequence or a string in the new text', () => {
    const stop = createStopChecker(resolveGenerationConfig({ stopTokens: [3], stopSequences: [[1, 2], '..'] }), decode);
    expect(stop([])).toBeNull();
    expect(stop([0, 3])).toBe('stop-token');
    expect(stop([0, 1, 2])).toBe('stop-sequence');
    expect(stop([1, 0, 2])).toBeNull();
  });

  it('finds stop strings far into a long output, and needs a decode function for them', () => {
    const stop = createStopChecker(resolveGenerationConfig({ stopSequences: ['zy'] }), decode);
    const long = Array<number>(5000).fill(0);
    expect(stop(long)).toBeNull();
    expect(stop([...long, 2, 1])).toBe('stop-sequence');
    expect(() => createStopChecker(resolveGenerationConfig({ stopSequences: ['zy'] }))).toThrow(ConfigError);
  });
});
