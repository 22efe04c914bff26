import { readFileSync } from 'node:fs';
import { ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { corpusBleu } from './corpus-bleu.js';
import { corpusChrF } from './corpus-chrf.js';
import { tokenize13a } from './tokenize-13a.js';

interface MetricCase {
  name: string;
  hypotheses: string[];
  references: string[][];
}
interface SacreBleuResult {
  name: string;
  bleu: { score: number; precisions: number[]; bp: number; ratio: number; sysLen: number; refLen: number };
  chrf: { score: number };
  tokenized: string[];
}

// Inputs, and sacreBLEU 2.6.0's scores for them (scripts/sacrebleu-reference.py wrote them).
const json = (name: string) => JSON.parse(readFileSync(new URL(`./test-fixtures/${name}`, import.meta.url), 'utf8'));
const cases: MetricCase[] = json('metric-cases.json').cases;
const reference: { results: SacreBleuResult[] } = json('sacrebleu-scores.json');

describe('corpusBleu and corpusChrF against sacreBLEU', () => {
  it('has a sacreBLEU score for every case', () => {
    expect(reference.results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
  });

  for (const [index, testCase] of cases.entries()) {
    it(`matches sacreBLEU: ${testCase.name}`, () => {
      const expected = reference.results[index] as SacreBleuResult;
      const texts = [...testCase.hypotheses, ...testCase.references.flat()];
      expect(texts.map(tokenize13a)).toEqual(expected.tokenized);

      const bleu = corpusBleu(testCase.hypotheses, testCase.references);
      expect(bleu.sysLen).toBe(expected.bleu.sysLen);
      expect(bleu.refLen).toBe(expected.bleu.refLen);
      expect(bleu.score).toBeCloseTo(expected.bleu.score, 6);
      expect(bleu.bp).toBeCloseTo(expected.bleu.bp, 6);
      expect(bleu.ratio).toBeCloseTo(expected.bleu.ratio, 6);
      for (const [n, p] of bleu.precisions.entries()) expect(p).toBeCloseTo(expected.bleu.precisions[n] as number, 6);

      expect(corpusChrF(testCase.hypotheses, testCase.references).score).toBeCloseTo(expected.chrf.score, 6);
    });
  }
});

describe('corpusBleu', () => {
  it('takes one reference string per hypothesis', () => {
    const hyps = ['the quick brown fox', 'save changes'];
    const refs = ['the quick brown fox jumps over the lazy dog', 'save changes to the document before closing'];
    expect(corpusBleu(hyps, refs)).toEqual(
      corpusBleu(
        hyps,
        refs.map((r) => [r]),
      ),
    );
    expect(corpusChrF(hyps, refs)).toEqual(
      corpusChrF(
        hyps,
        refs.map((r) => [r]),
      ),
    );
  });

  it('rejects mismatched or malformed references with ShapeError', () => {
    expect(() => corpusBleu(['a', 'b'], ['a'])).toThrow(ShapeError);
    expect(() => corpusBleu(['a', 'b'], ['a'])).toThrow(
      'corpusBleu: references must be an array of 2 entries (one per hypothesis), got 1 entries',
    );
    expect(() => corpusChrF(['a'], [[]])).toThrow('corpusChrF: references[0] must be a string or a non-empty array');
    expect(() => corpusBleu('a' as unknown as string[], ['a'])).toThrow(ShapeError);
    expect(() => corpusChrF(['a'], [[1 as unknown as string]])).toThrow(ShapeError);
  });

  it('scores an empty corpus as 0', () => {
    expect(corpusBleu([], [])).toMatchObject({ score: 0, sysLen: 0, refLen: 0, ratio: 0 });
    expect(corpusChrF([], []).score).toBe(0);
  });
});
