import * as defined from './error-classes.js';

export type { BackendFailure, CheckpointFailure, TokenizerFailure } from './error-classes.js';

/**
 * seqgen's typed errors, one set per process. The ESM and CommonJS builds of
 * this package (and two installed copies of it) each evaluate
 * `error-classes.ts`, which would make two `ConfigError`s and break
 * `instanceof` for errors thrown by a package loaded in the other format. So
 * the first copy to load puts its classes on `globalThis` under a
 * `Symbol.for` key (as the registry shares its table), and every copy exports
 * those: each class exists exactly once at run time.
 */
const SHARED_KEY = Symbol.for('@seqgen/base/errors@1');

type ErrorClasses = typeof defined;
const holder = globalThis as unknown as Record<symbol, ErrorClasses | undefined>;
const shared: ErrorClasses = holder[SHARED_KEY] ?? defined;
holder[SHARED_KEY] = shared;

/** The base of every seqgen error; `code` is stable (`ERR_<FAMILY>_<REASON>`). */
export const SeqgenError: typeof defined.SeqgenError = shared.SeqgenError;
/** The base of every seqgen error; `code` is stable (`ERR_<FAMILY>_<REASON>`). */
export type SeqgenError = defined.SeqgenError;

/** A configuration value was invalid; `field` names it. */
export const ConfigError: typeof defined.ConfigError = shared.ConfigError;
/** A configuration value was invalid; `field` names it. */
export type ConfigError = defined.ConfigError;

/** A tensor or array had the wrong shape or dtype; `argument` names it. */
export const ShapeError: typeof defined.ShapeError = shared.ShapeError;
/** A tensor or array had the wrong shape or dtype; `argument` names it. */
export type ShapeError = defined.ShapeError;

/** A requested TensorFlow.js backend could not be started. */
export const BackendError: typeof defined.BackendError = shared.BackendError;
/** A requested TensorFlow.js backend could not be started. */
export type BackendError = defined.BackendError;

/** A checkpoint could not be written or read; `reason` says why, `path` where. */
export const CheckpointError: typeof defined.CheckpointError = shared.CheckpointError;
/** A checkpoint could not be written or read; `reason` says why, `path` where. */
export type CheckpointError = defined.CheckpointError;

/** A tokenizer file, vocabulary or input was unusable. */
export const TokenizerError: typeof defined.TokenizerError = shared.TokenizerError;
/** A tokenizer file, vocabulary or input was unusable. */
export type TokenizerError = defined.TokenizerError;

/** A loss, gradient or weight became NaN or infinite. */
export const NonFiniteError: typeof defined.NonFiniteError = shared.NonFiniteError;
/** A loss, gradient or weight became NaN or infinite. */
export type NonFiniteError = defined.NonFiniteError;
