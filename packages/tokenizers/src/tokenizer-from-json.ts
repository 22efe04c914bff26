import { TokenizerError } from '@seqgen/base';
import { buildFromConfig, isRegisteredConfigType, registerConfigType, registeredConfigTypes } from './base-registry.js';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { asCorrupt, describe, toJsonRecord } from './tokenizer-json.js';
import { WordTokenizer } from './word-tokenizer.js';

/** The tokenizers of this package, by `type`, as core's registry (kind `codec`) builds them. */
const BUILTIN: Record<string, (json: unknown) => CharTokenizer | WordTokenizer | ByteBpeTokenizer> = {
  char: (json) => CharTokenizer.fromJSON(json),
  word: (json) => WordTokenizer.fromJSON(json),
  'byte-bpe': (json) => ByteBpeTokenizer.fromJSON(json),
};

/**
 * Registers this package's tokenizers (`char`, `word`, `byte-bpe`) in core's
 * registry under kind `codec`, where checkpoints' preprocessors are rebuilt
 * from. Idempotent, and a type someone registered first is left as it is.
 * {@link tokenizerFromJSON} calls it, so nothing relies on an import side effect.
 */
export function registerBuiltinTokenizers(): void {
  for (const [type, read] of Object.entries(BUILTIN)) {
    if (!isRegisteredConfigType('codec', type)) registerConfigType('codec', type, read);
  }
}

/**
 * Rebuilds a tokenizer from its `toJSON()` output (object or JSON text) with
 * the factory core's registry holds for its `type` (kind `codec`): this
 * package's tokenizers, or one another package registered. `T` is what the
 * caller knows it to be (default: one of this package's).
 */
export function tokenizerFromJSON<T = CharTokenizer | WordTokenizer | ByteBpeTokenizer>(input: unknown): T {
  const json = toJsonRecord(input);
  registerBuiltinTokenizers();
  if (typeof json.type !== 'string' || !isRegisteredConfigType('codec', json.type)) {
    throw new TokenizerError(
      'corrupt',
      `tokenizer JSON: unknown type ${describe(json.type)} (registered codec types: ${registeredConfigTypes('codec').join(', ')})`,
    );
  }
  // A factory registered by another package may validate with ConfigError: from a file, that is corruption.
  return asCorrupt(`${json.type} tokenizer JSON`, () => buildFromConfig<T>('codec', json));
}
