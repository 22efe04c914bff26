import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MidiData, type MidiEvent, writeMidi as writeMidiFile } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { MidiError } from './midi-error.js';
import { readMidi, readMidiFile } from './read-midi.js';

const on = (deltaTime: number, noteNumber: number, channel = 0, velocity = 90): MidiEvent => ({
  deltaTime,
  type: 'noteOn',
  channel,
  noteNumber,
  velocity,
});
const off = (deltaTime: number, noteNumber: number, channel = 0): MidiEvent => ({
  deltaTime,
  type: 'noteOff',
  channel,
  noteNumber,
  velocity: 0,
  byte9: true,
});
const end = (deltaTime = 0): MidiEvent => ({ deltaTime, type: 'endOfTrack', meta: true });
const bytesOf = (data: MidiData, running = true) =>
  Uint8Array.from(writeMidiFile(data, { running, useByte9ForNoteOff: true }));

function failure(run: () => unknown): MidiError {
  try {
    run();
  } catch (error) {
    if (error instanceof MidiError) return error;
    throw error;
  }
  throw new Error('expected a MidiError');
}

/** A format-0 file at 96 ticks per quarter and 120 qpm (a quarter is 0.5 s): one tick is 1/192 s. */
const formatZero = bytesOf({
  header: { format: 0, numTracks: 1, ticksPerBeat: 96 },
  tracks: [
    [
      { deltaTime: 0, type: 'programChange', channel: 0, programNumber: 40 },
      on(0, 60),
      on(0, 64, 1),
      on(0, 36, 9), // a drum on channel 10
      off(96, 60),
      off(0, 36, 9),
      // overlapping notes of one pitch: paired first in, first out
      on(0, 62),
      on(48, 62, 0, 50),
      off(48, 62),
      off(48, 62),
      // a zero-length note
      on(0, 70),
      off(0, 70),
      off(0, 64, 1),
      end(96),
    ],
  ],
});

describe('readMidi on files written with midi-file', () => {
  it('reads a format-0 file with running status: programs, drums, overlaps, zero-length notes', () => {
    expect(formatZero.length).toBeLessThan(14 + 8 + 14 * 4); // running status: most events are 3 bytes
    const s = readMidi(formatZero);
    const t = (ticks: number) => ticks / 192;
    expect(s.notes.map((n) => [n.pitch, n.start, n.end, n.channel, n.program, n.isDrum, n.velocity])).toEqual([
      [36, 0, t(96), 9, 0, true, 90],
      [60, 0, t(96), 0, 40, false, 90],
      [64, 0, t(240), 1, 0, false, 90],
      [62, t(96), t(192), 0, 40, false, 90],
      [62, t(144), t(240), 0, 40, false, 50],
      [70, t(240), t(240), 0, 40, false, 90],
    ]);
    expect(s.totalTime).toBeCloseTo(t(336), 12);
    expect(s.tempos).toEqual([]);
  });

  it('computes seconds through tempo changes on the tempo track of a format-1 file, with many tracks', () => {
    const tracks: MidiEvent[][] = [
      [
        { deltaTime: 0, type: 'setTempo', meta: true, microsecondsPerBeat: 500_000 },
        {
          deltaTime: 0,
          type: 'timeSignature',
          meta: true,
          numerator: 3,
          denominator: 4,
          metronome: 24,
          thirtyseconds: 8,
        },
        { deltaTime: 480, type: 'setTempo', meta: true, microsecondsPerBeat: 1_000_000 },
        end(),
      ],
    ];
    for (let k = 0; k < 24; k++) tracks.push([on(k * 40, 40 + k, k % 16), off(480, 40 + k, k % 16), end()]);
    const s = readMidi(bytesOf({ header: { format: 1, numTracks: tracks.length, ticksPerBeat: 480 }, tracks }, false));
    expect(s.notes).toHaveLength(24);
    expect(new Set(s.notes.map((n) => n.track)).size).toBe(24);
    expect(s.tempos).toEqual([
      { time: 0, qpm: 120 },
      { time: 0.5, qpm: 60 },
    ]);
    expect(s.timeSignatures).toEqual([{ time: 0, numerator: 3, denominator: 4 }]);
    // Track 14 (k = 13, after the tempo track) starts at tick 520 = 0.5 s + 40 ticks at 1 s per quarter.
    const n13 = s.notes.find((n) => n.track === 14);
    expect(n13?.start).toBeCloseTo(0.5 + 40 / 480, 12);
    expect(n13?.end).toBeCloseTo(0.5 + 520 / 480, 12);
  });

  it('reads SMPTE time division, and chord markers only when every marker is a chord symbol', () => {
    const smpte = bytesOf({
      header: { format: 0, numTracks: 1, framesPerSecond: 25, ticksPerFrame: 40 },
      tracks: [
        [
          { deltaTime: 0, type: 'marker', meta: true, text: 'Am' },
          on(0, 57),
          { deltaTime: 1000, type: 'marker', meta: true, text: 'F7' },
          off(0, 57),
          end(),
        ],
      ],
    });
    const s = readMidi(smpte);
    expect(s.notes[0]?.end).toBeCloseTo(1, 12); // 1000 ticks at 25 × 40 ticks per second
    expect(s.chords).toEqual([
      { time: 0, chord: { root: 9, quality: 'min' } },
      { time: 1, chord: { root: 5, quality: '7' } },
    ]);
    const sections = bytesOf({
      header: { format: 0, numTracks: 1, ticksPerBeat: 96 },
      tracks: [[{ deltaTime: 0, type: 'marker', meta: true, text: 'A' }, on(0, 57), off(96, 57), end()]],
    });
    expect(readMidi(sections).chords).toEqual([]);
  });
});

