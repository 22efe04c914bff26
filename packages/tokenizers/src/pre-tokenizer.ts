import { ConfigError } from '@seqgen/base';
import {
  compileSplitPattern,
  regexSplit,
  type SplitPattern,
  WHITESPACE_PATTERN,
  WHITESPACE_PUNCTUATION_PATTERN,
} from './regex-split.js';
import { asCorrupt, describe } from './tokenizer-json.js';

/**
 * How a word tokenizer cuts text into words. Plain JSON so that it is saved
 * with the vocabulary:
 * - `whitespace`: runs of non-whitespace;
 * - `whitespace-punctuation` (default): runs of letters/digits/marks (with inner
 *   apostrophes, as in "don't"), and every other non-space character alone;
 * - `regex`: every match of `pattern` is a word. It runs on RE2 (linear time;
 *   no lookaround or backreferences; JavaScript's `\s`, `.` and `\p{..}`),
 *   each match searched for within 256 code units (see `regex-split.ts`).
 * Text between words (whitespace, usually) is dropped.
 */
export type PreTokenizerSpec =
  | WhitespacePreTokenizerSpec
  | WhitespacePunctuationPreTokenizerSpec
  | RegexPreTokenizerSpec;

/** A {@link PreTokenizerSpec} whose words are runs of non-whitespace. */
export type WhitespacePreTokenizerSpec = {
  /** Selects the `whitespace` pattern. */
  type: 'whitespace';
};

/**
 * A {@link PreTokenizerSpec} (the default) whose words are runs of letters/digits/marks, with inner apostrophes as in
 * "don't", and every other non-space character alone.
 */
export type WhitespacePunctuationPreTokenizerSpec = {
  /** Selects the `whitespace-punctuation` pattern. */
  type: 'whitespace-punctuation';
};

/** A {@link PreTokenizerSpec} with its own pattern: every match is a word. */
export type RegexPreTokenizerSpec = {
  /** Selects a user pattern. */
  type: 'regex';
  /**
   * The word pattern, JavaScript regex syntax run on RE2 (linear time; no lookaround or backreferences), each match
   * searched for within 256 code units.
   */
  pattern: string;
};

const PATTERNS: Record<'whitespace' | 'whitespace-punctuation', string> = {
  whitespace: WHITESPACE_PATTERN,
  'whitespace-punctuation': WHITESPACE_PUNCTUATION_PATTERN,
};

/** Cuts text into words as its {@link PreTokenizerSpec} says (the word tokenizer's first stage). */
export class PreTokenizer {
  /** The validated spec, saved with a word tokenizer's JSON. */
  readonly spec: PreTokenizerSpec;
  private readonly regex: SplitPattern;

  constructor(spec: PreTokenizerSpec = { type: 'whitespace-punctuation' }) {
    this.spec = validateSpec(spec);
    const pattern = this.spec.type === 'regex' ? this.spec.pattern : PATTERNS[this.spec.type];
    this.regex = compileSplitPattern(pattern, 'preTokenizer.pattern');
  }

  /** Calls `onWord(word, index)` for each word; `index` is its UTF-16 offset in `text`. */
  forEachWord(text: string, onWord: (word: string, index: number) => void): void {
    regexSplit(text, this.regex, (piece, start, matched) => {
      if (matched) onWord(piece, start);
    });
  }

  /** The words of `text`, in order; the text between them is dropped. */
  words(text: string): string[] {
    const out: string[] = [];
    this.forEachWord(text, (w) => out.push(w));
    return out;
  }
}

function validateSpec(spec: unknown): PreTokenizerSpec {
  const s = spec as { type?: unknown; pattern?: unknown } | null;
  if (s === null || typeof s !== 'object')
    throw new ConfigError('preTokenizer', `expected an object, got ${describe(s)}`);
  if (s.type === 'whitespace' || s.type === 'whitespace-punctuation') return { type: s.type };
  if (s.type === 'regex') {
    if (typeof s.pattern !== 'string' || s.pattern.length === 0) {
      throw new ConfigError('preTokenizer.pattern', `expected a non-empty string, got ${describe(s.pattern)}`);
    }
    return { type: 'regex', pattern: s.pattern };
  }
  throw new ConfigError(
    'preTokenizer.type',
    `expected 'whitespace', 'whitespace-punctuation' or 'regex', got ${describe(s.type)}`,
  );
}

/** Reading a saved spec: a bad one is a corrupt file, not a caller's config mistake. */
export function preTokenizerFromJSON(value: unknown, context: string): PreTokenizer {
  return asCorrupt(context, () => new PreTokenizer(value as PreTokenizerSpec));
}
