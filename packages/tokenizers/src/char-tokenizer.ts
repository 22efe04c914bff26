import { TokenizerError } from '@seqgen/base';
import { DEFAULT_SPECIAL_TOKENS } from './special-tokens.js';
import { asCorrupt } from './tokenizer-json.js';
import { type UnknownPolicy, unknownTokenError } from './unknown-policy.js';
import { VocabTokenizer } from './vocab-tokenizer.js';

/** Code units per String.fromCharCode call: well under engines' argument limits. */
const CHUNK = 8192;

/** The special tokens of a {@link CharTokenizer} and what it does with unknown characters. */
export interface CharTokenizerOptions {
  /** Special tokens, ids 0..n-1. Default `['<pad>', '<unk>', '<bos>', '<eos>']`. */
  specialTokens?: readonly string[];
  /** Characters missing from the vocabulary: `'unk'` (default when `<unk>` exists) or `'throw'`. */
  onUnknown?: UnknownPolicy;
}

/**
 * One token per Unicode code point (not per UTF-16 unit, so an emoji is one
 * token). A lone surrogate is a symbol of its own, exactly like any other code
 * point: that keeps `decode(encode(x)) === x` for every JavaScript string.
 */
export class CharTokenizer extends VocabTokenizer {
  /** Always `char`. */
  readonly type = 'char';
  /** Code point → id; a Map over numbers avoids building a one-character string per input character. */
  private readonly byCodePoint: Map<number, number>;

  /** `chars` are the ordinary symbols (one code point each); their ids follow the special tokens. */
  constructor(chars: readonly string[], options: CharTokenizerOptions = {}) {
    chars.forEach((c, i) => {
      if (typeof c !== 'string' || c.length === 0 || String.fromCodePoint(c.codePointAt(0)!) !== c) {
        throw new TokenizerError(
          'corrupt',
          `char vocab[${i}] must be exactly one code point, got ${JSON.stringify(c)}`,
        );
      }
    });
    const specials = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
    super('char vocab', chars, specials, options.onUnknown);
    this.byCodePoint = new Map(chars.map((c, i) => [c.codePointAt(0)!, this.specialTokens.length + i]));
  }

  /** Builds the vocabulary from every distinct code point of `text`, in code point order. */
  static fromText(text: string, options: CharTokenizerOptions = {}): CharTokenizer {
    if (typeof text !== 'string') {
      throw new TokenizerError('invalid-input', `CharTokenizer.fromText: text must be a string, got ${typeof text}`);
    }
    const points = new Set<number>();
    for (const c of text) points.add(c.codePointAt(0)!);
    const chars = [...points].sort((a, b) => a - b).map((p) => String.fromCodePoint(p));
    return new CharTokenizer(chars, options);
  }

  /** Rebuilds a tokenizer from its `toJSON()` output; throws a `corrupt` TokenizerError on malformed JSON. */
  static fromJSON(input: unknown): CharTokenizer {
    const { context, specialTokens, vocab, onUnknown } = VocabTokenizer.readVocabJson(input, 'char');
    return asCorrupt(context, () => new CharTokenizer(vocab, { specialTokens, onUnknown }));
  }

  protected encodeText(text: string, offset: number, out: number[]): void {
    // codePointAt returns the lone surrogate's own value when it is unpaired, so it maps like any code point.
    for (let i = 0; i < text.length; ) {
      const point = text.codePointAt(i)!;
      const id = this.byCodePoint.get(point) ?? this.unknownId;
      if (id === undefined) throw unknownTokenError('character', String.fromCodePoint(point), offset + i);
      out.push(id);
      i += point > 0xffff ? 2 : 1;
    }
  }

  protected decodeOrdinary(ids: readonly number[], start: number, end: number): string {
    // Code units in a typed array, turned into a string a chunk at a time: far faster than
    // concatenating one string per token, and (unlike a UTF-16 TextDecoder) keeps lone surrogates.
    const units = new Uint16Array((end - start) * 2);
    let n = 0;
    for (let i = start; i < end; i++) {
      const token = this.vocab.tokens[ids[i]!]!;
      units[n++] = token.charCodeAt(0);
      if (token.length === 2) units[n++] = token.charCodeAt(1);
    }
    let out = '';
    for (let i = 0; i < n; i += CHUNK) out += String.fromCharCode(...units.subarray(i, Math.min(n, i + CHUNK)));
    return out;
  }
}
