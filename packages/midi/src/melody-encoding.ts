import {
  assertInRange,
  assertPositiveInteger,
  type CodecJson,
  ConfigError,
  type DiscreteCodec,
  ShapeError,
  TokenizerError,
} from '@seqgen/base';
import { codecJson } from './codec-json.js';
import { MidiError } from './midi-error.js';
import { DEFAULT_QPM } from './note-sequence.js';
import { assertQuantized, type QuantizedNote, type QuantizedNoteSequence, sequenceFromSteps } from './quantize.js';

/** Options of {@link MelodyEncoding}. */
export type MelodyEncodingOptions = {
  /** Lowest pitch (default 48, C3), inclusive. */
  minPitch?: number;
  /** Highest pitch (default 84, C6), exclusive; the range must span an octave at least. */
  maxPitch?: number;
  /** Grid the encoded sequences use and decoded ones get (default 4 steps per quarter). */
  stepsPerQuarter?: number;
  /** Tempo decoded melodies get, in quarter notes per minute (default 120). */
  qpm?: number;
  /** Most steps one sequence may encode to (default 200,000), so that no input runs without bound. */
  maxSteps?: number;
};

/** Id of "nothing changes at this step". */
export const MELODY_NO_EVENT = 0;
/** Id of "the sounding note is released at this step". */
export const MELODY_NOTE_OFF = 1;

/**
 * Magenta's monophonic melody encoding (`MelodyOneHotEncoding`): one id per
 * grid step — `no-event` (0), `note-off` (1), or the onset of a pitch in
 * `[minPitch, maxPitch)` (2 + pitch − minPitch): 38 ids by default. Encoding
 * needs a {@link QuantizedNoteSequence} (a plain NoteSequence does not type
 * check, and is a `ShapeError` at run time). The melody of a polyphonic
 * piece is its top line ({@link MelodyEncoding.extract}): at each onset step
 * the highest non-drum pitch starting there, sounding until it ends or the
 * next melody onset; pitches outside the range move by octaves into it.
 */
export class MelodyEncoding implements DiscreteCodec<QuantizedNoteSequence> {
  /** Registry type (kind `codec`). */
  readonly type = 'midi-melody';
  /** Number of ids: 2 + (maxPitch − minPitch). */
  readonly vocabSize: number;
  /** Lowest pitch, inclusive. */
  readonly minPitch: number;
  /** Highest pitch, exclusive. */
  readonly maxPitch: number;
  /** Steps per quarter note of encoded and decoded sequences. */
  readonly stepsPerQuarter: number;
  /** Tempo of decoded melodies (qpm). */
  readonly qpm: number;
  /** Most steps per encoded sequence. */
  readonly maxSteps: number;

  /** See {@link MelodyEncodingOptions}; bad options are a `ConfigError`. */
  constructor(options: MelodyEncodingOptions = {}) {
    this.minPitch = options.minPitch ?? 48;
    this.maxPitch = options.maxPitch ?? 84;
    this.stepsPerQuarter = options.stepsPerQuarter ?? 4;
    this.qpm = options.qpm ?? DEFAULT_QPM;
    this.maxSteps = options.maxSteps ?? 200_000;
    assertInRange('minPitch', this.minPitch, 0, 127);
    assertInRange('maxPitch', this.maxPitch, 1, 128);
    if (!Number.isInteger(this.minPitch) || !Number.isInteger(this.maxPitch) || this.maxPitch - this.minPitch < 12) {
      throw new ConfigError(
        'maxPitch',
        `the pitch range [${this.minPitch}, ${this.maxPitch}) must be integers spanning at least an octave (12)`,
      );
    }
    assertPositiveInteger('stepsPerQuarter', this.stepsPerQuarter);
    assertInRange('qpm', this.qpm, 0, 1000, { openMin: true });
    assertPositiveInteger('maxSteps', this.maxSteps);
    this.vocabSize = 2 + this.maxPitch - this.minPitch;
  }

  /** Rebuilds an encoding from {@link MelodyEncoding.toJSON}'s output. */
  static fromJSON(json: unknown): MelodyEncoding {
    const j = codecJson(json, 'midi-melody');
    return new MelodyEncoding({
      minPitch: j.minPitch as number,
      maxPitch: j.maxPitch as number,
      stepsPerQuarter: j.stepsPerQuarter as number,
      qpm: j.qpm as number,
      maxSteps: j.maxSteps as number,
    });
  }

  /** The options as JSON (`type` `midi-melody`, version 1). */
  toJSON(): CodecJson {
    return {
      type: this.type,
      version: 1,
      minPitch: this.minPitch,
      maxPitch: this.maxPitch,
      stepsPerQuarter: this.stepsPerQuarter,
      qpm: this.qpm,
      maxSteps: this.maxSteps,
    };
  }

