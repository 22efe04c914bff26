import { TokenizerError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { checkVocabulary, describeCharacter, findUnknown, type VocabularyLookup } from './out-of-vocabulary.js';

/** A character vocabulary with <unk> (like CharTokenizer with specialTokens ['<unk>']). */
function charTokenizer(chars: string, strict = false): VocabularyLookup {
  const vocab = ['<unk>', ...chars];
  return {
    tokenToId: (t) => (vocab.indexOf(t) >= 0 ? vocab.indexOf(t) : undefined),
    encode: (text) =>
      [...text].map((c, i) => {
        const id = vocab.indexOf(c);
        if (id > 0) return id;
        if (strict) throw new TokenizerError('unknown-token', `unknown character at index ${i}`);
        return 0;
      }),
  };
}

/** Words and single non-word characters, like the app's word tokenizer. */
function wordTokenizer(words: string[]): VocabularyLookup {
  const vocab = ['<unk>', ...words];
  return {
    tokenToId: (t) => (vocab.indexOf(t) >= 0 ? vocab.indexOf(t) : undefined),
    encode: (text) => (text.match(/\w+|\W/g) ?? []).map((p) => Math.max(0, vocab.indexOf(p))),
  };
}

describe('out-of-vocabulary input', () => {
  it('names the characters a char vocabulary lacks', () => {
    const tk = charTokenizer('abcdefghijklmnopqrstuvwxyz ');
    expect(findUnknown('the Æsir and the ØL', tk)).toEqual({ characters: ['Æ', 'Ø', 'L'], words: [] });
    expect(findUnknown('plain text', tk)).toEqual({ characters: [], words: [] });
    expect(findUnknown('€', charTokenizer('a', true)).characters).toEqual(['€']);
    expect(describeCharacter('€')).toBe('"€" (U+20AC)');
  });

  it('names unknown words of a word vocabulary', () => {
    const tk = wordTokenizer(['the', 'whale', ' ', 'w', 'h', 'a', 'l', 'e', 't']);
    expect(findUnknown('the whaleship', tk)).toEqual({ characters: ['s', 'i', 'p'], words: [] });
    expect(findUnknown('the wheel', tk)).toEqual({ characters: [], words: ['wheel'] });
  });

  it('warns, or refuses with strict', () => {
    const tk = charTokenizer('abc ');
    const warnings: string[] = [];
    checkVocabulary('abc Ω', tk, { what: '--prime', warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `--prime holds 1 character ("Ω" (U+03A9)) outside the model's vocabulary; they become <unk>`,
    ]);
    expect(() => checkVocabulary('abc Ω', tk, { what: '--prime', strict: true, warn: () => {} })).toThrow(
      /--prime holds 1 character .* \(--strict refuses them\)/,
    );
    checkVocabulary('abc', tk, { what: '--prime', warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
  });
});
