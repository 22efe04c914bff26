import { describe, expect, it } from 'vitest';
import { DOCS } from '../../test/fixtures/setup.js';
import { StreamBatcher, streamBatches } from './stream-batcher.js';

describe('StreamBatcher', () => {
  const docs = [
    [1, 2, 3, 4, 5, 6, 7],
    [10, 11, 12, 13, 14, 15, 16, 17, 18],
  ];

  it('lays the stream out in contiguous lanes, chunk after chunk, targets one ahead', () => {
    const b = new StreamBatcher({ documents: docs, batchSize: 2, seqLength: 3, randomOffset: false });
    // 16 tokens → 15 usable positions → lanes of 7 → 2 chunks of 3 per lane.
    expect(b.batchesPerEpoch).toBe(2);
    const first = b.next();
    const second = b.next();
    // Lane 1 starts 7 positions in, at the second document.
    expect(Array.from(first.inputs)).toEqual([1, 2, 3, 10, 11, 12]);
    expect(Array.from(first.targets)).toEqual([2, 3, 4, 11, 12, 13]);
    // Each lane continues straight on from where batch 0 stopped: the carried state fits.
    expect(Array.from(second.inputs)).toEqual([4, 5, 6, 13, 14, 15]);
    expect(Array.from(second.targets)).toEqual([5, 6, 7, 14, 15, 16]);
    expect(Array.from(first.resets)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(b.next().epoch).toBe(1);
  });

  it('masks predictions across documents and resets state where a document starts', () => {
    const b = new StreamBatcher({ documents: docs, batchSize: 1, seqLength: 5, randomOffset: false });
    b.next();
    const crossing = b.next(); // positions 5..9: 6, 7 | 10, 11, 12
    expect(Array.from(crossing.inputs)).toEqual([6, 7, 10, 11, 12]);
    expect(Array.from(crossing.targets)).toEqual([7, 10, 11, 12, 13]);
    expect(Array.from(crossing.mask)).toEqual([1, 0, 1, 1, 1]); // 7 → 10 is not a prediction
    expect(Array.from(crossing.resets)).toEqual([0, 0, 1, 0, 0]); // the state resets before 10
    expect(crossing.tokens).toBe(4);
  });

  it('draws seeded random epoch offsets and resumes from its saved cursor', () => {
    const a = new StreamBatcher({ documents: DOCS, batchSize: 4, seqLength: 16, seed: 9 });
    const offsets = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const batch = a.next();
      if (batch.index === 0) offsets.add(batch.inputs[0] as number);
    }
    expect(offsets.size).toBeGreaterThan(1); // epochs start at different places
    const state = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 120 }, () => Array.from(a.next().inputs));
    const b = new StreamBatcher({ documents: DOCS, batchSize: 4, seqLength: 16, seed: 1234 });
    b.setState(state);
    expect(Array.from({ length: 120 }, () => Array.from(b.next().inputs))).toEqual(expected);
  });

  it('streamBatches gives one ordered pass for validation', () => {
    const batches = streamBatches({ documents: docs, batchSize: 2, seqLength: 3 });
    expect(batches.map((b) => b.index)).toEqual([0, 1]);
  });
});
