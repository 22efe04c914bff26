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
  type: string;
  version: number;
  [key: string]: JsonValue;
};

export interface DecodeOptions {
  /** Drop special tokens (`<pad>`, `<bos>`, ...) instead of writing their text. Default false. */
  skipSpecialTokens?: boolean;
}

export interface EncodeBatchOptions {
  /** `'longest'` pads every row to the longest row; a number pads to that length. Default: no padding. */
  padding?: 'longest' | number;
  /** Keep at most this many tokens per row (the first ones). Default: no truncation. */
  truncation?: number;
  /** Id written into padded positions. Default: the id of `<pad>`. */
  padId?: number;
}

export interface EncodedBatch {
  /** One row of ids per input text. */
  ids: number[][];
  /** 1 where `ids` holds a real token, 0 where it holds padding; same shape as `ids`. */
  attentionMask: number[][];
}

/** What callers program against: core's `Tokenizer` (a `DiscreteCodec<string>`) plus batching and vocabulary lookups. */
export interface SeqgenTokenizer {
  readonly type: string;
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: readonly number[], options?: DecodeOptions): string;
  encodeBatch(texts: readonly string[], options?: EncodeBatchOptions): EncodedBatch;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
  toJSON(): TokenizerJson;
}
