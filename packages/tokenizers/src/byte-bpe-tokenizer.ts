import { ConfigError, TokenizerError } from '@seqgen/base';
import { assertPositiveInteger } from './base-registry.js';
import { BaseTokenizer } from './base-tokenizer.js';
import { applyMerges, BYTE_SYMBOLS, MAX_SYMBOLS, type Merge, rankMerges } from './bpe-merges.js';
import { trainBpeMerges } from './bpe-trainer.js';
import { BYTE_NAMES, nameOfBytes } from './byte-symbols.js';
import { compileSplitPattern, GPT2_PATTERN, regexSplit, type SplitPattern } from './regex-split.js';
import {
  DEFAULT_SPECIAL_TOKENS,
  specialTokenPattern,
  splitOnSpecialTokens,
  validateSpecialTokens,
} from './special-tokens.js';
import {
  asCorrupt,
  checkHeader,
  describe,
  readOptional,
  readStringArray,
  TOKENIZER_FORMAT_VERSION,
  toJsonRecord,
} from './tokenizer-json.js';
import type { TokenizerJson } from './types.js';
import { decodeWtf8, encodeWtf8Into, standaloneUtf8Text } from './wtf8.js';

export { GPT2_PATTERN };

/** How a {@link ByteBpeTokenizer} pre-tokenizes and caches, and which special tokens it has. */
export interface ByteBpeOptions {
  /** Special tokens, ids 0..n-1, recognised whole in input and never split. Default `['<pad>', '<unk>', '<bos>', '<eos>']`. */
  specialTokens?: readonly string[];
  /**
   * Pre-tokenization regex source. Default {@link GPT2_PATTERN}, which runs on
   * the native engine; any other runs on RE2 (linear time; no lookaround or
   * backreferences), each match searched for within `RE2_WINDOW` code units.
   */
  pattern?: string;
  /** Pre-tokens whose ids are memoised (the cache is emptied when full). Default 50,000. */
  cacheSize?: number;
}

/** Options of `ByteBpeTokenizer.train`: the target vocabulary size and merge threshold, plus {@link ByteBpeOptions}. */
export interface ByteBpeTrainOptions extends ByteBpeOptions {
  /** Target vocabulary size: special tokens + 256 bytes + merges. */
  vocabSize: number;
  /** Stop merging when the best pair occurs fewer times than this. Default 2. */
  minFrequency?: number;
}

/**
 * GPT-2 style byte-level BPE. Text is turned into bytes (WTF-8: UTF-8, plus a
 * 3-byte form for lone surrogates, see `wtf8.ts`), so any string encodes
 * without an unknown token and decodes back exactly. Ids: special tokens,
 * then the 256 bytes, then one per merge in rank order.
 */
export class ByteBpeTokenizer extends BaseTokenizer {
  /** Always `byte-bpe`. */
  readonly type = 'byte-bpe';
  /** Pre-tokenization regex source: text is cut into its matches before merging (default {@link GPT2_PATTERN}). */
  readonly pattern: string;
  /** The merges in rank order: merge r joins two earlier symbols into symbol 256 + r. */
  readonly merges: readonly Merge[];
  private readonly regex: SplitPattern;
  private readonly ranks: Map<number, number>;
  /** Bytes of every ordinary symbol, indexed by symbol (id − number of special tokens). */
  private readonly symbolBytes: Uint8Array[];
  /**
   * Text of every ordinary symbol whose bytes are well-formed UTF-8 on their own (nearly all of them), else
   * undefined: decoding concatenates these strings and only runs the byte decoder over the rest.
   */
  private readonly symbolText: (string | undefined)[];
  private readonly symbolOfName: Map<string, number>;
  private readonly cache = new Map<string, number[]>();
  private readonly cacheSize: number;
  private scratch = new Uint8Array(1024);

