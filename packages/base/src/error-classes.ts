/**
 * The definitions of seqgen's typed errors. Import them from the package
 * entry (`./errors.ts`), which hands out one shared set per process; these
 * classes are used only when no other copy defined them first.
 */

/**
 * The base of every seqgen error. Each carries a stable `code`
 * (`ERR_<FAMILY>_<REASON>`) that callers can switch on; messages name the
 * argument or file that was wrong and what was expected.
 */
export class SeqgenError extends Error {
  /** Stable machine-readable code, `ERR_<FAMILY>_<REASON>`. */
  readonly code: string;
  /**
   * @param code - the stable code (`ERR_…`)
   * @param message - what was wrong and what was expected
   * @param options - `cause`: the underlying error, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value was invalid; `field` names it. */
export class ConfigError extends SeqgenError {
  /** The option or config field that was wrong. */
  readonly field: string;
  constructor(field: string, message: string) {
    super('ERR_CONFIG_INVALID', `${field}: ${message}`);
    this.field = field;
  }
}

/** A tensor or array had the wrong shape or dtype; `argument` names it. */
export class ShapeError extends SeqgenError {
  /** The argument that was wrong. */
  readonly argument: string;
  /** The shape or dtype that was expected. */
  readonly expected: string;
  /** The shape or dtype that was given. */
  readonly actual: string;
  constructor(argument: string, expected: string, actual: string, context?: string) {
    super('ERR_SHAPE_MISMATCH', `${context ? `${context}: ` : ''}${argument} must be ${expected}, got ${actual}`);
    this.argument = argument;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Why a backend could not start: not installed / failed to start, or a name seqgen does not know. */
export type BackendFailure = 'unavailable' | 'unknown-backend';

/** A requested TensorFlow.js backend could not be started. */
export class BackendError extends SeqgenError {
  /** Why the backend could not start. */
  readonly reason: BackendFailure;
  constructor(reason: BackendFailure, message: string, options?: { cause?: unknown }) {
    super(`ERR_BACKEND_${toCodePart(reason)}`, message, options);
    this.reason = reason;
  }
}

/** Why a checkpoint could not be read or written (the `reason` of a {@link CheckpointError}). */
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
  /** Why the checkpoint was refused. */
  readonly reason: CheckpointFailure;
  /** The checkpoint's path or URL. */
  readonly path: string;
  constructor(reason: CheckpointFailure, path: string, message: string, options?: { cause?: unknown }) {
    super(`ERR_CHECKPOINT_${toCodePart(reason)}`, `checkpoint ${path}: ${message}`, options);
    this.reason = reason;
    this.path = path;
  }
}

/** Why a tokenizer refused its input or file (the `reason` of a {@link TokenizerError}). */
export type TokenizerFailure = 'unknown-token' | 'corrupt' | 'version-mismatch' | 'vocab-mismatch' | 'invalid-input';

/** A tokenizer file, vocabulary or input was unusable. */
export class TokenizerError extends SeqgenError {
  /** Why the tokenizer refused. */
  readonly reason: TokenizerFailure;
  constructor(reason: TokenizerFailure, message: string) {
    super(`ERR_TOKENIZER_${toCodePart(reason)}`, message);
    this.reason = reason;
  }
}

/** A loss, gradient or weight became NaN or infinite. */
export class NonFiniteError extends SeqgenError {
  /** What became non-finite (a loss, a gradient, a weight's name). */
  readonly what: string;
  constructor(what: string, message: string) {
    super('ERR_NON_FINITE', `${what}: ${message}`);
    this.what = what;
  }
}

function toCodePart(reason: string): string {
  return reason.toUpperCase().replace(/-/g, '_');
}
