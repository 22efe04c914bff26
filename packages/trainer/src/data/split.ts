import { assertInRange, ConfigError, Rng } from '@seqgen/core';

function checkFraction(fraction: number): void {
  assertInRange('validationFraction', fraction, 0, 1, { openMin: true, openMax: true });
}

/** What {@link splitByDocument} returns: indices into the documents, each ascending, each document on one side. */
export type DocumentSplit = {
  /** Indices of the training documents. */
  train: number[];
  /** Indices of the validation documents (about `validationFraction` of them, at least 1). */
  validation: number[];
};

/**
 * What {@link splitTail} needs of a token stream besides `length` and indexing: a `slice` that copies a range into the
 * same kind of array (a number array or a typed array such as `Int32Array`).
 *
 * @typeParam T - The stream's own type, which `slice` returns.
 */
export type SliceableTokens<T> = {
  /** Present on typed arrays; not used (the split copies with `slice`). */
  subarray?: unknown;
  /** Copies tokens `[a, b)` (to the end without `b`) into a new array of the same kind. */
  slice(a: number, b?: number): T;
};

/**
 * What {@link splitTail} returns: two copies of the stream, split at `cut`.
 *
 * @typeParam T - The stream's type.
 */
export type TailSplit<T> = {
  /** Tokens `[0, cut)`. */
  train: T;
  /** Tokens `[cut, n)`: the held-out tail. */
  validation: T;
  /** Index of the first validation token: `round(n · (1 - validationFraction))`. */
  cut: number;
};

/**
 * Splits whole documents into train and validation sets (indices into
 * `documents`), shuffled with `seed`. A document is never in both, so nothing
 * the model validates on was trained on; exact duplicates are kept on one side.
 */
export function splitByDocument<T>(
  documents: readonly T[],
  options: { validationFraction: number; seed?: number; key?: (doc: T) => string },
): DocumentSplit {
  checkFraction(options.validationFraction);
  if (documents.length < 2) throw new ConfigError('documents', `need at least 2 to split, got ${documents.length}`);
  // Group identical documents (by key) so duplicates cannot straddle the split.
  const key = options.key ?? ((d: T) => (typeof d === 'string' ? d : JSON.stringify(Array.from(d as never))));
  const groups = new Map<string, number[]>();
  documents.forEach((d, i) => {
    const k = key(d);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const order = new Rng(options.seed ?? 0).shuffle([...groups.values()]);
  const target = Math.max(1, Math.round(documents.length * options.validationFraction));
  const validation: number[] = [];
  const train: number[] = [];
  for (const g of order) (validation.length < target ? validation : train).push(...g);
  if (train.length === 0) throw new ConfigError('documents', 'all are identical: nothing is left to train on');
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

/**
 * Holds out the contiguous tail of one token stream (for a single long text):
 * train is `[0, cut)`, validation `[cut, n)`, so no window crosses the cut.
 */
export function splitTail<T extends ArrayLike<number> & SliceableTokens<T>>(
  tokens: T,
  validationFraction: number,
): TailSplit<T> {
  checkFraction(validationFraction);
  const cut = Math.round(tokens.length * (1 - validationFraction));
  if (cut < 2 || tokens.length - cut < 2)
    throw new ConfigError('tokens', `${tokens.length} tokens are too few to split at ${validationFraction}`);
  return { train: tokens.slice(0, cut), validation: tokens.slice(cut), cut };
}
