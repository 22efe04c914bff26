import { assertPositiveInteger, ShapeError } from '@seqgen/base';
import {
  assertNoteSequence,
  type ChordAnnotation,
  DEFAULT_QPM,
  type Note,
  type NoteSequence,
  type TempoChange,
} from './note-sequence.js';
import { TempoMap } from './tempo-map.js';

declare const quantizedBrand: unique symbol;

/** A {@link Note} placed on a quantized sequence's grid of steps. */
export type QuantizedNote = Note & {
  /** Onset step (0-based). */
  quantizedStart: number;
  /** Release step, > `quantizedStart`: every quantized note lasts at least one step. */
  quantizedEnd: number;
};

/** A chord annotation placed on the grid. */
export type QuantizedChordAnnotation = ChordAnnotation & {
  /** Step at which the chord begins. */
  quantizedStep: number;
};

/**
 * A {@link NoteSequence} whose notes sit on a grid of `stepsPerQuarter` steps
 * per quarter note (following the tempo map), made only by
 * {@link quantizeNoteSequence} (or decoders that produce steps). The brand
 * makes functions that need steps (the melody and chord encodings,
 * `inferChords`) refuse a plain NoteSequence at compile time; at run time
 * they check the step fields ({@link assertQuantized}). Seconds stay valid,
 * so a quantized sequence is also a NoteSequence (to write, or to encode as
 * a performance).
 */
export type QuantizedNoteSequence = Omit<NoteSequence, 'notes' | 'chords'> & {
  /** Type-level brand: only this package's quantizers produce the type. */
  readonly [quantizedBrand]: true;
  /** Notes with their steps, sorted by onset step, then pitch. */
  notes: QuantizedNote[];
  /** Chord annotations with their steps. */
  chords: QuantizedChordAnnotation[];
  /** Grid resolution: steps per quarter note (4 = sixteenth notes). */
  stepsPerQuarter: number;
  /** Length in steps: the latest release step (or the total time's step, if later). */
  totalSteps: number;
};

/** Options of {@link quantizeNoteSequence}. */
export type QuantizeOptions = {
  /** Steps per quarter note (default 4: a grid of sixteenth notes). */
  stepsPerQuarter?: number;
};

/**
 * Snaps every note of `sequence` to the nearest step of a grid of
 * `stepsPerQuarter` steps per quarter note, laid through the tempo map (the
 * grid follows tempo changes). A note shorter than a step after snapping
 * lasts one step, as in Magenta. Seconds are left as they were.
 */
export function quantizeNoteSequence(sequence: NoteSequence, options: QuantizeOptions = {}): QuantizedNoteSequence {
  assertNoteSequence(sequence);
  const stepsPerQuarter = options.stepsPerQuarter ?? 4;
  assertPositiveInteger('stepsPerQuarter', stepsPerQuarter);
  const map = new TempoMap(sequence.tempos);
  const toStep = (seconds: number) => Math.round(map.secondsToQuarters(seconds) * stepsPerQuarter);
  const notes = sequence.notes.map((note): QuantizedNote => {
    const quantizedStart = toStep(note.start);
    return { ...note, quantizedStart, quantizedEnd: Math.max(quantizedStart + 1, toStep(note.end)) };
  });
  notes.sort((a, b) => a.quantizedStart - b.quantizedStart || a.pitch - b.pitch || a.quantizedEnd - b.quantizedEnd);
  const chords = sequence.chords.map((c) => ({ ...c, quantizedStep: toStep(c.time) }));
  const totalSteps = notes.reduce((t, n) => Math.max(t, n.quantizedEnd), toStep(sequence.totalTime));
  return { ...sequence, notes, chords, stepsPerQuarter, totalSteps } as QuantizedNoteSequence;
}

/**
 * Builds a quantized sequence from notes already on a grid (decoders use it):
 * seconds are computed from the steps at a constant `qpm`.
 */
export function sequenceFromSteps(
  notes: ReadonlyArray<Omit<QuantizedNote, 'start' | 'end'>>,
  stepsPerQuarter: number,
  qpm = DEFAULT_QPM,
  chords: ReadonlyArray<Omit<QuantizedChordAnnotation, 'time'>> = [],
): QuantizedNoteSequence {
  const secondsPerStep = 60 / qpm / stepsPerQuarter;
  const placed = notes
    .map((n) => ({ ...n, start: n.quantizedStart * secondsPerStep, end: n.quantizedEnd * secondsPerStep }))
    .sort((a, b) => a.quantizedStart - b.quantizedStart || a.pitch - b.pitch || a.quantizedEnd - b.quantizedEnd);
  const totalSteps = placed.reduce((t, n) => Math.max(t, n.quantizedEnd), 0);
  const tempos: TempoChange[] = [{ time: 0, qpm }];
  return {
    notes: placed,
    tempos,
    timeSignatures: [],
    chords: chords.map((c) => ({ ...c, time: c.quantizedStep * secondsPerStep })),
    totalTime: totalSteps * secondsPerStep,
    stepsPerQuarter,
    totalSteps,
  } as unknown as QuantizedNoteSequence;
}

/** Whether `value` carries valid quantization (as {@link assertQuantized} checks it), without throwing. */
export function isQuantized(value: unknown): value is QuantizedNoteSequence {
  try {
    assertQuantized(value);
    return true;
  } catch {
    return false;
  }
}

const isStep = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks at run time what the type checks at compile time: `value` must be
 * a {@link QuantizedNoteSequence} (a NoteSequence with `stepsPerQuarter`,
 * `totalSteps` and integer steps on every note). A NoteSequence that was
 * never quantized, reaching here through `any` or plain JavaScript, is a
 * `ShapeError` that says to call `quantizeNoteSequence` first: never an
 * empty result.
 */
export function assertQuantized(value: unknown, argument = 'sequence'): asserts value is QuantizedNoteSequence {
  assertNoteSequence(value, argument);
  const q = value as Partial<QuantizedNoteSequence>;
  if (q.stepsPerQuarter === undefined) {
    throw new ShapeError(
      argument,
      'a QuantizedNoteSequence (pass it through quantizeNoteSequence first)',
      'a NoteSequence in seconds without stepsPerQuarter',
    );
  }
  if (!(isStep(q.stepsPerQuarter) && q.stepsPerQuarter > 0)) {
    throw new ShapeError(`${argument}.stepsPerQuarter`, 'a positive integer', String(q.stepsPerQuarter));
  }
  if (!isStep(q.totalSteps)) throw new ShapeError(`${argument}.totalSteps`, 'an integer ≥ 0', String(q.totalSteps));
  (q.notes as Array<Partial<QuantizedNote>>).forEach((n, i) => {
    if (!isStep(n.quantizedStart) || !isStep(n.quantizedEnd) || n.quantizedEnd <= n.quantizedStart) {
      throw new ShapeError(
        `${argument}.notes[${i}]`,
        'a quantized note (integer quantizedStart ≥ 0 and quantizedEnd > quantizedStart)',
        `quantizedStart ${String(n.quantizedStart)}, quantizedEnd ${String(n.quantizedEnd)}`,
      );
    }
  });
  (q.chords as Array<Partial<QuantizedChordAnnotation>>).forEach((c, i) => {
    if (!isStep(c.quantizedStep)) {
      throw new ShapeError(`${argument}.chords[${i}].quantizedStep`, 'an integer ≥ 0', String(c.quantizedStep));
    }
  });
}
