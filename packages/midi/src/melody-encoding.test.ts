import { ConfigError, ShapeError, TokenizerError } from '@seqgen/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MELODY_NO_EVENT, MELODY_NOTE_OFF, MelodyEncoding } from './melody-encoding.js';
import { quantizeNoteSequence, sequenceFromSteps } from './quantize.js';
import { note, sequence } from './test-fixtures/sequences.js';

const melody = new MelodyEncoding();
const steps = (notes: Array<{ pitch: number; quantizedStart: number; quantizedEnd: number }>) =>
  notes.map((n) => [n.pitch, n.quantizedStart, n.quantizedEnd]);

describe('MelodyEncoding', () => {
  it("is Magenta's melody vocabulary: no-event, note-off, then the pitches of [48, 84)", () => {
    expect(melody.vocabSize).toBe(38);
    expect(melody.tokenNames.slice(0, 3)).toEqual(['no-event', 'note-off', 'note-on:48']);
    expect(melody.tokenName(37)).toBe('note-on:83');
    expect(() => new MelodyEncoding({ minPitch: 60, maxPitch: 65 })).toThrow(ConfigError);
  });

  it('encodes the top line of a polyphonic piece, one id per sixteenth, pitches folded into range', () => {
    // At 120 qpm a sixteenth is 0.125 s. A C major chord, then E (held past the next onset), then a low G rest.
    const s = sequence([
      note(60, 0, 0.5),
      note(64, 0, 0.5),
      note(67, 0, 0.25),
      note(76, 0.5, 1.5),
      note(31, 1.0, 1.25), // G1 folds up to G3 (55) and cuts the E short
      note(36, 0, 2, { isDrum: true, channel: 9 }),
    ]);
    const q = quantizeNoteSequence(s);
    expect(steps(melody.extract(q))).toEqual([
      [67, 0, 2],
      [76, 4, 8],
      [55, 8, 10],
    ]);
    const ids = melody.encode(q);
    const P = (pitch: number) => 2 + pitch - 48;
    expect(ids).toEqual([P(67), 0, MELODY_NOTE_OFF, 0, P(76), 0, 0, 0, P(55), 0, MELODY_NOTE_OFF]);
    expect(steps(melody.decode(ids).notes)).toEqual(steps(melody.extract(q)));
    expect(MELODY_NO_EVENT).toBe(0);
  });

  it('round-trips seeded random monophonic melodies exactly (in steps)', () => {
    const arbitraryMelody = fc
      .array(
        fc.record({
          pitch: fc.integer({ min: 48, max: 83 }),
          rest: fc.integer({ min: 0, max: 3 }),
          length: fc.integer({ min: 1, max: 8 }),
        }),
        {
          minLength: 1,
          maxLength: 40,
        },
      )
      .map((raw) => {
        let step = 0;
        return raw.map((r) => {
          step += r.rest;
          const n = {
            pitch: r.pitch,
            velocity: 100,
            quantizedStart: step,
            quantizedEnd: step + r.length,
            track: 0,
            channel: 0,
            program: 0,
            isDrum: false,
          };
          step += r.length;
          return n;
        });
      });
    fc.assert(
      fc.property(arbitraryMelody, (notes) => {
        const q = sequenceFromSteps(notes, 4);
        const back = melody.decode(melody.encode(q));
        expect(steps(back.notes)).toEqual(steps(notes));
        expect(back.notes.every((n, i) => Math.abs(n.start - (q.notes[i]?.start as number)) < 1e-9)).toBe(true);
      }),
      { seed: 18, numRuns: 100 },
    );
  });

  it('refuses a sequence on another grid, ids outside the vocabulary, and sequences over maxSteps', () => {
    const q = quantizeNoteSequence(sequence([note(60, 0, 1)]), { stepsPerQuarter: 3 });
    expect(() => melody.encode(q)).toThrow(ShapeError);
    expect(() => melody.decode([0, 38])).toThrow(TokenizerError);
    const long = quantizeNoteSequence(sequence([note(60, 0, 1e6)]));
    expect(() => melody.encode(long)).toThrow(/over maxSteps 200000/);
  });
});
