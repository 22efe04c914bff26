import { SeqgenError } from '@seqgen/core';

/** Why a token shard set could not be read. */
export type ShardFailure =
  | 'not-found'
  | 'not-a-shard-set'
  | 'unsupported-version'
  | 'bad-manifest'
  | 'bad-dtype'
  | 'missing-shard'
  | 'truncated'
  | 'oversized'
  | 'checksum'
  | 'token-out-of-range';

/**
 * A token shard set (see {@link openTokenShards}) was missing, unfinished or
 * damaged. `file` names the manifest or shard file to blame; the code is
 * `ERR_SHARD_<REASON>`.
 */
export class ShardError extends SeqgenError {
  /** What was wrong, stable for callers to switch on. */
  readonly reason: ShardFailure;
  /** The manifest, shard file or folder to blame. */
  readonly file: string;
  constructor(reason: ShardFailure, file: string, message: string, options?: { cause?: unknown }) {
    super(`ERR_SHARD_${reason.toUpperCase().replace(/-/g, '_')}`, `${file}: ${message}`, options);
    this.reason = reason;
    this.file = file;
  }
}