  /** `merges` are symbol pairs (bytes are 0..255, merge r makes symbol 256 + r); each may only use earlier symbols. */
  constructor(merges: readonly Merge[], options: ByteBpeOptions = {}) {
    const specials = validateSpecialTokens(options.specialTokens ?? DEFAULT_SPECIAL_TOKENS);
    super(specials);
    this.pattern = options.pattern ?? GPT2_PATTERN;
    this.regex = compileSplitPattern(this.pattern, 'pattern');
    this.cacheSize = options.cacheSize ?? 50_000;
    if (!Number.isInteger(this.cacheSize) || this.cacheSize < 0) {
      throw new ConfigError('cacheSize', `expected a non-negative integer, got ${this.cacheSize}`);
    }
    if (specials.length + BYTE_SYMBOLS + merges.length > MAX_SYMBOLS) {
      throw new ConfigError('merges', `at most ${MAX_SYMBOLS - BYTE_SYMBOLS - specials.length} merges are supported`);
    }
    this.symbolBytes = BYTE_NAMES.map((_, b) => Uint8Array.of(b));
    this.symbolOfName = new Map(BYTE_NAMES.map((name, b) => [name, b]));
    merges.forEach(([a, b], r) => {
      const left = this.symbolBytes[a];
      const right = this.symbolBytes[b];
      if (!Number.isInteger(a) || !Number.isInteger(b) || left === undefined || right === undefined) {
        throw new TokenizerError('corrupt', `byte-bpe merges[${r}]: [${a}, ${b}] uses a symbol not defined before it`);
      }
      const bytes = new Uint8Array(left.length + right.length);
      bytes.set(left);
      bytes.set(right, left.length);
      const name = nameOfBytes(bytes);
      const existing = this.symbolOfName.get(name);
      if (existing !== undefined) {
        throw new TokenizerError(
          'corrupt',
          `byte-bpe merges[${r}]: duplicate vocab entry ${JSON.stringify(name)} (already symbol ${existing})`,
        );
      }
      this.symbolOfName.set(name, BYTE_SYMBOLS + r);
      this.symbolBytes.push(bytes);
    });
    for (const token of specials) {
      if (this.symbolOfName.has(token)) {
        throw new TokenizerError(
          'corrupt',
          `byte-bpe: special token ${JSON.stringify(token)} is also an ordinary token`,
        );
      }
    }
    this.symbolText = this.symbolBytes.map(standaloneUtf8Text);
    this.merges = merges.map(([a, b]) => [a, b] as const);
    this.ranks = rankMerges(this.merges);
  }

  /** Learns merges from `corpus` until the vocabulary reaches `vocabSize` (or no pair occurs `minFrequency` times). */
  static train(corpus: string | readonly string[], options: ByteBpeTrainOptions): ByteBpeTokenizer {
    const specials = validateSpecialTokens(options.specialTokens ?? DEFAULT_SPECIAL_TOKENS);
    const { vocabSize, minFrequency = 2 } = options;
    const smallest = specials.length + BYTE_SYMBOLS;
    if (!Number.isInteger(vocabSize) || vocabSize < smallest || vocabSize > MAX_SYMBOLS) {
      throw new ConfigError('vocabSize', `expected an integer in [${smallest}, ${MAX_SYMBOLS}], got ${vocabSize}`);
    }
    assertPositiveInteger('minFrequency', minFrequency);
    // Special tokens are cut out first, so that they are never learned as ordinary text.
    const pattern = specialTokenPattern(specials);
    const texts: string[] = [];
    for (const text of typeof corpus === 'string' ? [corpus] : corpus) {
      splitOnSpecialTokens(
        text,
        pattern,
        (chunk) => texts.push(chunk),
        () => {},
      );
    }
    const merges = trainBpeMerges({
      corpus: texts,
      pattern: compileSplitPattern(options.pattern ?? GPT2_PATTERN, 'pattern'),
      maxMerges: vocabSize - smallest,
      minFrequency,
    });
    return new ByteBpeTokenizer(merges, { ...options, specialTokens: specials });
  }

