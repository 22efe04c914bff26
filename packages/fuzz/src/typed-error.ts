import { SeqgenError } from '@seqgen/core';

/** The only errors a parser may throw: seqgen's typed errors (CheckpointError, TokenizerError, ConfigError…). */
export function isTypedError(error: unknown): boolean {
  return error instanceof SeqgenError;
}
