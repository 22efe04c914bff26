import { ShapeError } from '@seqgen/base';
import { type Chord, isChord } from './chord-symbols.js';

/**
 * One note, timed in seconds. `track` is the index of the file track it came
 * from (0 for format-0 files and decoded sequences), `channel` its MIDI
 * channel (0–15; 9 is General MIDI's drum channel 10), `program` the General
 * MIDI program (0–127) that channel had when the note began.
 */
export type Note = {
  /** MIDI pitch, 0–127 (60 is middle C). */
  pitch: number;
  /** MIDI velocity, 1–127. */
  velocity: number;
  /** Onset in seconds, ≥ 0. */
  start: number;
  /** Release in seconds, ≥ `start` (equal for a zero-length note). */
  end: number;
  /** Index of the track the note belongs to. */
  track: number;
  /** MIDI channel, 0–15. */
  channel: number;
  /** General MIDI program (instrument), 0–127. */
  program: number;
  /** Whether this is a percussion note (channel 10, index 9): its pitch names a drum, not a pitch. */
  isDrum: boolean;
};

/** From `time` (seconds) on, the tempo is `qpm` quarter notes per minute. */
export type TempoChange = {
  /** When the tempo takes effect, in seconds. */
  time: number;
  /** Quarter notes per minute. */
  qpm: number;
};

/** From `time` (seconds) on, bars hold `numerator` notes of value 1/`denominator`. */
export type TimeSignatureChange = {
  /** When the time signature takes effect, in seconds. */
  time: number;
  /** Beats per bar (the 3 of 3/4). */
  numerator: number;
  /** The beat's note value (the 4 of 3/4): a power of two. */
  denominator: number;
};

/** A chord symbol written in the file (a marker), holding from `time` (seconds) until the next. */
export type ChordAnnotation = {
  /** When the chord begins, in seconds. */
  time: number;
  /** The chord, or `null` for "no chord" (N.C.). */
  chord: Chord | null;
};

/**
 * A piece of music timed in seconds: what {@link readMidi} returns and
 * {@link writeMidi} writes. Seconds are computed through the tempo map, so
 * `tempos` matter only for the beat grid (quantization, writing ticks).
 */
export type NoteSequence = {
  /** Every note, sorted by start, then pitch. */
  notes: Note[];
  /** Tempo changes sorted by time; empty means 120 quarter notes per minute throughout. */
  tempos: TempoChange[];
  /** Time-signature changes sorted by time; empty means 4/4 throughout. */
  timeSignatures: TimeSignatureChange[];
  /** Chord symbols the file carries (empty when it has none: infer them with `inferChords`). */
  chords: ChordAnnotation[];
  /** Length in seconds: the latest note end (or the end of the file's longest track, if later). */
  totalTime: number;
};

/** Quarter notes per minute when a sequence names no tempo (the MIDI default). */
export const DEFAULT_QPM = 120;

const isInt = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const show = (v: unknown): string => (typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/**
 * Checks that `sequence` is a well-formed {@link NoteSequence} (a plain object
 * from JavaScript may be anything): a `ShapeError` names the first bad
 * field (`sequence.notes[3].pitch must be an integer in [0, 127], got 300`).
 */
export function assertNoteSequence(sequence: unknown, argument = 'sequence'): asserts sequence is NoteSequence {
  if (typeof sequence !== 'object' || sequence === null) {
    throw new ShapeError(argument, 'a NoteSequence object', show(sequence));
  }
  const s = sequence as Partial<NoteSequence>;
  for (const key of ['notes', 'tempos', 'timeSignatures', 'chords'] as const) {
    if (!Array.isArray(s[key])) throw new ShapeError(`${argument}.${key}`, 'an array', show(s[key]));
  }
  if (!isTime(s.totalTime)) throw new ShapeError(`${argument}.totalTime`, 'a finite number ≥ 0', show(s.totalTime));
  (s.notes as unknown[]).forEach((n, i) => {
    const at = `${argument}.notes[${i}]`;
    if (typeof n !== 'object' || n === null) throw new ShapeError(at, 'a Note object', show(n));
    const note = n as Partial<Note>;
    if (!isInt(note.pitch, 0, 127)) throw new ShapeError(`${at}.pitch`, 'an integer in [0, 127]', show(note.pitch));
    if (!isInt(note.velocity, 1, 127))
      throw new ShapeError(`${at}.velocity`, 'an integer in [1, 127]', show(note.velocity));
    if (!isTime(note.start)) throw new ShapeError(`${at}.start`, 'a finite number ≥ 0 (seconds)', show(note.start));
    if (!isTime(note.end) || note.end < note.start) {
      throw new ShapeError(`${at}.end`, `a finite number ≥ start (${note.start})`, show(note.end));
    }
    if (!isInt(note.track, 0, 65535)) throw new ShapeError(`${at}.track`, 'an integer in [0, 65535]', show(note.track));
    if (!isInt(note.channel, 0, 15)) throw new ShapeError(`${at}.channel`, 'an integer in [0, 15]', show(note.channel));
    if (!isInt(note.program, 0, 127))
      throw new ShapeError(`${at}.program`, 'an integer in [0, 127]', show(note.program));
    if (typeof note.isDrum !== 'boolean') throw new ShapeError(`${at}.isDrum`, 'a boolean', show(note.isDrum));
  });
  (s.tempos as unknown[]).forEach((t, i) => {
    const tempo = (t ?? {}) as Partial<TempoChange>;
    if (!isTime(tempo.time))
      throw new ShapeError(`${argument}.tempos[${i}].time`, 'a finite number ≥ 0', show(tempo.time));
    if (!(typeof tempo.qpm === 'number' && Number.isFinite(tempo.qpm) && tempo.qpm > 0)) {
      throw new ShapeError(`${argument}.tempos[${i}].qpm`, 'a finite number > 0', show(tempo.qpm));
    }
  });
  (s.timeSignatures as unknown[]).forEach((t, i) => {
    const ts = (t ?? {}) as Partial<TimeSignatureChange>;
    const at = `${argument}.timeSignatures[${i}]`;
    if (!isTime(ts.time)) throw new ShapeError(`${at}.time`, 'a finite number ≥ 0', show(ts.time));
    if (!isInt(ts.numerator, 1, 255))
      throw new ShapeError(`${at}.numerator`, 'an integer in [1, 255]', show(ts.numerator));
    if (!(isInt(ts.denominator, 1, 128) && ((ts.denominator as number) & ((ts.denominator as number) - 1)) === 0)) {
      throw new ShapeError(`${at}.denominator`, 'a power of two in [1, 128]', show(ts.denominator));
    }
  });
  (s.chords as unknown[]).forEach((c, i) => {
    const annotation = (c ?? {}) as Partial<ChordAnnotation>;
    if (!isTime(annotation.time))
      throw new ShapeError(`${argument}.chords[${i}].time`, 'a finite number ≥ 0', show(annotation.time));
    const chord = annotation.chord;
    if (chord !== null && !isChord(chord)) {
      throw new ShapeError(`${argument}.chords[${i}].chord`, 'a Chord ({ root: 0–11, quality }) or null', show(chord));
    }
  });
}

/** Orders notes by start, then pitch, then end (the order every function here returns). */
export function compareNotes(a: Note, b: Note): number {
  return a.start - b.start || a.pitch - b.pitch || a.end - b.end || a.track - b.track || a.channel - b.channel;
}