describe('readMidi refuses bad files with a MidiError naming the problem', () => {
  it('not MIDI, format 2, a bad header, over the size or event limit', () => {
    const e = failure(() => readMidi(new TextEncoder().encode('RIFF....WAVEfmt nothing here'), { name: 'song.wav' }));
    expect([e.reason, e.source, e.offset, e.code]).toEqual(['corrupt', 'song.wav', 0, 'ERR_MIDI_CORRUPT']);
    expect(e.message).toMatch(/^song\.wav \(byte 0\): is not a Standard MIDI File/);
    const two = bytesOf({
      header: { format: 2, numTracks: 1, ticksPerBeat: 96 },
      tracks: [[on(0, 60), off(9, 60), end()]],
    });
    expect(failure(() => readMidi(two, { name: 'patterns.mid' }))).toMatchObject({
      reason: 'unsupported-format',
      source: 'patterns.mid',
      offset: 8,
    });
    const zeroDivision = Uint8Array.from(formatZero);
    zeroDivision[12] = 0;
    zeroDivision[13] = 0;
    expect(failure(() => readMidi(zeroDivision)).message).toMatch(/0 ticks per quarter/);
    expect(failure(() => readMidi(formatZero, { maxBytes: 20 }))).toMatchObject({ reason: 'too-large' });
    expect(failure(() => readMidi(formatZero, { maxEvents: 5 }))).toMatchObject({ reason: 'too-many-events' });
  });

  it('every truncation of a file is a MidiError (never an untyped error, never a silent partial read of the header)', () => {
    for (let cut = 0; cut < formatZero.length; cut++) {
      const result = (() => {
        try {
          return readMidi(formatZero.subarray(0, cut), { name: 'cut.mid' });
        } catch (error) {
          return error;
        }
      })();
      if (cut < 22) expect(result, `cut at ${cut}`).toBeInstanceOf(MidiError);
      if (result instanceof MidiError) expect(result.reason).toMatch(/^(truncated|corrupt)$/);
    }
    const e = failure(() => readMidi(formatZero.subarray(0, 30)));
    expect(e).toMatchObject({ reason: 'truncated', offset: 14 });
    expect(e.message).toMatch(/chunk "MTrk" declares \d+ bytes, only 8 remain/);
  });

  it('an event cut off inside its track, and a running status with no status byte before it', () => {
    // A track whose declared length ends in the middle of a note-on.
    const cut = Uint8Array.from([...formatZero.subarray(0, 18), 0, 0, 0, 3, 0x00, 0x90, 0x3c]);
    expect(failure(() => readMidi(cut))).toMatchObject({ reason: 'truncated', offset: 14 });
    const running = Uint8Array.from([...formatZero.subarray(0, 18), 0, 0, 0, 4, 0x00, 0x3c, 0x40, 0x00]);
    const e = failure(() => readMidi(running));
    expect(e.reason).toBe('corrupt');
    expect(e.message).toMatch(/track 0: (Unrecognised MIDI event type|Running status)/);
  });

  it('readMidiFile: missing files, folders and FIFOs, and the size limit before reading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-midi-'));
    expect(failure(() => readMidiFile(join(dir, 'nope.mid')))).toMatchObject({ reason: 'not-found' });
    mkdirSync(join(dir, 'folder.mid'));
    expect(failure(() => readMidiFile(join(dir, 'folder.mid')))).toMatchObject({ reason: 'io' });
    execFileSync('mkfifo', [join(dir, 'fifo.mid')]);
    expect(failure(() => readMidiFile(join(dir, 'fifo.mid'))).message).toMatch(/not a regular file/);
    writeFileSync(join(dir, 'ok.mid'), formatZero);
    expect(failure(() => readMidiFile(join(dir, 'ok.mid'), { maxBytes: 10 }))).toMatchObject({
      reason: 'too-large',
      source: join(dir, 'ok.mid'),
    });
    expect(readMidiFile(join(dir, 'ok.mid')).notes).toHaveLength(6);
  });
});
