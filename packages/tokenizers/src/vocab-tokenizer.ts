import { BaseTokenizer } from './base-tokenizer.js';
import { validateSpecialTokens } from './special-tokens.js';
import {
  checkHeader,
  type JsonRecord,
  readOptional,
  readStringArray,
  TOKENIZER_FORMAT_VERSION,
  toJsonRecord,
} from './tokenizer-json.js';
import type { TokenizerJson } from './types.js';
import { resolveUnknown, type UnknownPolicy } from './unknown-policy.js';
import { Vocabulary } from './vocabulary.js';

/** The fields every vocabulary-list tokenizer (char, word) saves. */
export interface VocabJsonFields {
  json: JsonRecord;
  context: string;
  specialTokens: string[];
  vocab: string[];
  onUnknown: UnknownPolicy;
}

/**
 * A tokenizer whose ordinary tokens are an explicit list (characters, words)
 * with an unknown-token policy, as opposed to byte-level BPE, whose tokens are
 * derived from merges and which has no unknowns.
 */
export abstract class VocabTokenizer extends BaseTokenizer {
  /** What encoding does with an out-of-vocabulary unit: `unk` writes `<unk>`'s id, `throw` throws a TokenizerError. */
  readonly onUnknown: UnknownPolicy;
  /** Every token (special tokens first) and its id, in both directions. */
  protected readonly vocab: Vocabulary;
  /** Id written for an out-of-vocabulary unit; undefined means throw. */
  protected readonly unknownId: number | undefined;

  constructor(what: string, symbols: readonly string[], specialTokens: readonly string[], onUnknown?: UnknownPolicy) {
    const specials = validateSpecialTokens(specialTokens);
    super(specials);
    this.vocab = new Vocabulary([...specials, ...symbols], what);
    this.unknownId = resolveUnknown(onUnknown, specials);
    this.onUnknown = this.unknownId === undefined ? 'throw' : 'unk';
  }

  /** Reads and checks the shared fields of a saved tokenizer of `type`. */
  protected static readVocabJson(input: unknown, type: string): VocabJsonFields {
    const context = `${type} tokenizer JSON`;
    const json = toJsonRecord(input, context);
    checkHeader(json, type);
    return {
      json,
      context,
      specialTokens: readStringArray(json, 'specialTokens', context),
      vocab: readStringArray(json, 'vocab', context),
      // A file without the field was strict when saved: never silently start mapping to <unk>.
      onUnknown: (readOptional(json, 'onUnknown', 'string', context) as UnknownPolicy | undefined) ?? 'throw',
    };
  }

  /** Number of ids: special tokens plus ordinary tokens. */
  get vocabSize(): number {
    return this.vocab.size;
  }

  /** The token an id stands for, or undefined for an id outside the vocabulary. */
  idToToken(id: number): string | undefined {
    return this.vocab.tokenOf(id);
  }

  /** The id of a token's text (special or ordinary), or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.vocab.idOf(token);
  }

  /** The tokenizer as JSON: type, version, special tokens, ordinary vocabulary and unknown policy. */
  toJSON(): TokenizerJson {
    return {
      type: this.type,
      version: TOKENIZER_FORMAT_VERSION,
      specialTokens: [...this.specialTokens],
      vocab: this.vocab.tokens.slice(this.specialTokens.length),
      onUnknown: this.onUnknown,
    };
  }
}
