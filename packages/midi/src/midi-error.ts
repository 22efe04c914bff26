import { SeqgenError } from '@seqgen/base';

/** Why a MIDI file (or a sequence headed for an encoder) was refused. */
export type MidiFailure =
  | 'not-found'
  | 'io'
  | 'too-large'
  | 'truncated'
  | 'corrupt'
  | 'unsupported-format'
  | 'too-many-events'
  | 'synthesizer';

/**
 * A Standard MIDI File was missing, too large, truncated, malformed or of an
 * unsupported format, or a sequence would encode to more events than allowed.
 * `source` names the file (or the name the caller gave the bytes, or the
 * argument), `offset` the byte offset in the file when one is known; reason
 * `synthesizer`: rendering audio failed (no `fluidsynth`, no sound font). The code
 * is `ERR_MIDI_<REASON>`.
 */
export class MidiError extends SeqgenError {
  /** What was wrong, stable for callers to switch on. */
  readonly reason: MidiFailure;
  /** The file, the caller-given name of the bytes, or the argument. */
  readonly source: string;
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;
  constructor(
    reason: MidiFailure,
    source: string,
    message: string,
    options: { offset?: number; cause?: unknown } = {},
  ) {
    const where = options.offset === undefined ? source : `${source} (byte ${options.offset})`;
    super(`ERR_MIDI_${reason.toUpperCase().replace(/-/g, '_')}`, `${where}: ${message}`, { cause: options.cause });
    this.reason = reason;
    this.source = source;
    this.offset = options.offset;
  }
}