  /** The name of an id: `no-event`, `note-off` or `note-on:<pitch>`. */
  tokenName(id: number): string {
    this.checkId(id, 0);
    return id === MELODY_NO_EVENT
      ? 'no-event'
      : id === MELODY_NOTE_OFF
        ? 'note-off'
        : `note-on:${id - 2 + this.minPitch}`;
  }

  /** Every id's name, in id order (length {@link MelodyEncoding.vocabSize}). */
  get tokenNames(): string[] {
    return Array.from({ length: this.vocabSize }, (_, id) => this.tokenName(id));
  }

  /**
   * The monophonic top line of a quantized sequence, as notes on its grid
   * with pitches moved by octaves into range (what {@link MelodyEncoding.encode} encodes).
   */
  extract(sequence: QuantizedNoteSequence): QuantizedNote[] {
    this.check(sequence);
    const candidates = sequence.notes
      .filter((n) => !n.isDrum)
      .sort((a, b) => a.quantizedStart - b.quantizedStart || b.pitch - a.pitch);
    const melody: QuantizedNote[] = [];
    for (const note of candidates) {
      const previous = melody[melody.length - 1];
      if (previous && previous.quantizedStart === note.quantizedStart) continue;
      if (previous) previous.quantizedEnd = Math.min(previous.quantizedEnd, note.quantizedStart);
      melody.push({ ...note, pitch: this.fold(note.pitch) });
    }
    return melody;
  }

  /** One id per step of the sequence's melody (see {@link MelodyEncoding.extract}). */
  encode(sequence: QuantizedNoteSequence): number[] {
    const melody = this.extract(sequence);
    const length = melody.reduce((t, n) => Math.max(t, n.quantizedEnd), 0);
    const ids = new Array<number>(length).fill(MELODY_NO_EVENT);
    melody.forEach((note, i) => {
      ids[note.quantizedStart] = 2 + note.pitch - this.minPitch;
      const next = melody[i + 1];
      // A release right at the next onset needs no note-off: the onset ends the note.
      if (note.quantizedEnd < length && note.quantizedEnd !== next?.quantizedStart)
        ids[note.quantizedEnd] = MELODY_NOTE_OFF;
    });
    // The last note's release is the end of the sequence: mark it, so decoding gives it its length.
    const last = melody[melody.length - 1];
    if (last) ids.push(MELODY_NOTE_OFF);
    return ids;
  }

  /**
   * The melody a stream of ids plays, as a quantized sequence on this
   * encoding's grid (velocity 100, program 0). A note sounds from its onset
   * until a `note-off`, the next onset, or the end. An id outside the
   * vocabulary is a `TokenizerError`.
   */
  decode(ids: readonly number[]): QuantizedNoteSequence {
    if (!Array.isArray(ids))
      throw new TokenizerError('invalid-input', `melody ids must be an array, got ${typeof ids}`);
    ids.forEach((id, i) => {
      this.checkId(id, i);
    });
    const notes: Array<Omit<QuantizedNote, 'start' | 'end'>> = [];
    let current: { pitch: number; start: number } | undefined;
    const close = (step: number) => {
      if (current && step > current.start) {
        notes.push({
          pitch: current.pitch,
          velocity: 100,
          quantizedStart: current.start,
          quantizedEnd: step,
          track: 0,
          channel: 0,
          program: 0,
          isDrum: false,
        });
      }
      current = undefined;
    };
    ids.forEach((id, step) => {
      if (id === MELODY_NOTE_OFF) close(step);
      else if (id !== MELODY_NO_EVENT) {
        close(step);
        current = { pitch: id - 2 + this.minPitch, start: step };
      }
    });
    close(Math.max(ids.length, (current?.start ?? 0) + 1));
    return sequenceFromSteps(notes, this.stepsPerQuarter, this.qpm);
  }

  private fold(pitch: number): number {
    while (pitch < this.minPitch) pitch += 12;
    while (pitch >= this.maxPitch) pitch -= 12;
    return pitch;
  }

  private check(sequence: QuantizedNoteSequence): void {
    assertQuantized(sequence);
    if (sequence.stepsPerQuarter !== this.stepsPerQuarter) {
      throw new ShapeError(
        'sequence.stepsPerQuarter',
        `${this.stepsPerQuarter} (this encoding's grid)`,
        String(sequence.stepsPerQuarter),
      );
    }
    const steps = sequence.notes.reduce((t, n) => Math.max(t, n.quantizedEnd), 0);
    if (steps > this.maxSteps) {
      throw new MidiError('too-many-events', 'sequence', `spans ${steps} steps, over maxSteps ${this.maxSteps}`);
    }
  }

  private checkId(id: number, position: number): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.vocabSize)) {
      throw new TokenizerError(
        'unknown-token',
        `melody id ${String(id)} at position ${position} is outside the vocabulary [0, ${this.vocabSize})`,
      );
    }
  }
}
