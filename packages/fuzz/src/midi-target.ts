import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ChordEncoding,
  chordTrack,
  MelodyEncoding,
  type NoteSequence,
  PerformanceEncoding,
  quantizeNoteSequence,
  readMidi,
  writeMidi,
} from '@seqgen/midi';
import type { Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import { isTypedError } from './typed-error.js';

/** Debian's `openttd-openmsx` pieces (GPL-2: read where installed, never copied into the corpus by hand). */
const OPENMSX_DIR = process.env.SEQGEN_OPENMSX_DIR ?? '/usr/share/games/openttd/baseset/openmsx';
/** Real pieces used as seeds: the smallest ones, so that mutations reach headers as often as events. */
const REAL_SEEDS = 8;

const note = (pitch: number, start: number, end: number, extra: Partial<NoteSequence['notes'][number]> = {}) => ({
  pitch,
  velocity: 90,
  start,
  end,
  track: 0,
  channel: 0,
  program: 0,
  isDrum: false,
  ...extra,
});

/**
 * Small files written by @seqgen/midi's `writeMidi` (the `midi-file` writer):
 * format 0 with running status and format 1, a tempo change, a time
 * signature, chord markers, drums, overlapping notes of one pitch and a
 * zero-length note.
 */
export function syntheticMidiSeeds(): Seed[] {
  const piece: NoteSequence = {
    notes: [
      note(48, 0, 2, { program: 32, channel: 1, track: 1 }),
      note(60, 0, 0.5),
      note(60, 0.25, 0.75),
      note(64, 0.5, 1),
      note(67, 1, 1),
      note(72, 1.5, 2.5),
      note(36, 0, 0.1, { channel: 9, isDrum: true, track: 2 }),
      note(42, 0.5, 0.6, { channel: 9, isDrum: true, track: 2 }),
    ],
    tempos: [
      { time: 0, qpm: 100 },
      { time: 1.2, qpm: 140 },
    ],
    timeSignatures: [{ time: 0, numerator: 3, denominator: 4 }],
    chords: [
      { time: 0, chord: { root: 0, quality: 'maj' } },
      { time: 1.2, chord: { root: 9, quality: 'min' } },
    ],
    totalTime: 2.5,
  };
  return [
    { name: 'synthetic format 0, running status', bytes: writeMidi(piece, { format: 0, ticksPerQuarter: 96 }) },
    { name: 'synthetic format 1, no running status', bytes: writeMidi(piece, { format: 1, runningStatus: false }) },
  ];
}

/** The synthetic seeds, plus the smallest openttd-openmsx pieces where the package is installed. */
export function midiSeeds(): Seed[] {
  const seeds = syntheticMidiSeeds();
  if (existsSync(OPENMSX_DIR)) {
    const files = readdirSync(OPENMSX_DIR)
      .filter((f) => f.endsWith('.mid'))
      .map((f) => ({ f, size: statSync(join(OPENMSX_DIR, f)).size }))
      .sort((a, b) => a.size - b.size || a.f.localeCompare(b.f))
      .slice(0, REAL_SEEDS);
    for (const { f } of files)
      seeds.push({ name: `openmsx ${f}`, bytes: new Uint8Array(readFileSync(join(OPENMSX_DIR, f))) });
  }
  return seeds;
}

/**
 * `readMidi(<bytes>)` with the bounds an app would use, then everything a
 * music pipeline does with what it read: quantize, the performance, melody
 * and chord encodings there and back, and `writeMidi` (whose `midi-file`
 * writer loops forever on a delta time over 2^31). Every input must give a
 * result or a typed error (`MidiError`, `ShapeError`…), never an untyped
 * error, a hang or a runaway allocation.
 */
export const midi: Target = {
  name: 'midi',
  parser: 'readMidi(<bytes>) + quantize, performance/melody/chord encode-decode, writeMidi',
  seeds: async () => midiSeeds(),
  async parse(input) {
    const sequence = readMidi(input, { name: 'fuzz.mid', maxEvents: 200_000 });
    const performance = new PerformanceEncoding({ maxEvents: 200_000 });
    performance.decode(performance.encode(sequence));
    const quantized = quantizeNoteSequence(sequence);
    const melody = new MelodyEncoding({ maxSteps: 100_000 });
    melody.decode(melody.encode(quantized));
    const chords = new ChordEncoding();
    chords.decode(chords.encode(chordTrack(quantized, { maxChords: 20_000 })));
    readMidi(writeMidi(sequence), { name: 'fuzz.mid rewritten' });
  },
  isTypedError,
};
