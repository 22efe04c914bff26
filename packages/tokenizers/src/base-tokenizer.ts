import { TokenizerError } from '@seqgen/base';
import { padBatch } from './encode-batch.js';
import {
  BOS_TOKEN,
  EOS_TOKEN,
  PAD_TOKEN,
  specialTokenPattern,
  splitOnSpecialTokens,
  UNK_TOKEN,
} from './special-tokens.js';
import type { DecodeOptions, EncodeBatchOptions, EncodedBatch, SeqgenTokenizer, TokenizerJson } from './types.js';

/**
 * What the three tokenizers share: special tokens take the first ids and are
 * recognised whole in input text (never split), ids are validated on decode,
 * and batching is the same. Subclasses only encode and decode ordinary text.
 */
export abstract class BaseTokenizer implements SeqgenTokenizer {
  /** The tokenizer kind saved in its JSON (`char`, `word`, `byte-bpe`), which selects `fromJSON` on load. */
  abstract readonly type: string;
  /** The special tokens in id order: they take ids `0..specialTokens.length − 1`. */
  readonly specialTokens: readonly string[];
  private readonly specialPattern: RegExp | null;

  constructor(specialTokens: readonly string[]) {
    this.specialTokens = specialTokens;
    this.specialPattern = specialTokenPattern(specialTokens);
  }

  /** Number of ids: special tokens plus ordinary tokens. */
  abstract get vocabSize(): number;
  /** The token an id stands for, or undefined for an id outside the vocabulary. */
  abstract idToToken(id: number): string | undefined;
  /** The id of a token's text (special or ordinary), or undefined when it is not in the vocabulary. */
  abstract tokenToId(token: string): number | undefined;
  /** The tokenizer as versioned, `type`-tagged JSON, from which `fromJSON` rebuilds an equal one. */
  abstract toJSON(): TokenizerJson;
  /** Appends the ids of `text` (which holds no special token) to `out`; `offset` is its index in the whole input. */
  protected abstract encodeText(text: string, offset: number, out: number[]): void;
  /** Decodes `ids[start..end)`, which are all ordinary (non-special) tokens; a range, so that no copy is made. */
  protected abstract decodeOrdinary(ids: readonly number[], start: number, end: number): string;

  /** Id of `<pad>`, or undefined when this tokenizer has no such special token. */
  get padId(): number | undefined {
    return this.specialId(PAD_TOKEN);
  }
  /** Id of `<unk>`, or undefined when this tokenizer has no such special token. */
  get unkId(): number | undefined {
    return this.specialId(UNK_TOKEN);
  }
  /** Id of `<bos>`, or undefined when this tokenizer has no such special token. */
  get bosId(): number | undefined {
    return this.specialId(BOS_TOKEN);
  }
  /** Id of `<eos>`, or undefined when this tokenizer has no such special token. */
  get eosId(): number | undefined {
    return this.specialId(EOS_TOKEN);
  }

  /** Id of a special token, or undefined when this tokenizer was built without it. */
  specialId(token: string): number | undefined {
    const i = this.specialTokens.indexOf(token);
    return i < 0 ? undefined : i;
  }

  /** Splits text into ids; special tokens in the text are recognised whole and get their own ids. */
  encode(text: string): number[] {
    if (typeof text !== 'string') {
      throw new TokenizerError('invalid-input', `encode: text must be a string, got ${typeof text}`);
    }
    const out: number[] = [];
    splitOnSpecialTokens(
      text,
      this.specialPattern,
      (chunk, offset) => this.encodeText(chunk, offset, out),
      (token) => out.push(this.specialTokens.indexOf(token)),
    );
    return out;
  }

  /**
   * Joins ids back into text, writing special tokens as their text unless `skipSpecialTokens`; throws on an id outside
   * `[0, vocabSize)`.
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    if (!Array.isArray(ids) && !ArrayBuffer.isView(ids)) {
      throw new TokenizerError('invalid-input', `decode: ids must be an array of token ids, got ${typeof ids}`);
    }
    const size = this.vocabSize;
    const specials = this.specialTokens.length;
    let out = '';
    let start = 0;
    // Ordinary runs are decoded together: a byte-level token may hold half of a character.
    for (let i = 0; i <= ids.length; i++) {
      const id = ids[i];
      if (i < ids.length) {
        if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= size) {
          throw new TokenizerError(
            'invalid-input',
            `decode: ids[${i}] = ${String(id)} is not a token id in [0, ${size})`,
          );
        }
        if (id >= specials) continue;
      }
      if (i > start) out += this.decodeOrdinary(ids, start, i);
      if (id !== undefined && !options.skipSpecialTokens) out += this.specialTokens[id];
      start = i + 1;
    }
    return out;
  }

  /** Encodes several texts, padded and truncated as `options` ask, with an attention mask. */
  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): EncodedBatch {
    if (!Array.isArray(texts)) {
      throw new TokenizerError('invalid-input', `encodeBatch: texts must be an array of strings, got ${typeof texts}`);
    }
    return padBatch(
      texts.map((text) => this.encode(text)),
      options,
      this.padId,
    );
  }
}
