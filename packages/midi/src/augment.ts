import { assertFiniteNumber, assertInRange, ConfigError } from '@seqgen/base';
import { assertNoteSequence, compareNotes, type NoteSequence } from './note-sequence.js';

/**
 * Moves every pitched note by `semitones` (data augmentation). Drum notes
 * stay (their pitch names a drum), and so do notes pushed outside 0–127,
 * which are dropped; chord annotations move with the notes. Works on a
 * quantized sequence too (steps are unchanged) and keeps its type.
 */
export function transposeNoteSequence<S extends NoteSequence>(sequence: S, semitones: number): S {
  assertNoteSequence(sequence);
  if (!Number.isInteger(semitones)) throw new ConfigError('semitones', `must be an integer, got ${semitones}`);
  const notes = sequence.notes
    .map((n) => (n.isDrum ? n : { ...n, pitch: n.pitch + semitones }))
    .filter((n) => n.pitch >= 0 && n.pitch <= 127)
    .sort(compareNotes);
  const chords = sequence.chords.map((c) =>
    c.chord === null ? c : { ...c, chord: { ...c.chord, root: (((c.chord.root + semitones) % 12) + 12) % 12 } },
  );
  return { ...sequence, notes, chords };
}

/**
 * Plays a sequence `factor` times as long (data augmentation by time
 * stretch: 1.1 is 10% slower): every time is multiplied and every tempo
 * divided, so the beat grid — and a quantized sequence's steps — stay as
 * they were. `factor` must lie in (0, 100].
 */
export function stretchNoteSequence<S extends NoteSequence>(sequence: S, factor: number): S {
  assertNoteSequence(sequence);
  assertFiniteNumber('factor', factor);
  assertInRange('factor', factor, 0, 100, { openMin: true });
  return {
    ...sequence,
    notes: sequence.notes.map((n) => ({ ...n, start: n.start * factor, end: n.end * factor })),
    tempos: sequence.tempos.map((t) => ({ time: t.time * factor, qpm: t.qpm / factor })),
    timeSignatures: sequence.timeSignatures.map((t) => ({ ...t, time: t.time * factor })),
    chords: sequence.chords.map((c) => ({ ...c, time: c.time * factor })),
    totalTime: sequence.totalTime * factor,
  };
}
