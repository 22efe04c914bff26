import { describe, expect, it } from 'vitest';
import { NGRAM_UNKNOWN, NgramModel } from './ngram-model.js';

const text = 'the cat sat on the mat. the cat ate the rat. a cat is not a rat. '.repeat(20);

describe('NgramModel (interpolated Kneser-Ney)', () => {
  it('gives a proper distribution over the vocabulary in every context', () => {
    const lm = NgramModel.train(text, { order: 4 });
    for (const ctx of [[], ['t', 'h'], [' ', 'c', 'a'], ['z', 'z', 'z']]) {
      let sum = 0;
      for (const s of lm.vocabulary) sum += lm.probability(ctx, s);
      expect(sum).toBeCloseTo(1, 6);
    }
    expect(lm.vocabulary.has(NGRAM_UNKNOWN)).toBe(true);
  });

  it('predicts seen text better at higher orders, and unseen symbols as unknown', () => {
    const held = 'the rat sat on the cat. ';
    const losses = [1, 2, 3].map((order) => NgramModel.train(text, { order }).evaluate(held).natsPerSymbol);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1] as number);
    const lm = NgramModel.train(text, { order: 3 });
    expect(lm.probability(['t'], 'Ω')).toBe(lm.probability(['t'], NGRAM_UNKNOWN));
    const r = lm.evaluate('thΩ');
    expect(r.symbols).toBe(3);
    expect(r.natsPerSymbol).toBeCloseTo(r.nats / 3, 12);
  });

  it('works on token strings, and refuses bad options', () => {
    const words = text.split(' ');
    const lm = NgramModel.train(words, { order: 2 });
    expect(lm.probability(['the'], 'cat')).toBeGreaterThan(lm.probability(['the'], 'a'));
    expect(() => NgramModel.train(text, { order: 0 })).toThrow(/order: must be a positive integer/);
    expect(() => NgramModel.train('', { order: 2 })).toThrow(/symbols: are empty/);
  });
});
