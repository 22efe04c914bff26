import { ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { inferChords } from './infer-chords.js';
import { MelodyEncoding } from './melody-encoding.js';
import type { NoteSequence } from './note-sequence.js';
import { assertQuantized, isQuantized, type QuantizedNoteSequence, quantizeNoteSequence } from './quantize.js';
import { note, sequence } from './test-fixtures/sequences.js';

describe('quantizeNoteSequence', () => {
  it('snaps notes to a grid laid through the tempo map; a note shorter than a step lasts one step', () => {
    const s: NoteSequence = {
      ...sequence([note(60, 0.13, 0.2), note(62, 0.5, 0.5), note(64, 1.0, 1.24), note(65, 1.5, 2.5)]),
      // 120 qpm for the first second (2 quarters), then 60 qpm: a sixteenth is 0.125 s, then 0.25 s.
      tempos: [
        { time: 0, qpm: 120 },
        { time: 1, qpm: 60 },
      ],
    };
    const q = quantizeNoteSequence(s, { stepsPerQuarter: 4 });
    expect(q.notes.map((n) => [n.pitch, n.quantizedStart, n.quantizedEnd])).toEqual([
      [60, 1, 2],
      [62, 4, 5],
      [64, 8, 9],
      [65, 10, 14],
    ]);
    expect(q.stepsPerQuarter).toBe(4);
    expect(q.totalSteps).toBe(14);
    expect(q.notes[3]?.start).toBe(1.5); // seconds are kept
    expect(isQuantized(q)).toBe(true);
    expect(isQuantized(s)).toBe(false);
  });

  it('functions that need steps refuse an unquantized sequence: at compile time, and with a ShapeError at run time', () => {
    const s = sequence([note(60, 0, 0.5), note(64, 0.5, 1)]);
    const melody = new MelodyEncoding();
    // @ts-expect-error a NoteSequence in seconds is not a QuantizedNoteSequence
    expect(() => melody.encode(s)).toThrow(ShapeError);
    // @ts-expect-error the same for chord inference
    expect(() => inferChords(s)).toThrow(/pass it through quantizeNoteSequence first/);
    // Plain JavaScript (or `any`) gets the same typed error, never an empty result.
    const untyped: any = s;
    expect(() => melody.encode(untyped)).toThrow(/sequence must be a QuantizedNoteSequence/);
    // A forged brand with broken steps is caught too.
    const forged = { ...quantizeNoteSequence(s), notes: [{ ...s.notes[0], quantizedStart: 2, quantizedEnd: 1 }] };
    expect(() => assertQuantized(forged)).toThrow(/sequence\.notes\[0\] must be a quantized note/);
    const ok: QuantizedNoteSequence = quantizeNoteSequence(s);
    expect(melody.encode(ok).length).toBeGreaterThan(0);
  });

  it('bad options are a ConfigError; a malformed sequence a ShapeError', () => {
    expect(() => quantizeNoteSequence(sequence([]), { stepsPerQuarter: 0 })).toThrow(
      /stepsPerQuarter: must be a positive integer/,
    );
    expect(() => quantizeNoteSequence({ notes: 'x' } as never)).toThrow(ShapeError);
  });
});
