import fc from 'fast-check';
import { parseMidi } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { readMidi } from './read-midi.js';
import { arbitrarySequence, maxTimeError, note, sequence } from './test-fixtures/sequences.js';
import { writeMidi } from './write-midi.js';

describe('writeMidi', () => {
  it('writes format 1 with a tempo track and one track per (track, channel), with running status', () => {
    const s = sequence(
      [note(60, 0, 0.5, { program: 19 }), note(38, 0.25, 0.5, { channel: 9, isDrum: true, track: 1 })],
      90,
    );
    const bytes = writeMidi(s);
    const parsed = parseMidi(bytes);
    expect(parsed.header).toMatchObject({ format: 1, numTracks: 3, ticksPerBeat: 480 });
    expect(parsed.tracks[0]?.find((e) => e.type === 'setTempo')).toMatchObject({ microsecondsPerBeat: 666_667 });
    expect(parsed.tracks[1]?.map((e) => e.type)).toEqual(['programChange', 'noteOn', 'noteOff', 'endOfTrack']);
    expect(parsed.tracks[1]?.some((e) => 'running' in e && e.running)).toBe(true);
    const back = readMidi(bytes);
    expect(back.notes.map((n) => [n.pitch, n.program, n.isDrum, n.channel, n.track])).toEqual([
      [60, 19, false, 0, 1],
      [38, 0, true, 9, 2],
    ]);
    expect(maxTimeError(back.notes, s.notes)).toBeLessThan(1e-3);
    expect(back.tempos[0]?.qpm).toBeCloseTo(90, 3);
  });

  it('round-trips seeded random sequences (overlaps of one pitch, zero-length notes, drums) within a tick', () => {
    fc.assert(
      fc.property(arbitrarySequence, fc.constantFrom<0 | 1>(0, 1), (s, format) => {
        const back = readMidi(writeMidi(s, { format }));
        // 480 ticks per quarter at 120 qpm: one tick is 1/960 s; rounding moves a time by half of that.
        expect(maxTimeError(back.notes, s.notes)).toBeLessThanOrEqual(1 / 1920 + 1e-9);
        expect(back.notes.map((n) => n.velocity).sort()).toEqual(s.notes.map((n) => n.velocity).sort());
      }),
      { seed: 18, numRuns: 60 },
    );
  });

  it('refuses a malformed sequence with a ShapeError naming the field, and bad options with a ConfigError', () => {
    const bad = sequence([note(60, 0, 1), note(300, 0, 1)]);
    expect(() => writeMidi(bad)).toThrow(/sequence\.notes\[1\]\.pitch must be an integer in \[0, 127\], got 300/);
    expect(() => writeMidi(sequence([note(60, 1, 0.5)]))).toThrow(/sequence\.notes\[0\]\.end must be/);
    expect(() => writeMidi({ notes: [] } as never)).toThrow(/sequence\.tempos must be an array/);
    expect(() => writeMidi(sequence([]), { ticksPerQuarter: 0 })).toThrow(
      /ticksPerQuarter: must be a positive integer/,
    );
    expect(() => writeMidi(sequence([]), { format: 2 as never })).toThrow(/format: must be one of "0", "1"/);
    // A gap longer than MIDI's longest delta time (2^28 - 1 ticks) cannot be written.
    expect(() => writeMidi(sequence([note(60, 0, 1), note(60, 1e6, 1e6 + 1)]))).toThrow(/a gap of \d+ ticks/);
  });
});
