import { SeqgenError } from '@seqgen/core';

/**
 * A {@link ContinuousBatcher} already holds as many requests as it may
 * (`maxBatch` decoding plus `maxQueue` waiting): back-pressure, not a bad
 * request. Servers answer it with HTTP 429. Code `ERR_QUEUE_FULL`.
 */
export class QueueFullError extends SeqgenError {
  /** Requests held when this one was refused (decoding + waiting). */
  readonly held: number;
  constructor(held: number) {
    super('ERR_QUEUE_FULL', `the decoding queue is full (${held} requests held); retry later`);
    this.held = held;
  }
}
