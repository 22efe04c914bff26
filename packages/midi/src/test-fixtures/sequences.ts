import fc from 'fast-check';
import type { Note, NoteSequence } from '../note-sequence.js';

/** A note with defaults for the fields a test does not care about. */
export function note(pitch: number, start: number, end: number, extra: Partial<Note> = {}): Note {
  return { pitch, velocity: 80, start, end, track: 0, channel: 0, program: 0, isDrum: false, ...extra };
}

/** A sequence of `notes` at one tempo. */
export function sequence(notes: Note[], qpm = 120): NoteSequence {
  const sorted = [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  return {
    notes: sorted,
    tempos: [{ time: 0, qpm }],
    timeSignatures: [{ time: 0, numerator: 4, denominator: 4 }],
    chords: [],
    totalTime: notes.reduce((t, n) => Math.max(t, n.end), 0),
  };
}

/**
 * Random polyphonic sequences: overlapping notes (of one pitch too),
 * zero-length notes, drums, several tracks and programs, times in ms.
 */
export const arbitrarySequence: fc.Arbitrary<NoteSequence> = fc
  .array(
    fc.record({
      pitch: fc.integer({ min: 0, max: 127 }),
      velocity: fc.integer({ min: 1, max: 127 }),
      startMs: fc.integer({ min: 0, max: 8_000 }),
      lengthMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_000 })),
      track: fc.integer({ min: 0, max: 3 }),
      channel: fc.integer({ min: 0, max: 15 }),
      program: fc.integer({ min: 0, max: 127 }),
    }),
    { maxLength: 60 },
  )
  .map((raw) =>
    sequence(
      raw.map((r) =>
        note(r.pitch, r.startMs / 1000, (r.startMs + r.lengthMs) / 1000, {
          velocity: r.velocity,
          track: r.track,
          channel: r.channel,
          program: r.program,
          isDrum: r.channel === 9,
        }),
      ),
    ),
  );

/** For each pitch, the sorted onsets and the sorted releases: what any MIDI round trip must keep (pairing of overlapping same-pitch notes is ambiguous). */
export function timesByPitch(notes: readonly Note[]): Map<number, { starts: number[]; ends: number[] }> {
  const byPitch = new Map<number, { starts: number[]; ends: number[] }>();
  for (const n of notes) {
    let entry = byPitch.get(n.pitch);
    if (!entry) byPitch.set(n.pitch, (entry = { starts: [], ends: [] }));
    entry.starts.push(n.start);
    entry.ends.push(n.end);
  }
  for (const entry of byPitch.values()) {
    entry.starts.sort((a, b) => a - b);
    entry.ends.sort((a, b) => a - b);
  }
  return byPitch;
}

/** The largest difference between matching onsets and releases of two note lists (Infinity if the counts differ). */
export function maxTimeError(a: readonly Note[], b: readonly Note[]): number {
  const x = timesByPitch(a);
  const y = timesByPitch(b);
  if (x.size !== y.size) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const [pitch, ex] of x) {
    const ey = y.get(pitch);
    if (!ey || ey.starts.length !== ex.starts.length) return Number.POSITIVE_INFINITY;
    ex.starts.forEach((t, i) => {
      worst = Math.max(worst, Math.abs(t - (ey.starts[i] as number)));
    });
    ex.ends.forEach((t, i) => {
      worst = Math.max(worst, Math.abs(t - (ey.ends[i] as number)));
    });
  }
  return worst;
}
