import { ConfigError, TokenizerError } from '@seqgen/base';
import { assertPositiveInteger } from './base-registry.js';
import { PreTokenizer, type PreTokenizerSpec, preTokenizerFromJSON } from './pre-tokenizer.js';
import { DEFAULT_SPECIAL_TOKENS, validateSpecialTokens } from './special-tokens.js';
import { asCorrupt, readOptional } from './tokenizer-json.js';
import type { JsonValue, TokenizerJson } from './types.js';
import { type UnknownPolicy, unknownTokenError } from './unknown-policy.js';
import { VocabTokenizer } from './vocab-tokenizer.js';

export interface WordTokenizerOptions {
  /** Special tokens, ids 0..n-1. Default `['<pad>', '<unk>', '<bos>', '<eos>']`. */
  specialTokens?: readonly string[];
  /** How text is cut into words. Default `{ type: 'whitespace-punctuation' }`. */
  preTokenizer?: PreTokenizerSpec;
  /** Words missing from the vocabulary: `'unk'` (default when `<unk>` exists) or `'throw'`. */
  onUnknown?: UnknownPolicy;
  /** Written between words by `decode`. Default `' '`. */
  separator?: string;
}

export interface WordTrainOptions extends WordTokenizerOptions {
  /** Largest vocabulary, special tokens included; the most frequent words are kept. Default: no limit. */
  maxVocabSize?: number;
  /** Words seen fewer times than this are left out. Default 1. */
  minCount?: number;
}

/**
 * One token per word. Words are whatever the pre-tokenizer matches; the text
 * between them is dropped and `decode` joins words with `separator`, so a
 * round trip is exact only when the pre-tokenizer keeps all text and the
 * separator is `''`. Out-of-vocabulary words become `<unk>` (or throw).
 */
export class WordTokenizer extends VocabTokenizer {
  /** Always `word`. */
  readonly type = 'word';
  /** Written between words by `decode` (default `' '`). */
  readonly separator: string;
  /** Cuts input text into words before lookup. */
  readonly preTokenizer: PreTokenizer;

  constructor(words: readonly string[], options: WordTokenizerOptions = {}) {
    words.forEach((w, i) => {
      if (typeof w !== 'string' || w.length === 0) {
        throw new TokenizerError('corrupt', `word vocab[${i}] must be a non-empty string, got ${JSON.stringify(w)}`);
      }
    });
    super('word vocab', words, options.specialTokens ?? DEFAULT_SPECIAL_TOKENS, options.onUnknown);
    this.preTokenizer = new PreTokenizer(options.preTokenizer);
    this.separator = options.separator ?? ' ';
    if (typeof this.separator !== 'string') throw new ConfigError('separator', 'expected a string');
  }

  /**
   * Counts the words of a corpus and keeps the most frequent ones (ties broken
   * by first appearance, so the result does not depend on Map internals).
   */
  static train(corpus: string | readonly string[], options: WordTrainOptions = {}): WordTokenizer {
    const { maxVocabSize, minCount = 1 } = options;
    const specials = validateSpecialTokens(options.specialTokens ?? DEFAULT_SPECIAL_TOKENS);
    if (maxVocabSize !== undefined && (!Number.isInteger(maxVocabSize) || maxVocabSize < specials.length)) {
      throw new ConfigError(
        'maxVocabSize',
        `expected an integer ≥ ${specials.length} (the special tokens), got ${maxVocabSize}`,
      );
    }
    assertPositiveInteger('minCount', minCount);
    const pre = new PreTokenizer(options.preTokenizer);
    const counts = new Map<string, number>();
    for (const text of typeof corpus === 'string' ? [corpus] : corpus) {
      pre.forEachWord(text, (w) => counts.set(w, (counts.get(w) ?? 0) + 1));
    }
    const special = new Set(specials);
    let words = [...counts]
      .filter(([w, n]) => n >= minCount && !special.has(w))
      .map(([w, n], order) => ({ w, n, order }))
      .sort((a, b) => b.n - a.n || a.order - b.order)
      .map((e) => e.w);
    if (maxVocabSize !== undefined) words = words.slice(0, maxVocabSize - specials.length);
    return new WordTokenizer(words, { ...options, specialTokens: specials });
  }

  /** Rebuilds a tokenizer from its `toJSON()` output; throws a `corrupt` TokenizerError on malformed JSON. */
  static fromJSON(input: unknown): WordTokenizer {
    const { json, context, specialTokens, vocab, onUnknown } = VocabTokenizer.readVocabJson(input, 'word');
    const separator = readOptional(json, 'separator', 'string', context);
    const preTokenizer = preTokenizerFromJSON(json.preTokenizer, context).spec;
    return asCorrupt(context, () => new WordTokenizer(vocab, { specialTokens, onUnknown, separator, preTokenizer }));
  }

  /** The tokenizer as JSON: the vocabulary fields plus its pre-tokenizer spec and separator. */
  override toJSON(): TokenizerJson {
    return { ...super.toJSON(), preTokenizer: this.preTokenizer.spec as JsonValue, separator: this.separator };
  }

  protected encodeText(text: string, offset: number, out: number[]): void {
    this.preTokenizer.forEachWord(text, (word, index) => {
      // Special tokens were split out before this point, so a hit is always an ordinary word.
      const id = this.vocab.idOf(word) ?? this.unknownId;
      if (id === undefined) throw unknownTokenError('word', word, offset + index);
      out.push(id);
    });
  }

  protected decodeOrdinary(ids: readonly number[], start: number, end: number): string {
    const words = new Array<string>(end - start);
    for (let i = start; i < end; i++) words[i - start] = this.vocab.tokens[ids[i]!]!;
    return words.join(this.separator);
  }
}