  /** Rebuilds a tokenizer from its `toJSON()` output; throws a `corrupt` TokenizerError on malformed JSON. */
  static fromJSON(input: unknown): ByteBpeTokenizer {
    const context = 'byte-bpe tokenizer JSON';
    const json = toJsonRecord(input, context);
    checkHeader(json, 'byte-bpe');
    const specialTokens = readStringArray(json, 'specialTokens', context);
    const pattern = readOptional(json, 'pattern', 'string', context);
    if (!Array.isArray(json.merges)) {
      throw new TokenizerError(
        'corrupt',
        `${context}: merges must be an array of [left, right] token pairs, got ${describe(json.merges)}`,
      );
    }
    // Merges are saved by token name (GPT-2's printable byte alphabet), so each must name a symbol defined earlier.
    const names = new Map(BYTE_NAMES.map((name, b) => [name, b]));
    const merges = json.merges.map((entry: unknown, r): Merge => {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
        throw new TokenizerError(
          'corrupt',
          `${context}: merges[${r}] must be a pair of token strings, got ${describe(entry)}`,
        );
      }
      const [left, right] = entry as [string, string];
      const a = names.get(left);
      const b = names.get(right);
      if (a === undefined || b === undefined) {
        const missing = a === undefined ? left : right;
        throw new TokenizerError(
          'corrupt',
          `${context}: merges[${r}] references unknown symbol ${JSON.stringify(missing)}`,
        );
      }
      if (!names.has(left + right)) names.set(left + right, BYTE_SYMBOLS + r);
      return [a, b];
    });
    return asCorrupt(context, () => new ByteBpeTokenizer(merges, { specialTokens, pattern }));
  }

  /** Special tokens + 256 bytes + one per merge. */
  get vocabSize(): number {
    return this.specialTokens.length + this.symbolBytes.length;
  }

  /** Special tokens by their text, ordinary tokens in GPT-2's printable byte alphabet (`"Ġthe"` is `" the"`). */
  idToToken(id: number): string | undefined {
    if (!Number.isInteger(id) || id < 0) return undefined;
    if (id < this.specialTokens.length) return this.specialTokens[id];
    const bytes = this.symbolBytes[id - this.specialTokens.length];
    return bytes && nameOfBytes(bytes);
  }

  /** The id of a special token's text or of a token name in GPT-2's printable byte alphabet (`"Ġthe"`). */
  tokenToId(token: string): number | undefined {
    const special = this.specialId(token);
    if (special !== undefined) return special;
    const symbol = this.symbolOfName.get(token);
    return symbol === undefined ? undefined : symbol + this.specialTokens.length;
  }

  /** The bytes an ordinary id stands for (a copy). */
  tokenBytes(id: number): Uint8Array | undefined {
    return this.symbolBytes[id - this.specialTokens.length]?.slice();
  }

  /** The tokenizer as JSON: special tokens, pattern, and merges as pairs of token names. */
  toJSON(): TokenizerJson {
    return {
      type: this.type,
      version: TOKENIZER_FORMAT_VERSION,
      specialTokens: [...this.specialTokens],
      pattern: this.pattern,
      merges: this.merges.map(([a, b]) => [nameOfBytes(this.symbolBytes[a]!), nameOfBytes(this.symbolBytes[b]!)]),
    };
  }

  protected encodeText(text: string, _offset: number, out: number[]): void {
    regexSplit(text, this.regex, (piece) => {
      let ids = this.cache.get(piece);
      if (ids === undefined) {
        ids = this.encodePiece(piece);
        if (this.cache.size >= this.cacheSize) this.cache.clear();
        if (this.cacheSize > 0) this.cache.set(piece, ids);
      }
      for (let i = 0; i < ids.length; i++) out.push(ids[i]!);
    });
  }

  private encodePiece(piece: string): number[] {
    if (this.scratch.length < piece.length * 3) this.scratch = new Uint8Array(piece.length * 3);
    const end = encodeWtf8Into(piece, this.scratch, 0);
    return applyMerges(this.scratch.subarray(0, end), this.ranks, this.specialTokens.length);
  }

  protected decodeOrdinary(ids: readonly number[], start: number, end: number): string {
    // Like gpt-tokenizer, join each token's precomputed text: a token that is well-formed UTF-8 alone decodes the
    // same whatever surrounds it (it cannot complete or be completed by a neighbour's bytes), so only runs of other
    // tokens (partial characters, lone bytes, surrogate forms) go through the byte decoder, together.
    const offset = this.specialTokens.length;
    const texts = this.symbolText;
    let out = '';
    let runStart = -1;
    for (let i = start; i < end; i++) {
      const text = texts[ids[i]! - offset];
      if (text === undefined) {
        if (runStart < 0) runStart = i;
        continue;
      }
      if (runStart >= 0) {
        out += this.decodeBytes(ids, runStart, i);
        runStart = -1;
      }
      out += text;
    }
    return runStart < 0 ? out : out + this.decodeBytes(ids, runStart, end);
  }

  /** Decodes `ids[start..end)` through their bytes, joined first: a character may span several tokens. */
  private decodeBytes(ids: readonly number[], start: number, end: number): string {
    const offset = this.specialTokens.length;
    let total = 0;
    for (let i = start; i < end; i++) total += this.symbolBytes[ids[i]! - offset]!.length;
    const bytes = new Uint8Array(total);
    let at = 0;
    for (let i = start; i < end; i++) {
      const token = this.symbolBytes[ids[i]! - offset]!;
      for (let j = 0; j < token.length; j++) bytes[at++] = token[j]!;
    }
    return decodeWtf8(bytes);
  }
}
