import { assertPositiveInteger, ConfigError, type Rng } from '@seqgen/core';

/** How {@link bucketByLength} groups items of similar length into batches. */
export interface BucketOptions {
  /** Items per batch (a bucket's last batch may hold fewer unless `dropRemainder`). */
  batchSize: number;
  /** Upper length bounds of the buckets (exclusive), ascending; longer items go to a last bucket. Default: one bucket per distinct length order (sort by length). */
  boundaries?: number[];
  /** Shuffles items within buckets and the order of batches; without it the order is deterministic by length. */
  rng?: Rng;
  /** Drop each bucket's last, smaller batch (default false). */
  dropRemainder?: boolean;
}

/**
 * Groups item indices into batches of similar length, so padded batches waste
 * little compute on padding. Returns batches of indices into `lengths`.
 */
export function bucketByLength(lengths: readonly number[], options: BucketOptions): number[][] {
  const { batchSize, boundaries = [], rng } = options;
  assertPositiveInteger('batchSize', batchSize);
  if (lengths.length === 0) throw new ConfigError('lengths', 'must not be empty');
  for (let i = 1; i < boundaries.length; i++) {
    if (!((boundaries[i] as number) > (boundaries[i - 1] as number)))
      throw new ConfigError('boundaries', 'must be strictly ascending');
  }
  const buckets: number[][] = Array.from({ length: boundaries.length + 1 }, () => []);
  lengths.forEach((len, i) => {
    let k = boundaries.findIndex((b) => len < b);
    if (k < 0) k = boundaries.length;
    buckets[k]?.push(i);
  });
  const batches: number[][] = [];
  for (const bucket of buckets) {
    if (rng) rng.shuffle(bucket);
    // Sorting inside a bucket (stable after the shuffle) packs equal lengths together.
    bucket.sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
    for (let i = 0; i < bucket.length; i += batchSize) {
      const batch = bucket.slice(i, i + batchSize);
      if (batch.length < batchSize && options.dropRemainder) continue;
      batches.push(batch);
    }
  }
  return rng ? rng.shuffle(batches) : batches;
}
