import { TokenizerError } from '@seqgen/core/errors';
import type { BaseTokenizer } from './base-tokenizer.js';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { describe, toJsonRecord } from './tokenizer-json.js';
import { WordTokenizer } from './word-tokenizer.js';

const READERS: Record<string, (json: unknown) => BaseTokenizer> = {
  char: CharTokenizer.fromJSON,
  word: WordTokenizer.fromJSON,
  'byte-bpe': ByteBpeTokenizer.fromJSON,
};

/** Rebuilds any tokenizer of this package from its `toJSON()` output (object or JSON text), dispatching on `type`. */
export function tokenizerFromJSON(input: unknown): CharTokenizer | WordTokenizer | ByteBpeTokenizer {
  const json = toJsonRecord(input);
  const read = typeof json.type === 'string' && Object.hasOwn(READERS, json.type) ? READERS[json.type] : undefined;
  if (read === undefined) {
    throw new TokenizerError(
      'corrupt',
      `tokenizer JSON: unknown type ${describe(json.type)} (expected one of ${Object.keys(READERS).join(', ')})`,
    );
  }
  return read(json) as CharTokenizer | WordTokenizer | ByteBpeTokenizer;
}
