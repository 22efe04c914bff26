import { ConfigError, TokenizerError } from '@seqgen/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MidiError } from './midi-error.js';
import { PerformanceEncoding } from './performance-encoding.js';
import { arbitrarySequence, maxTimeError, note, sequence } from './test-fixtures/sequences.js';

const encoding = new PerformanceEncoding();

describe('PerformanceEncoding', () => {
  it("has Performance RNN's 388 events: 128 note-on, 128 note-off, 100 shifts of 10 ms, 32 velocity bins", () => {
    expect(encoding.vocabSize).toBe(388);
    const names = encoding.tokenNames;
    expect(names).toHaveLength(388);
    expect([names[0], names[60], names[128 + 60], names[256], names[355], names[356], names[387]]).toEqual([
      'note-on:0',
      'note-on:60',
      'note-off:60',
      'time-shift:1',
      'time-shift:100',
      'velocity:1',
      'velocity:32',
    ]);
    expect(encoding.id({ type: 'time-shift', steps: 50 })).toBe(305);
    expect(encoding.event(305)).toEqual({ type: 'time-shift', steps: 50 });
    expect([
      encoding.velocityToBin(1),
      encoding.velocityToBin(4),
      encoding.velocityToBin(5),
      encoding.velocityToBin(127),
    ]).toEqual([1, 1, 2, 32]);
  });

  it('encodes a small performance exactly as expected', () => {
    const s = sequence([
      note(60, 0, 0.5, { velocity: 100 }),
      note(64, 0.25, 2.0, { velocity: 100 }),
      note(36, 0, 1, { isDrum: true, channel: 9 }),
    ]);
    const ids = encoding.encode(s);
    expect(ids.map((id) => encoding.tokenName(id))).toEqual([
      'velocity:25',
      'note-on:60',
      'time-shift:25',
      'note-on:64',
      'time-shift:25',
      'note-off:60',
      'time-shift:100',
      'time-shift:50',
      'note-off:64',
    ]);
    const back = encoding.decode(ids);
    expect(back.notes.map((n) => [n.pitch, n.start, n.end, n.velocity])).toEqual([
      [60, 0, 0.5, 97],
      [64, 0.25, 2, 97],
    ]);
  });

  it('round-trips seeded random sequences: every onset and release within a step, velocity within its bin', () => {
    const withDrums = new PerformanceEncoding({ includeDrums: true });
    fc.assert(
      fc.property(arbitrarySequence, (s) => {
        const back = withDrums.decode(withDrums.encode(s));
        // Onsets round to the nearest 10 ms; a note shorter than a step is lengthened to one step.
        expect(maxTimeError(back.notes, s.notes)).toBeLessThanOrEqual(0.015 + 1e-9);
        const velocityError = Math.max(
          0,
          ...s.notes.map((n) => {
            const candidates = back.notes.filter(
              (b) => b.pitch === n.pitch && Math.abs(b.start - n.start) <= 0.005 + 1e-9,
            );
            return Math.min(...candidates.map((b) => Math.abs(b.velocity - n.velocity)));
          }),
        );
        expect(velocityError).toBeLessThan(4);
        // Re-encoding a decoded stream gives the same stream.
        const ids = withDrums.encode(back);
        expect(withDrums.encode(withDrums.decode(ids))).toEqual(ids);
      }),
      { seed: 18, numRuns: 80 },
    );
  });

  it('decodes any stream of valid ids (unmatched releases ignored, open notes closed), and refuses ids outside the vocabulary', () => {
    const back = encoding.decode([128 + 60, 60, 300, 60, 128 + 60]);
    expect(back.notes.map((n) => [n.pitch, n.start, n.end])).toEqual([
      [60, 0, 0.45],
      [60, 0.45, 0.46],
    ]);
    expect(() => encoding.decode([0, 388])).toThrow(TokenizerError);
    expect(() => encoding.decode([0, 1.5])).toThrow(/id 1.5 at position 1 is outside the vocabulary \[0, 388\)/);
    expect(() => new PerformanceEncoding({ velocityBins: 200 })).toThrow(ConfigError);
    expect(() => encoding.encode({ notes: [] } as never)).toThrow(/sequence\.tempos must be an array/);
  });

  it('caps decoded notes at maxNoteSeconds (a forgotten release), leaving shorter notes as they are', () => {
    // 60 on, 2 s, 62 on, 0.1 s, 62 off: 60 is never released.
    const ids = [60, 256 + 99, 256 + 99, 62, 256 + 9, 128 + 62];
    const span = (o?: { maxNoteSeconds: number }) =>
      encoding.decode(ids, o).notes.map((n) => [n.pitch, n.start, Number(n.end.toFixed(6))]);
    expect(span()).toEqual([
      [60, 0, 2.1],
      [62, 2, 2.1],
    ]);
    expect(span({ maxNoteSeconds: 0.5 })).toEqual([
      [60, 0, 0.5],
      [62, 2, 2.1],
    ]);
    expect(() => encoding.decode(ids, { maxNoteSeconds: 0 })).toThrow(ConfigError);
    expect(() => encoding.decode(ids, { maxNoteSeconds: Number.NaN })).toThrow(/maxNoteSeconds/);
  });

  it('refuses a sequence that would encode to more than maxEvents events, before encoding it', () => {
    const far = sequence([note(60, 0, 1), note(61, 1e9, 1e9 + 1)]);
    const e = (() => {
      try {
        encoding.encode(far);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(MidiError);
    expect((e as MidiError).reason).toBe('too-many-events');
  });
});
