import { InputError, vocabularyOf } from '@seqgen/app-kit';
import { ByteBpeTokenizer, CharTokenizer, type SeqgenTokenizer, WordTokenizer } from '@seqgen/tokenizers';

export const TOKENIZER_KINDS = ['char', 'word', 'bpe'] as const;
export type TokenizerKind = (typeof TOKENIZER_KINDS)[number];

/** Unknown characters/words in held-out text or prompts map to this token (never generated). */
export const UNK = '<unk>';

/** Type names in tokenizer JSON for each CLI kind. */
const JSON_TYPES: Record<TokenizerKind, string> = { char: 'char', word: 'word', bpe: 'byte-bpe' };

/** Builds a tokenizer of `kind` from training text only (held-out text never shapes the vocabulary). */
export function buildTokenizer(kind: TokenizerKind, trainText: string): SeqgenTokenizer {
  switch (kind) {
    case 'char':
      return CharTokenizer.fromText(trainText, { specialTokens: [UNK] });
    case 'word':
      // Words and every single non-word character, joined with '': decoding gives the text back exactly.
      return WordTokenizer.train(trainText, {
        maxVocabSize: 8000,
        minCount: 2,
        preTokenizer: { type: 'regex', pattern: '\\w+|\\W' },
        separator: '',
        specialTokens: [UNK],
      });
    case 'bpe':
      return ByteBpeTokenizer.train(trainText, { vocabSize: 512, specialTokens: [] });
  }
}

/** The CLI kind of a loaded tokenizer. */
export function tokenizerKind(tokenizer: SeqgenTokenizer): TokenizerKind {
  const entry = Object.entries(JSON_TYPES).find(([, type]) => type === tokenizer.type);
  if (!entry) throw new InputError(`unsupported tokenizer type "${tokenizer.type}" in the checkpoint`);
  return entry[0] as TokenizerKind;
}

/** Every token string, by id. */
export function vocabulary(tokenizer: SeqgenTokenizer): string[] {
  return vocabularyOf(tokenizer);
}
