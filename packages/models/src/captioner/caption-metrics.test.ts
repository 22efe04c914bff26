import { ShapeError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { captionBleu, captionScores, captionWords, ciderD } from './caption-metrics.js';

describe('CIDEr-D as coco-caption computes it', () => {
  it('is 10 for captions equal to their single, unshared reference', () => {
    expect(ciderD(['a b c d', 'e f g h'], [['a b c d'], ['e f g h']])).toBeCloseTo(10, 10);
  });

  it('matches a value worked out by hand', () => {
    // Image 1: "a b c" against "a b c d"; image 2 exact. No n-gram is in both images' references, so every
    // weight is tf · log 2 and cancels in the cosines. Orders 1–3: 3/(√3·2), 2/(√2·√3), 1/(1·√2); order 4: 0
    // (the caption has no 4-gram). coco-caption's length is the bigram count: 2 vs 3, penalty e^(−1/72).
    const image1 = ((10 * (Math.sqrt(3) / 2 + 2 / Math.sqrt(6) + 1 / Math.sqrt(2) + 0)) / 4) * Math.exp(-1 / 72);
    expect(image1).toBeCloseTo(5.8917, 4);
    expect(ciderD(['a b c', 'e f g h'], [['a b c d'], ['e f g h']])).toBeCloseTo((image1 + 10) / 2, 10);
  });

  it('gives n-grams found in every image no weight, and clips repeated words', () => {
    // "a" is in both images' references: log(2) − log(2) = 0, so "a a a" matches nothing.
    expect(ciderD(['a a a', 'a x y z'], [['a b c'], ['a x y z']])).toBeCloseTo(10 / 2, 10);
    // Two references: the scores against each are averaged.
    const one = ciderD(['a b c d', 'e f g h'], [['a b c d', 'q r s t'], ['e f g h']]);
    expect(one).toBeGreaterThan(6);
    expect(one).toBeLessThan(8);
  });

  it('names a corpus of the wrong shape', () => {
    expect(() => ciderD(['a'], [])).toThrow(ShapeError);
    expect(() => ciderD(['a'], [[]])).toThrow(/references\[0\]/);
    expect(() => captionBleu([], [])).toThrow(ShapeError);
  });
});

describe('BLEU-1…4 as coco-caption computes it', () => {
  it('applies the brevity penalty of the closest reference and no smoothing', () => {
    const [b1, b2, b3, b4] = captionBleu(['a b c'], [['a b c d', 'x y z w v u']]);
    const brevity = Math.exp(1 - 4 / 3);
    expect(b1).toBeCloseTo(brevity, 8);
    expect(b2).toBeCloseTo(brevity, 8);
    expect(b3).toBeCloseTo(brevity, 8);
    // No 4-gram in the caption: coco-caption's tiny constants make BLEU-4 almost 0 rather than undefined.
    expect(b4).toBeLessThan(0.03);
    const half = captionBleu(['a b x y'], [['a b c d']]);
    expect(half[0]).toBeCloseTo(0.5, 8);
    expect(half[1]).toBeCloseTo(Math.sqrt(0.5 * (1 / 3)), 8);
  });

  it('scores words after lower-casing and dropping punctuation', () => {
    expect(captionWords('A Bag, to the left!')).toEqual(['a', 'bag', 'to', 'the', 'left']);
    const scores = captionScores(['A bag.'], [['a bag']]);
    expect(scores.bleu1).toBeCloseTo(1, 8);
    expect(scores.bleu2).toBeCloseTo(1, 8);
  });
});
