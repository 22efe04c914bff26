import {
  BackendError,
  CheckpointError,
  ConfigError,
  NonFiniteError,
  SeqgenError,
  ShapeError,
  TokenizerError,
} from '@seqgen/core';
import { CommanderError } from 'commander';

/**
 * Exit codes every seqgen app uses, one table:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success (also `--help`) |
 * | 1 | an unexpected failure (a bug: rerun with `SEQGEN_DEBUG=1` for the stack) |
 * | 2 | usage: an unknown or malformed option, an option that does not apply, a bad config value |
 * | 3 | input: a file the app reads (corpus, checkpoint, MIDI, WAV…) is missing, corrupt or of the wrong kind; an `--out` it may not overwrite |
 * | 4 | training diverged: a loss, gradient or weight became NaN or infinite |
 * | 5 | no usable TensorFlow.js backend |
 * | 130 | interrupted (Ctrl-C); a training run has saved a resumable checkpoint first |
 */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  nonFinite: 4,
  backend: 5,
  interrupted: 130,
});

export type ExitCodeName = keyof typeof EXIT_CODES;

/** A failure the user caused or can fix, printed as one line; `exitCode` follows {@link EXIT_CODES}. */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly exitCode: number;
  constructor(kind: ExitCodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = EXIT_CODES[kind];
  }
}

/** A bad command line: an option that does not apply, a missing argument, a value out of range (exit 2). */
export class UsageError extends AppError {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
  }
}

/** A file the app reads or writes is unusable: missing, corrupt, of the wrong kind, or not to be overwritten (exit 3). */
export class InputError extends AppError {
  override readonly name = 'InputError';
  /** The file or folder concerned. */
  readonly path: string | undefined;
  constructor(message: string, path?: string, options?: { cause?: unknown }) {
    super('input', message, options);
    this.path = path;
  }
}

/** The user interrupted the command (exit 130); `message` says what was saved and how to go on. */
export class InterruptedError extends AppError {
  override readonly name = 'InterruptedError';
  constructor(message: string) {
    super('interrupted', message);
  }
}

/** The exit code for any thrown value, by the table in {@link EXIT_CODES}. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof AppError) return error.exitCode;
  if (error instanceof CommanderError) {
    // --help and --version exit 0; every parse failure is a usage error.
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof ConfigError) return EXIT_CODES.usage;
  if (error instanceof NonFiniteError) return EXIT_CODES.nonFinite;
  if (error instanceof BackendError) return EXIT_CODES.backend;
  if (error instanceof CheckpointError || error instanceof TokenizerError || error instanceof ShapeError) {
    return EXIT_CODES.input;
  }
  if (error instanceof SeqgenError) return EXIT_CODES.input;
  return EXIT_CODES.internal;
}

/** True for errors whose message is meant for the user (typed errors); others are bugs. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof AppError || error instanceof SeqgenError || error instanceof CommanderError;
}

/** The first line of an error's message (an app prints one line per failure). */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

/** A stable machine-readable code: the typed error's `code`, else one derived from the exit code. */
export function errorCode(error: unknown): string {
  if (error instanceof SeqgenError) return error.code;
  if (error instanceof CommanderError) return error.code;
  if (error instanceof InterruptedError) return 'ERR_INTERRUPTED';
  if (error instanceof UsageError) return 'ERR_USAGE';
  if (error instanceof InputError) return 'ERR_INPUT';
  return 'ERR_INTERNAL';
}
