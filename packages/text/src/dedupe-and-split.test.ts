import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { dedupePairs } from './dedupe-pairs.js';
import { normalizeSentence } from './normalize-source.js';
import type { SentencePair } from './sentence-pair.js';
import { splitPairs } from './split-pairs.js';

describe('dedupePairs', () => {
  const pairs: SentencePair[] = [
    { source: 'Cancel', target: 'Abbrechen' },
    { source: 'cancel ', target: 'Abbrechen' },
    { source: 'Cancel', target: 'Verwerfen' },
    { source: 'Open', target: 'Öffnen' },
    { source: 'Open', target: 'O\u0308ffnen' }, // the same word, decomposed
  ];

  it('drops repeated pairs after normalization, keeping the first and the order', () => {
    expect(dedupePairs(pairs)).toEqual([pairs[0], pairs[2], pairs[3]]);
  });

  it('keeps one pair per source with by: source', () => {
    expect(dedupePairs(pairs, { by: 'source' })).toEqual([pairs[0], pairs[3]]);
    expect(() => dedupePairs(pairs, { by: 'target' as 'source' })).toThrow(ConfigError);
  });
});

describe('splitPairs', () => {
  // 300 pairs over 100 sources, each source translated three ways, as gettext catalogs repeat messages.
  const pairs: SentencePair[] = [];
  for (let i = 0; i < 100; i++) {
    for (let k = 0; k < 3; k++)
      pairs.push({ source: `${k === 1 ? 'Message' : 'message'} ${i}`, target: `Nachricht ${i}.${k}` });
  }

  it('never puts a test or validation source sentence into training', () => {
    const { train, valid, test } = splitPairs(pairs, { test: 0.1, valid: 0.1, seed: 7 });
    expect(train.length + valid.length + test.length).toBe(300);
    expect(test.length).toBeGreaterThanOrEqual(30);
    expect(valid.length).toBeGreaterThanOrEqual(30);
    const trainSources = new Set(train.map((p) => normalizeSentence(p.source)));
    const validSources = new Set(valid.map((p) => normalizeSentence(p.source)));
    expect(test.filter((p) => trainSources.has(normalizeSentence(p.source)))).toEqual([]);
    expect(valid.filter((p) => trainSources.has(normalizeSentence(p.source)))).toEqual([]);
    expect(test.filter((p) => validSources.has(normalizeSentence(p.source)))).toEqual([]);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const a = splitPairs(pairs, { test: 20, seed: 1 });
    expect(splitPairs(pairs, { test: 20, seed: 1 })).toEqual(a);
    expect(splitPairs(pairs, { test: 20, seed: 2 }).test).not.toEqual(a.test);
    expect(a.test).toHaveLength(21); // whole groups of three: 7 sources
    expect(a.valid).toEqual([]);
  });

  it('rejects sizes that are negative, fractional counts or too large', () => {
    expect(() => splitPairs(pairs, { test: -0.1 })).toThrow(ConfigError);
    expect(() => splitPairs(pairs, { test: 2.5 })).toThrow('test: a count must be a whole number, got 2.5');
    expect(() => splitPairs(pairs, { test: 200, valid: 200 })).toThrow('test + valid');
    expect(() => splitPairs(pairs, { test: 0.1, seed: 0.5 })).toThrow(ConfigError);
  });
});
