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
  readonly onUnknown: UnknownPolicy;
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

  get vocabSize(): number {
    return this.vocab.size;
  }

  idToToken(id: number): string | undefined {
    return this.vocab.tokenOf(id);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.idOf(token);
  }

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
