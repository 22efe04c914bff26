import type { JsonObject } from '@seqgen/core';
import { Rng, type RngState } from '@seqgen/core';
import type { DataSource } from '@seqgen/trainer';

/**
 * One batch of a long-range task, in plain typed arrays (tensors are made
 * inside the model's loss, so the trainer's tape cleans them up).
 */
export interface SeqBatch {
  /** Inputs `[batch, time, features]`, row-major. */
  x: Float32Array;
  batchSize: number;
  time: number;
  features: number;
  /**
   * Regression: one target per example `[batch]`. Classification: one class
   * id per example `[batch]`. Many-to-many: one class id per step `[batch, time]`.
   */
  y: Float32Array | Int32Array;
}

/** Draws a batch of `batchSize` examples from `rng`. */
export type BatchGenerator = (rng: Rng, batchSize: number) => SeqBatch;

/** An endless, seeded, resumable source of generated batches (the trainer's `DataSource`). */
export class GeneratedSource implements DataSource<SeqBatch> {
  private rng: Rng;

  constructor(
    private readonly generate: BatchGenerator,
    private readonly batchSize: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  next(): SeqBatch {
    return this.generate(this.rng, this.batchSize);
  }

  getState(): JsonObject {
    return { rng: [...this.rng.getState()] };
  }

  setState(state: JsonObject): void {
    this.rng = new Rng(state.rng as unknown as RngState);
  }
}

/** Splits `total` examples into batches of at most `batchSize` (for evaluation). */
export function* chunks(total: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < total; start += batchSize) yield [start, Math.min(total, start + batchSize)];
}
