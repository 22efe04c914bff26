import { ConfigError, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { pearson } from './correlation.js';
import { gateSaturation } from './gate-saturation.js';
import { rankUnits } from './neuron-search.js';
import type { SequenceTrace } from './sequence-trace.js';
import { textFeatures } from './text-features.js';

/** A hand-made LSTM-like trace: 3 units of c over T steps, unit 2 = 2·feature + 1, unit 0 = −feature + noise. */
function traceFrom(feature: number[]): SequenceTrace {
  const T = feature.length;
  const c = new Float32Array(T * 3);
  const f = new Float32Array(T * 3);
  feature.forEach((v, t) => {
    c[t * 3] = -v + (t % 2) * 0.3;
    c[t * 3 + 1] = Math.sin(t * 1.7);
    c[t * 3 + 2] = 2 * v + 1;
    f[t * 3] = 0.05; // always left-saturated
    f[t * 3 + 1] = t < T / 2 ? 0.95 : 0.5; // right-saturated half the time
    f[t * 3 + 2] = 0.5;
  });
  return {
    tokens: feature.map(() => 0),
    steps: T,
    layers: [{ cell: 'lstm', quantities: { c: { size: 3, values: c }, f: { size: 3, values: f } } }],
    nextTokenLogProbs: new Float32Array(T - 1),
  };
}

describe('built-in text features', () => {
  it('marks quotes, columns, brackets, words, vowels and line ends per character', () => {
    const f = textFeatures('a "b(c)" d\nxy');
    expect(Array.from(f['inside-quotes'])).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(f['position-in-line'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2]);
    expect(Array.from(f['bracket-depth'])).toEqual([0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(f['inside-word'])).toEqual([1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
    expect(Array.from(f['after-vowel'])).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(f['line-end-near'])).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(textFeatures('“hi” x')['inside-quotes'])).toEqual([1, 1, 1, 1, 0, 0]);
  });

  it('refuses an empty text', () => {
    expect(thrown(() => textFeatures(''), ShapeError).message).toContain('text must be at least one character');
  });
});

describe('rankUnits', () => {
  const feature = [0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0];
  const trace = traceFrom(feature);

  it('puts the unit that follows the feature first, with correlation 1, then the anti-correlated one', () => {
    const ranked = rankUnits(trace, feature, { top: 3 });
    expect(ranked[0]).toMatchObject({ layer: 0, quantity: 'c', unit: 2 });
    expect(ranked[0]?.correlation).toBeCloseTo(1, 6);
    expect(ranked[1]?.unit).toBe(0);
    expect(ranked[1]?.correlation).toBeLessThan(-0.8);
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.9934, 4);
    expect(pearson([1, 1, 1], [2, 4, 7])).toBe(0);
  });

  it('refuses a feature of the wrong length or with non-finite values, and absent quantities', () => {
    const error = thrown(() => rankUnits(trace, feature.slice(1)), ShapeError);
    expect(error.message).toBe('rankUnits: feature must be 12 values (one per traced step), got 11');
    expect(
      thrown(
        () =>
          rankUnits(
            trace,
            feature.map((v) => v / 0),
          ),
        ShapeError,
      ).argument,
    ).toBe('feature[0]');
    expect(thrown(() => rankUnits(trace, feature, { quantities: ['z'] }), ConfigError).field).toBe('quantities');
  });
});

describe('gateSaturation', () => {
  it('counts the fraction of steps each sigmoid gate is below 0.1 and above 0.9', () => {
    const [forget] = gateSaturation(traceFrom(new Array(10).fill(0)));
    expect(forget?.gate).toBe('f');
    expect(Array.from(forget?.left ?? [])).toEqual([1, 0, 0]);
    expect(Array.from(forget?.right ?? [])).toEqual([0, 0.5, 0]);
    expect(forget?.meanLeft).toBeCloseTo(1 / 3, 6);
    expect(thrown(() => gateSaturation(traceFrom([0, 1]), { low: 0.9, high: 0.1 }), ConfigError).field).toBe(
      'low/high',
    );
  });
});
