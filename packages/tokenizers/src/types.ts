/**
 * The shapes every tokenizer here shares. They mirror core's codec contract
 * (`DiscreteCodec<string>` = `Tokenizer`, and `CodecJson` = `TokenizerJson`)
 * structurally (a test checks that they stay assignable) instead of importing
 * them, because core's main entry brings TensorFlow.js types with it and this
 * package must work without tfjs.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A tokenizer's serialized form (core's `CodecJson`): `type`-tagged with a format version. */
export type TokenizerJson = {
  /** The tokenizer kind (`char`, `word`, `byte-bpe`) whose `fromJSON` reads this. */
  type: string;
  /** Version of the tokenizer JSON layout, checked on load. */
  version: number;
  [key: string]: JsonValue;
};

/** Options of `decode`. */
export interface DecodeOptions {
  /** Drop special tokens (`<pad>`, `<bos>`, ...) instead of writing their text. Default false. */
  skipSpecialTokens?: boolean;
}

/** How `encodeBatch` pads and truncates its rows. */
export interface EncodeBatchOptions {
  /** `'longest'` pads every row to the longest row; a number pads to that length. Default: no padding. */
  padding?: 'longest' | number;
  /** Keep at most this many tokens per row (the first ones). Default: no truncation. */
  truncation?: number;
  /** Id written into padded positions. Default: the id of `<pad>`. */
  padId?: number;
}

/** Ids of several texts, padded as asked, with the mask of real tokens. */
export interface EncodedBatch {
  /** One row of ids per input text. */
  ids: number[][];
  /** 1 where `ids` holds a real token, 0 where it holds padding; same shape as `ids`. */
  attentionMask: number[][];
}

/** What callers program against: core's `Tokenizer` (a `DiscreteCodec<string>`) plus batching and vocabulary lookups. */
export interface SeqgenTokenizer {
  /** The tokenizer kind saved in its JSON (`char`, `word`, `byte-bpe`). */
  readonly type: string;
  /** Number of ids: every id lies in `[0, vocabSize)`. */
  readonly vocabSize: number;
  /** Splits text into token ids; special tokens in the text are recognised whole. */
  encode(text: string): number[];
  /** Joins ids back into text, writing special tokens as their text unless `skipSpecialTokens`. */
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** Encodes several texts, padded and truncated as `options` ask, with an attention mask. */
  encodeBatch(texts: readonly string[], options?: EncodeBatchOptions): EncodedBatch;
  /** The token an id stands for, or undefined for an id outside the vocabulary. */
  idToToken(id: number): string | undefined;
  /** The id of a token's text, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /** The tokenizer as versioned, `type`-tagged JSON from which it can be rebuilt. */
  toJSON(): TokenizerJson;
}
