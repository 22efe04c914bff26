import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { Bm25Retriever } from './retrieval-baseline.js';

const entries = [
  { context: 'A: Where do we go next?', reply: 'North, to the Isle of Alduin.' },
  { context: 'A: The orcs are coming from all directions!', reply: 'We must escape!' },
  { context: 'A: What about the elves?', reply: 'The elves will fight.' },
];

describe('Bm25Retriever', () => {
  it('answers with the reply of the nearest context', () => {
    const retriever = new Bm25Retriever(entries);
    expect(retriever.nearest('the ORCS are here').reply).toBe('We must escape!');
    expect(retriever.nearest('and the elves?').index).toBe(2);
    // Idf(term in 1 of 3) = ln(1 + 2.5/1.5); one "next" in an 8-token context (`a : where do we go next ?`); lengths 8, 10, 7.
    const idf = Math.log(1 + 2.5 / 1.5);
    const norm = 1.2 * (1 - 0.75 + (0.75 * 8) / (25 / 3));
    expect(retriever.nearest('next').score).toBeCloseTo((idf * 2.2) / (1 + norm), 10);
  });

  it('falls back to the first entry when nothing matches, and refuses bad settings', () => {
    expect(new Bm25Retriever(entries).nearest('zzz')).toEqual({ index: 0, score: 0, reply: entries[0]?.reply });
    expect(() => new Bm25Retriever([])).toThrow(ConfigError);
    expect(() => new Bm25Retriever(entries, { b: 2 })).toThrow(/b/);
    expect(() => new Bm25Retriever(entries, { k1: -1 })).toThrow(/k1/);
  });
});
