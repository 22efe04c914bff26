import { TokenizerError } from '@seqgen/core';
import { UsageError } from './errors.js';

/** What {@link findUnknown} needs from a tokenizer. */
export interface VocabularyLookup {
  encode(text: string): number[];
  tokenToId(token: string): number | undefined;
}

/** Pieces of a text that a tokenizer cannot represent (they become `<unk>`). */
export interface UnknownReport {
  /** Distinct characters outside the vocabulary, in order of appearance. */
  characters: string[];
  /** Distinct words outside the vocabulary whose characters are all known (word-level tokenizers). */
  words: string[];
}

/** `"Æ" (U+00C6)`. */
export function describeCharacter(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `${JSON.stringify(c)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

function isUnknown(tokenizer: VocabularyLookup, piece: string, unk: number | undefined): boolean {
  try {
    const ids = tokenizer.encode(piece);
    return unk !== undefined && ids.includes(unk);
  } catch (error) {
    if (error instanceof TokenizerError && error.reason === 'unknown-token') return true;
    throw error;
  }
}

/**
 * Finds the characters (and, for word vocabularies, the words) of `text`
 * that `tokenizer` maps to `unkToken` — or refuses outright. Byte-level
 * tokenizers have no unknowns.
 */
export function findUnknown(text: string, tokenizer: VocabularyLookup, unkToken = '<unk>'): UnknownReport {
  const unk = tokenizer.tokenToId(unkToken);
  const characters: string[] = [];
  const seen = new Set<string>();
  for (const c of text) {
    if (seen.has(c)) continue;
    seen.add(c);
    if (isUnknown(tokenizer, c, unk)) characters.push(c);
  }
  const bad = new Set(characters);
  const words: string[] = [];
  const seenWords = new Set<string>();
  for (const [word] of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
    if (seenWords.has(word) || [...word].some((c) => bad.has(c))) continue;
    seenWords.add(word);
    if ([...word].length > 1 && isUnknown(tokenizer, word, unk)) words.push(word);
  }
  return { characters, words };
}

export interface CheckVocabularyOptions {
  /** The option the text came from, for messages (e.g. `--prime`). */
  what: string;
  /** Refuse instead of warning (`--strict`). */
  strict?: boolean;
  /** Where the warning goes. */
  warn: (message: string) => void;
  unkToken?: string;
}

/**
 * Warns — or with `strict` refuses (a {@link UsageError}) — when `text` holds
 * characters or words outside the model's vocabulary, naming them.
 */
export function checkVocabulary(
  text: string,
  tokenizer: VocabularyLookup,
  options: CheckVocabularyOptions,
): UnknownReport {
  const unkToken = options.unkToken ?? '<unk>';
  const report = findUnknown(text, tokenizer, unkToken);
  const parts: string[] = [];
  const list = (items: string[]) => items.slice(0, 10).join(', ') + (items.length > 10 ? ', …' : '');
  if (report.characters.length) {
    const n = report.characters.length;
    parts.push(`${n} character${n > 1 ? 's' : ''} (${list(report.characters.map(describeCharacter))})`);
  }
  if (report.words.length) {
    const n = report.words.length;
    parts.push(`${n} word${n > 1 ? 's' : ''} (${list(report.words.map((w) => JSON.stringify(w)))})`);
  }
  if (parts.length === 0) return report;
  const message = `${options.what} holds ${parts.join(' and ')} outside the model's vocabulary`;
  if (options.strict) throw new UsageError(`${message} (--strict refuses them)`);
  const unkKnown = tokenizer.tokenToId(unkToken) !== undefined;
  options.warn(`${message}; ${unkKnown ? `they become ${unkToken}` : 'the tokenizer cannot encode them'}`);
  return report;
}
