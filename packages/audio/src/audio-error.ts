import { SeqgenError } from '@seqgen/base';

/** Why audio bytes could not be decoded (the `reason` of an {@link AudioError}). */
export type AudioFailure =
  | 'not-wav'
  | 'truncated'
  | 'corrupt'
  | 'unsupported-encoding'
  | 'empty'
  | 'bad-sample-rate'
  | 'non-finite';

/**
 * A WAV file was missing pieces, malformed, in an encoding this package does
 * not decode, empty, or held an absurd sample rate or NaN samples. `source`
 * names the file (or the name the caller gave the bytes); the code is
 * `ERR_AUDIO_<REASON>`.
 */
export class AudioError extends SeqgenError {
  /** What was wrong, stable for callers to switch on. */
  readonly reason: AudioFailure;
  /** The file or caller-given name of the audio. */
  readonly source: string;
  constructor(reason: AudioFailure, source: string, message: string, options: { cause?: unknown } = {}) {
    super(`ERR_AUDIO_${reason.toUpperCase().replace(/-/g, '_')}`, `${source}: ${message}`, { cause: options.cause });
    this.reason = reason;
    this.source = source;
  }
}
