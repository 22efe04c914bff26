import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { DOCS, TEXT, VOCAB } from '../../test/fixtures/setup.js';
import { encode } from '../../test/fixtures/text.js';
import { splitByDocument, splitTail } from './split.js';

describe('train/validation split', () => {
  it('by document: disjoint, complete, seeded, and duplicates stay on one side', () => {
    const docs = [...DOCS, DOCS[0] as number[], DOCS[1] as number[]]; // exact duplicates
    const { train, validation } = splitByDocument(docs, { validationFraction: 0.2, seed: 3 });
    expect(new Set([...train, ...validation]).size).toBe(docs.length);
    expect(train.filter((i) => validation.includes(i))).toEqual([]);
    expect(validation.length).toBeGreaterThanOrEqual(Math.round(docs.length * 0.2));
    const content = (ids: number[]) => new Set(ids.map((i) => (docs[i] as number[]).join(',')));
    const trainText = content(train);
    for (const text of content(validation)) expect(trainText.has(text)).toBe(false);
    expect(splitByDocument(docs, { validationFraction: 0.2, seed: 3 })).toEqual({ train, validation });
  });

  it('tail: contiguous held-out end, no shared positions', () => {
    const tokens = Int32Array.from(encode(TEXT, VOCAB));
    const { train, validation, cut } = splitTail(tokens, 0.1);
    expect(train.length + validation.length).toBe(tokens.length);
    expect(Array.from(train)).toEqual(Array.from(tokens.subarray(0, cut)));
    expect(Array.from(validation)).toEqual(Array.from(tokens.subarray(cut)));
  });

  it('refuses fractions outside (0, 1)', () => {
    expect(() => splitByDocument(DOCS, { validationFraction: 1 })).toThrow(ConfigError);
    expect(() => splitTail(new Int32Array(3), 0.5)).toThrow(ConfigError);
  });
});
