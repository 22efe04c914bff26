/**
 * Typed errors shared by every seqgen package. Each carries a stable `code`
 * (`ERR_<FAMILY>_<REASON>`) that callers can switch on; messages name the
 * argument or file that was wrong and what was expected.
 */

export class SeqgenError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value was invalid; `field` names it. */
export class ConfigError extends SeqgenError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('ERR_CONFIG_INVALID', `${field}: ${message}`);
    this.field = field;
  }
}

/** A tensor or array had the wrong shape or dtype; `argument` names it. */
export class ShapeError extends SeqgenError {
  readonly argument: string;
  readonly expected: string;
  readonly actual: string;
  constructor(argument: string, expected: string, actual: string, context?: string) {
    super('ERR_SHAPE_MISMATCH', `${context ? `${context}: ` : ''}${argument} must be ${expected}, got ${actual}`);
    this.argument = argument;
    this.expected = expected;
    this.actual = actual;
  }
}

export type BackendFailure = 'unavailable' | 'unknown-backend';

/** A requested TensorFlow.js backend could not be started. */
export class BackendError extends SeqgenError {
  readonly reason: BackendFailure;
  constructor(reason: BackendFailure, message: string, options?: { cause?: unknown }) {
    super(`ERR_BACKEND_${toCodePart(reason)}`, message, options);
    this.reason = reason;
  }
}

export type CheckpointFailure =
  | 'not-found'
  | 'io'
  | 'too-large'
  | 'truncated'
  | 'corrupt'
  | 'bad-json'
  | 'unsupported-version'
  | 'invalid-manifest'
  | 'unsafe-path'
  | 'hash-mismatch'
  | 'non-finite'
  | 'invalid-weights';

/** A checkpoint could not be written or read; `reason` says why, `path` where. */
export class CheckpointError extends SeqgenError {
  readonly reason: CheckpointFailure;
  readonly path: string;
  constructor(reason: CheckpointFailure, path: string, message: string, options?: { cause?: unknown }) {
    super(`ERR_CHECKPOINT_${toCodePart(reason)}`, `checkpoint ${path}: ${message}`, options);
    this.reason = reason;
    this.path = path;
  }
}

export type TokenizerFailure = 'unknown-token' | 'corrupt' | 'version-mismatch' | 'vocab-mismatch' | 'invalid-input';

/** A tokenizer file, vocabulary or input was unusable. */
export class TokenizerError extends SeqgenError {
  readonly reason: TokenizerFailure;
  constructor(reason: TokenizerFailure, message: string) {
    super(`ERR_TOKENIZER_${toCodePart(reason)}`, message);
    this.reason = reason;
  }
}

/** A loss, gradient or weight became NaN or infinite. */
export class NonFiniteError extends SeqgenError {
  readonly what: string;
  constructor(what: string, message: string) {
    super('ERR_NON_FINITE', `${what}: ${message}`);
    this.what = what;
  }
}

function toCodePart(reason: string): string {
  return reason.toUpperCase().replace(/-/g, '_');
}
