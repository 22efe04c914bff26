import type { JsonObject } from '@seqgen/core';

/**
 * An endless, resumable supply of training batches. `getState` must capture
 * everything that decides the next batches (cursor and RNG) so that a resumed
 * run sees exactly the batches the interrupted one would have seen.
 */
export interface DataSource<Batch> {
  next(): Batch;
  getState(): JsonObject;
  setState(state: JsonObject): void;
}
