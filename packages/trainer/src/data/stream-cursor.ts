import { ConfigError, type JsonObject, type Rng, type RngState } from '@seqgen/core';

/** Where an epoch-by-epoch stream batcher stands: the epoch, the batch within it and the epoch's offset. */
export type StreamCursor = { epoch: number; index: number; offset: number };

/** A cursor and its batcher's RNG state, as trainer checkpoints save them (`getState`). */
export function streamCursorState(cursor: StreamCursor, rng: Rng): JsonObject {
  return { epoch: cursor.epoch, index: cursor.index, offset: cursor.offset, rng: [...rng.getState()] };
}

/**
 * Restores a {@link streamCursorState} result: sets `rng` and returns the
 * cursor. Anything else (negative or fractional counters, an offset past the
 * sequence length, no RNG state) is a `ConfigError` naming the `batcher`.
 */
export function restoreStreamCursor(state: JsonObject, seqLength: number, rng: Rng, batcher: string): StreamCursor {
  const { epoch, index, offset, rng: rngState } = state as StreamCursor & { rng: unknown };
  if (
    ![epoch, index, offset].every((v) => Number.isInteger(v) && v >= 0) ||
    !(offset < seqLength) ||
    !Array.isArray(rngState)
  ) {
    throw new ConfigError('data state', `is not a ${batcher} cursor: ${JSON.stringify(state)}`);
  }
  rng.setState(rngState as unknown as RngState);
  return { epoch, index, offset };
}
