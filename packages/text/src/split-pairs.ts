import { ConfigError } from '@seqgen/base';
import { normalizeSentence } from './normalize-source.js';
import type { SentencePair } from './sentence-pair.js';

/** Options of {@link splitPairs}. */
export interface SplitOptions {
  /** Test set size: a fraction in (0, 1), or a whole number of pairs. */
  test: number;
  /** Validation set size, likewise. Default 0. */
  valid?: number;
  /** Seed of the shuffle, so a seed reproduces the split. Default 0. */
  seed?: number;
}

/** The three parts of a split. */
export interface SplitResult<T extends SentencePair = SentencePair> {
  /** Training pairs. */
  train: T[];
  /** Validation pairs. */
  valid: T[];
  /** Test pairs. */
  test: T[];
}

/**
 * Splits pairs into train / valid / test after a seeded shuffle, keeping all
 * pairs of one (normalized) source sentence in the same part, so that no test
 * or validation source sentence is also seen in training (gettext repeats
 * "Cancel" in dozens of catalogs; leaking it would inflate BLEU). Groups fill
 * the test set first, then validation, until each holds at least its size.
 */
export function splitPairs<T extends SentencePair>(pairs: readonly T[], options: SplitOptions): SplitResult<T> {
  const testSize = partSize('test', options.test, pairs.length);
  const validSize = partSize('valid', options.valid ?? 0, pairs.length);
  if (testSize + validSize > pairs.length) {
    throw new ConfigError('test + valid', `ask for ${testSize + validSize} pairs, but there are only ${pairs.length}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConfigError('seed', `must be an integer, got ${seed}`);

  const groups = new Map<string, T[]>();
  for (const pair of pairs) {
    const key = normalizeSentence(pair.source);
    const group = groups.get(key);
    if (group) group.push(pair);
    else groups.set(key, [pair]);
  }
  const order = [...groups.values()];
  shuffleInPlace(order, seed);

  const result: SplitResult<T> = { train: [], valid: [], test: [] };
  for (const group of order) {
    const part =
      result.test.length < testSize ? result.test : result.valid.length < validSize ? result.valid : result.train;
    part.push(...group);
  }
  return result;
}

function partSize(field: string, size: number, total: number): number {
  if (!Number.isFinite(size) || size < 0)
    throw new ConfigError(field, `must be a fraction in [0, 1) or a count ≥ 1, got ${size}`);
  if (size < 1) return Math.round(size * total);
  if (!Number.isInteger(size)) throw new ConfigError(field, `a count must be a whole number, got ${size}`);
  return size;
}

/** Fisher–Yates with a splitmix32 stream: small, seedable, and the same on every platform. */
function shuffleInPlace<T>(items: T[], seed: number): void {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const swap = items[i] as T;
    items[i] = items[j] as T;
    items[j] = swap;
  }
}
