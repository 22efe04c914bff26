import { type CodecJson, ConfigError, type DiscreteCodec, TokenizerError } from '@seqgen/base';
import { CHORD_QUALITIES, type Chord, type ChordQuality, chordName, isChord } from './chord-symbols.js';
import { codecJson } from './codec-json.js';

/** Options of {@link ChordEncoding}. */
export type ChordEncodingOptions = {
  /** The qualities in the vocabulary (default: all of {@link CHORD_QUALITIES}). */
  qualities?: readonly ChordQuality[];
};

/** Id of "no chord" (N.C.). */
export const NO_CHORD_ID = 0;

/**
 * A chord-symbol track as ids, for conditioning a model on harmony (as
 * Magenta's Improv RNN does): `N.C.` is 0, then every root (C … B) with each
 * quality: 1 + 12 × qualities ids (133 by default). Ids name chords as
 * symbols ("C", "Am", "F7"), so a progression typed by a user, parsed by
 * `parseChordSymbols`, and one inferred from a file share one vocabulary.
 */
export class ChordEncoding implements DiscreteCodec<Array<Chord | null>> {
  /** Registry type (kind `codec`). */
  readonly type = 'midi-chords';
  /** Number of ids: 1 + 12 × the number of qualities. */
  readonly vocabSize: number;
  /** The qualities in the vocabulary, in id order. */
  readonly qualities: readonly ChordQuality[];

  /** See {@link ChordEncodingOptions}; bad options are a `ConfigError`. */
  constructor(options: ChordEncodingOptions = {}) {
    const qualities = options.qualities ?? CHORD_QUALITIES;
    if (
      !Array.isArray(qualities) ||
      qualities.length === 0 ||
      qualities.some((q) => !CHORD_QUALITIES.includes(q)) ||
      new Set(qualities).size !== qualities.length
    ) {
      throw new ConfigError(
        'qualities',
        `must be a non-empty list of distinct qualities among ${CHORD_QUALITIES.join(', ')}`,
      );
    }
    this.qualities = [...qualities];
    this.vocabSize = 1 + 12 * qualities.length;
  }

  /** Rebuilds an encoding from {@link ChordEncoding.toJSON}'s output. */
  static fromJSON(json: unknown): ChordEncoding {
    const j = codecJson(json, 'midi-chords');
    return new ChordEncoding({ qualities: j.qualities as ChordQuality[] });
  }

  /** The options as JSON (`type` `midi-chords`, version 1). */
  toJSON(): CodecJson {
    return { type: this.type, version: 1, qualities: [...this.qualities] };
  }

  /** The chord symbol an id stands for ("N.C.", "C", "C#m", …). */
  tokenName(id: number): string {
    return chordName(this.chordOf(id, 0));
  }

  /** Every id's chord symbol, in id order (length {@link ChordEncoding.vocabSize}). */
  get tokenNames(): string[] {
    return Array.from({ length: this.vocabSize }, (_, id) => this.tokenName(id));
  }

  /** Ids of a chord track; a chord whose quality is not in the vocabulary is a `TokenizerError`. */
  encode(chords: ReadonlyArray<Chord | null>): number[] {
    if (!Array.isArray(chords))
      throw new TokenizerError('invalid-input', `chords must be an array, got ${typeof chords}`);
    return chords.map((chord, i) => {
      if (chord === null) return NO_CHORD_ID;
      const q = isChord(chord) ? this.qualities.indexOf(chord.quality) : -1;
      if (q < 0) {
        throw new TokenizerError(
          'unknown-token',
          `chord ${i} (${isChord(chord) ? chordName(chord) : JSON.stringify(chord)}) is not in this vocabulary (qualities: ${this.qualities.join(', ')})`,
        );
      }
      return 1 + chord.root * this.qualities.length + q;
    });
  }

  /** The chords of a stream of ids; an id outside the vocabulary is a `TokenizerError`. */
  decode(ids: readonly number[]): Array<Chord | null> {
    if (!Array.isArray(ids)) throw new TokenizerError('invalid-input', `chord ids must be an array, got ${typeof ids}`);
    return ids.map((id, i) => this.chordOf(id, i));
  }

  private chordOf(id: number, position: number): Chord | null {
    if (!(Number.isInteger(id) && id >= 0 && id < this.vocabSize)) {
      throw new TokenizerError(
        'unknown-token',
        `chord id ${String(id)} at position ${position} is outside the vocabulary [0, ${this.vocabSize})`,
      );
    }
    if (id === NO_CHORD_ID) return null;
    const k = this.qualities.length;
    return { root: Math.floor((id - 1) / k), quality: this.qualities[(id - 1) % k] as ChordQuality };
  }
}
