import { BinaryHeap } from './binary-heap.js';
import { BYTE_SYMBOLS, MAX_SYMBOLS, type Merge, pairKey } from './bpe-merges.js';
import { regexSplit, type SplitPattern } from './regex-split.js';
import { encodeWtf8 } from './wtf8.js';

export interface BpeTrainInput {
  /** Texts to learn from (already free of special tokens). */
  corpus: readonly string[];
  /** Pre-tokenization regex (global, Unicode); merges never cross pre-token boundaries. */
  pattern: SplitPattern;
  /** How many merges to learn at most. */
  maxMerges: number;
  /** A pair must occur at least this often to be merged. */
  minFrequency: number;
}

interface Word {
  symbols: number[];
  count: number;
}

/**
 * Learns byte-level BPE merges: count adjacent symbol pairs over the distinct
 * pre-tokens (weighted by frequency), merge the most frequent pair, repeat.
 * Only the words that contain the merged pair are recounted, and a lazy heap
 * finds the best pair, so training the whole of Moby-Dick takes seconds.
 * Ties go to the smaller pair key (lower symbols first): deterministic.
 */
export function trainBpeMerges(input: BpeTrainInput): Merge[] {
  const counts = new Map<string, number>();
  for (const text of input.corpus) {
    regexSplit(text, input.pattern, (piece) => {
      counts.set(piece, (counts.get(piece) ?? 0) + 1);
    });
  }
  const words: Word[] = [];
  for (const [piece, count] of counts) words.push({ symbols: Array.from(encodeWtf8(piece)), count });

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (wi: number, sign: 1 | -1, changed: Set<number>): void => {
    const { symbols, count } = words[wi]!;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = pairKey(symbols[i]!, symbols[i + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * count);
      changed.add(key);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (set === undefined) pairWords.set(key, (set = new Set()));
        set.add(wi);
      }
    }
  };

  // Max-heap on count, ties to the smaller key; entries go stale when counts change and are skipped.
  const heap = new BinaryHeap<[count: number, key: number]>((x, y) => x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]));
  const pushChanged = (changed: Set<number>): void => {
    for (const key of changed) {
      const count = pairCounts.get(key)!;
      if (count > 0) heap.push([count, key]);
      else {
        pairCounts.delete(key);
        pairWords.delete(key);
      }
    }
  };
  const initial = new Set<number>();
  for (let wi = 0; wi < words.length; wi++) addPairs(wi, 1, initial);
  pushChanged(initial);

  const merges: Merge[] = [];
  while (merges.length < input.maxMerges && heap.size > 0) {
    const [count, key] = heap.pop()!;
    if (pairCounts.get(key) !== count) continue;
    if (count < input.minFrequency) break;
    const a = Math.floor(key / MAX_SYMBOLS);
    const b = key - a * MAX_SYMBOLS;
    const merged = BYTE_SYMBOLS + merges.length;
    merges.push([a, b]);
    const changed = new Set<number>();
    for (const wi of pairWords.get(key) ?? []) {
      const word = words[wi]!;
      addPairs(wi, -1, changed);
      word.symbols = mergePair(word.symbols, a, b, merged);
      addPairs(wi, 1, changed);
    }
    pushChanged(changed);
  }
  return merges;
}

/** Replaces every non-overlapping (a, b), left to right, by `merged`. */
function mergePair(symbols: number[], a: number, b: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === a && symbols[i + 1] === b) {
      out.push(merged);
      i++;
    } else out.push(symbols[i]!);
  }
  return out;
}
