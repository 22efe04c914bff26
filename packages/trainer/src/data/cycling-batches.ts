import { ConfigError } from '@seqgen/core';

/** {@link CyclingBatches}' resumable state. */
export type CyclingBatchesState = {
  /** Batches handed out so far. */
  cursor: number;
};

/**
 * Fixed batches (features computed once, a small held-in set) as a trainer
 * `DataSource`: they come round in order, and the position is the state a
 * trainer checkpoint saves, so `train --resume` continues with the same batch.
 */
export class CyclingBatches<Batch> {
  private cursor = 0;

  /** Cycles over `batches` (at least one). */
  constructor(private readonly batches: readonly Batch[]) {
    if (batches.length === 0) throw new ConfigError('batches', 'must hold at least one batch');
  }

  /** The next batch, wrapping around. */
  next(): Batch {
    const batch = this.batches[this.cursor % this.batches.length] as Batch;
    this.cursor++;
    return batch;
  }

  /** The position (saved in trainer checkpoints). */
  getState(): CyclingBatchesState {
    return { cursor: this.cursor };
  }

  /** Restores a {@link getState} result. */
  setState(state: { cursor?: unknown }): void {
    const cursor = Number(state?.cursor ?? 0);
    this.cursor = Number.isInteger(cursor) && cursor >= 0 ? cursor : 0;
  }
}
