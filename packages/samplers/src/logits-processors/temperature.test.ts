import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { NO_HISTORY } from '../greedy.js';
import { temperatureProcessor } from './temperature.js';

describe('temperatureProcessor', () => {
  it('divides every logit by the temperature', () => {
    const row = Float32Array.from([2, -1, 0.5, Number.NEGATIVE_INFINITY]);
    temperatureProcessor(0.5).process(row, NO_HISTORY);
    expect(Array.from(row)).toEqual([4, -2, 1, Number.NEGATIVE_INFINITY]);
  });

  it('refuses 0 and negative temperatures (0 is greedy, chosen by the strategy)', () => {
    expect(() => temperatureProcessor(0)).toThrow(ConfigError);
    expect(() => temperatureProcessor(-1)).toThrow(/temperature/);
  });
});
