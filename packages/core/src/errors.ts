// The typed errors live in the tfjs-free `@seqgen/base`; core re-exports the same
// classes (one per process, whichever entry or format loads them), so that
// `@seqgen/core` and `@seqgen/core/errors` users see no change.
export type { BackendFailure, CheckpointFailure, TokenizerFailure } from '@seqgen/base';
export {
  BackendError,
  CheckpointError,
  ConfigError,
  NonFiniteError,
  SeqgenError,
  ShapeError,
  TokenizerError,
} from '@seqgen/base';
