import type { JsonObject } from '@seqgen/core';

/**
 * An endless, resumable supply of training batches. `getState` must capture
 * everything that decides the next batches (cursor and RNG) so that a resumed
 * run sees exactly the batches the interrupted one would have seen.
 */
export interface DataSource<Batch> {
  /** The next training batch; never runs out (a new epoch starts when the data does). */
  next(): Batch;
  /** Everything that decides the next batches (cursor, RNG), saved in trainer checkpoints. */
  getState(): JsonObject;
  /** Restores a `getState` result, so a resumed run sees the batches the interrupted one would have. */
  setState(state: JsonObject): void;
}
