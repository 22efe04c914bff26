import { Rng } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { DOCS } from '../../test/fixtures/setup.js';
import { bucketByLength } from './bucketing.js';
import { padBatch } from './padded-batch.js';

describe('padBatch', () => {
  it('pads to the longest sequence with a mask', () => {
    const b = padBatch([[5, 6, 7], [8], []], { padId: 0 });
    expect(b.length).toBe(3);
    expect(Array.from(b.ids)).toEqual([5, 6, 7, 8, 0, 0, 0, 0, 0]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(b.lengths)).toEqual([3, 1, 0]);
  });

  it('truncates at maxLength', () => {
    const b = padBatch([[1, 2, 3, 4]], { maxLength: 2 });
    expect(Array.from(b.ids)).toEqual([1, 2]);
  });
});

describe('bucketByLength', () => {
  const lengths = DOCS.map((d) => d.length);

  it('uses every item once and wastes far less padding than random batches', () => {
    const batches = bucketByLength(lengths, { batchSize: 4, boundaries: [50, 100, 200, 400], rng: new Rng(1) });
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    const padding = (bs: number[][]) =>
      bs.reduce(
        (sum, b) =>
          sum +
          Math.max(...b.map((i) => lengths[i] as number)) * b.length -
          b.reduce((s, i) => s + (lengths[i] as number), 0),
        0,
      );
    const random = new Rng(1).shuffle(lengths.map((_, i) => i));
    const randomBatches = Array.from({ length: Math.ceil(random.length / 4) }, (_, k) =>
      random.slice(k * 4, k * 4 + 4),
    );
    expect(padding(batches)).toBeLessThan(padding(randomBatches) / 2);
    for (const b of batches) {
      const bucket = (i: number) => [50, 100, 200, 400].findIndex((x) => (lengths[i] as number) < x);
      expect(new Set(b.map(bucket)).size).toBe(1);
    }
  });

  it('is seeded: same rng seed, same batches', () => {
    const a = bucketByLength(lengths, { batchSize: 3, rng: new Rng(5) });
    const b = bucketByLength(lengths, { batchSize: 3, rng: new Rng(5) });
    expect(a).toEqual(b);
  });
});
