import { beforeAll, describe, expect, it } from 'vitest';
import { ChordEncoding } from './chord-encoding.js';
import { chordTrack } from './infer-chords.js';
import { MelodyEncoding } from './melody-encoding.js';
import type { NoteSequence } from './note-sequence.js';
import { PerformanceEncoding } from './performance-encoding.js';
import { type QuantizedNote, type QuantizedNoteSequence, quantizeNoteSequence } from './quantize.js';
import { readMidi } from './read-midi.js';
import { openmsxBytes, openmsxPieces } from './test-fixtures/openmsx.js';
import { maxTimeError } from './test-fixtures/sequences.js';
import { writeMidi } from './write-midi.js';

// The real files, read once for every check here (reading them is most of the time these tests take).
const pieces = openmsxPieces();
const read = new Map<string, NoteSequence>();
const quantized = new Map<string, QuantizedNoteSequence>();
beforeAll(() => {
  for (const file of pieces) {
    const s = readMidi(openmsxBytes(file), { name: file });
    read.set(file, s);
    quantized.set(file, quantizeNoteSequence(s));
  }
}, 60_000);
const each = () => [...read.entries()];
const steps = (notes: QuantizedNote[]) => notes.map((n) => [n.pitch, n.quantizedStart, n.quantizedEnd]);

describe.skipIf(pieces.length === 0)('the 31 openttd-openmsx pieces', () => {
  it('read: ~80k notes, drums, several tracks each', () => {
    expect(pieces).toHaveLength(31);
    let notes = 0;
    let drums = 0;
    for (const [file, s] of each()) {
      notes += s.notes.length;
      drums += s.notes.filter((n) => n.isDrum).length;
      expect(s.notes.length, file).toBeGreaterThan(100);
      expect(s.totalTime, file).toBeGreaterThan(20);
      expect(new Set(s.notes.map((n) => n.track)).size, file).toBeGreaterThan(1);
      expect(
        s.notes.every((n) => n.end >= n.start && n.start >= 0),
        file,
      ).toBe(true);
    }
    expect(notes).toBeGreaterThan(75_000);
    expect(drums).toBeGreaterThan(5_000);
  });

  it('read → write (format 0 with running status, or format 1) → read keeps every note within a tick', () => {
    for (const [i, [file, s]] of each().entries()) {
      const back = readMidi(writeMidi(s, { format: i % 2 === 0 ? 0 : 1 }), { name: `${file} rewritten` });
      expect(back.notes.length, file).toBe(s.notes.length);
      expect(maxTimeError(back.notes, s.notes), file).toBeLessThan(1e-3);
      expect(back.tempos.length, file).toBe(s.tempos.length);
      expect(Math.abs(back.totalTime - s.totalTime), file).toBeLessThan(1e-3);
    }
  }, 60_000);

  it('performance events: MIDI → events → MIDI keeps every pitched note within the step (10 ms; 15 ms for sub-step notes)', () => {
    const encoding = new PerformanceEncoding();
    let events = 0;
    for (const [file, s] of each()) {
      const ids = encoding.encode(s);
      events += ids.length;
      expect(Math.max(...ids), file).toBeLessThan(388);
      const back = readMidi(writeMidi(encoding.decode(ids)), { name: `${file} decoded` });
      const pitched = s.notes.filter((n) => !n.isDrum);
      expect(back.notes.length, file).toBe(pitched.length);
      expect(maxTimeError(back.notes, pitched), file).toBeLessThanOrEqual(0.015 + 1e-3);
    }
    expect(events).toBeGreaterThan(100_000);
    const first = read.values().next().value as NoteSequence;
    // A quantized sequence is a NoteSequence in seconds too, and encodes the same.
    expect(encoding.encode(quantizeNoteSequence(first))).toEqual(encoding.encode(first));
  }, 60_000);

  it('melody ids: MIDI → melody ids → melody keeps every melody note on its step', () => {
    const melody = new MelodyEncoding();
    let notes = 0;
    for (const [file, q] of quantized) {
      const extracted = melody.extract(q);
      expect(steps(melody.decode(melody.encode(q)).notes), file).toEqual(steps(extracted));
      notes += extracted.length;
    }
    expect(notes).toBeGreaterThan(10_000);
  }, 60_000);

  it('chords: one per beat, mostly chords rather than N.C., and they encode', () => {
    const encoding = new ChordEncoding();
    for (const [file, q] of quantized) {
      const chords = chordTrack(q);
      expect(chords.length, file).toBe(Math.ceil(q.totalSteps / 4));
      expect(chords.filter((c) => c !== null).length / chords.length, file).toBeGreaterThan(0.5);
      expect(encoding.decode(encoding.encode(chords))).toEqual(chords);
    }
  }, 60_000);
});
