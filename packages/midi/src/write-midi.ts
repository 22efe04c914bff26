import { assertInRange, assertOneOf, assertPositiveInteger, ShapeError } from '@seqgen/base';
import { type MidiData, type MidiEvent, writeMidi as writeMidiBytes } from 'midi-file';
import { chordName } from './chord-symbols.js';
import { assertNoteSequence, type NoteSequence } from './note-sequence.js';
import { TempoMap } from './tempo-map.js';

/** Options of {@link writeMidi}. */
export type MidiWriteOptions = {
  /** Time resolution in ticks per quarter note, 1–32767 (default 480). */
  ticksPerQuarter?: number;
  /** `1` (default): a tempo track, then one track per (track, channel) of the notes; `0`: one track holding all. */
  format?: 0 | 1;
  /** Reuse the status byte of consecutive channel events, as most sequencers write (default true). */
  runningStatus?: boolean;
};

type Abs = { tick: number; rank: number; event: MidiEvent };

/**
 * Writes a {@link NoteSequence} as a Standard MIDI File with the `midi-file`
 * library. Seconds become ticks through the sequence's own tempo map, so a
 * file read and written back keeps its beat grid; tempo, time-signature and
 * chord-marker events go first (track 0 in format 1), then the notes of each
 * (track, channel) with the program changes they need. Releases are written
 * as note-ons of velocity 0 (so running status applies to them), before the
 * onsets of the same tick; a zero-length note's release follows its onset.
 * A malformed sequence is a `ShapeError` naming the field.
 */
export function writeMidi(sequence: NoteSequence, options: MidiWriteOptions = {}): Uint8Array {
  assertNoteSequence(sequence);
  const ticksPerQuarter = options.ticksPerQuarter ?? 480;
  assertPositiveInteger('ticksPerQuarter', ticksPerQuarter);
  assertInRange('ticksPerQuarter', ticksPerQuarter, 1, 0x7fff);
  const format = options.format ?? 1;
  assertOneOf('format', String(format), ['0', '1']);
  const tempoMap = new TempoMap(sequence.tempos);
  const toTick = (seconds: number) => Math.round(tempoMap.secondsToQuarters(seconds) * ticksPerQuarter);

  const meta: Abs[] = [];
  for (const { quarters, qpm } of tempoMap.changesInQuarters()) {
    const microsecondsPerBeat = Math.min(0xffffff, Math.max(1, Math.round(60e6 / qpm)));
    meta.push({
      tick: Math.round(quarters * ticksPerQuarter),
      rank: 0,
      event: { deltaTime: 0, type: 'setTempo', meta: true, microsecondsPerBeat },
    });
  }
  for (const ts of sequence.timeSignatures) {
    meta.push({
      tick: toTick(ts.time),
      rank: 0,
      event: {
        deltaTime: 0,
        type: 'timeSignature',
        meta: true,
        numerator: ts.numerator,
        denominator: ts.denominator,
        metronome: 24,
        thirtyseconds: 8,
      },
    });
  }
  for (const { time, chord } of sequence.chords) {
    meta.push({
      tick: toTick(time),
      rank: 0,
      event: { deltaTime: 0, type: 'marker', meta: true, text: chordName(chord) },
    });
  }

  // One group per (track, channel); drum notes always sound on channel 10.
  const groups = new Map<number, Abs[]>();
  const notes = [...sequence.notes].sort((a, b) => a.start - b.start || a.end - b.end);
  const currentProgram = new Map<number, number>();
  for (const note of notes) {
    const channel = note.isDrum ? 9 : note.channel;
    const key = note.track * 16 + channel;
    let events = groups.get(key);
    if (!events) groups.set(key, (events = []));
    const start = toTick(note.start);
    const end = Math.max(start, toTick(note.end));
    if (currentProgram.get(key) !== note.program) {
      currentProgram.set(key, note.program);
      events.push({
        tick: start,
        rank: 1,
        event: { deltaTime: 0, type: 'programChange', channel, programNumber: note.program },
      });
    }
    // Ranks order one tick: releases of earlier notes, program changes, onsets, then zero-length releases.
    events.push({
      tick: start,
      rank: 2,
      event: { deltaTime: 0, type: 'noteOn', channel, noteNumber: note.pitch, velocity: note.velocity },
    });
    events.push({
      tick: end,
      rank: end === start ? 3 : 0,
      event: { deltaTime: 0, type: 'noteOff', channel, noteNumber: note.pitch, velocity: 0, byte9: true },
    });
  }
  let endTick = Math.max(0, toTick(sequence.totalTime));
  for (const events of groups.values()) for (const e of events) endTick = Math.max(endTick, e.tick);
  const noteTracks = [...groups.keys()].sort((a, b) => a - b).map((key) => groups.get(key) as Abs[]);
  const tracks = format === 0 ? [[...meta, ...noteTracks.flat()]] : [meta, ...noteTracks];
  const data: MidiData = {
    header: { format, numTracks: tracks.length, ticksPerBeat: ticksPerQuarter },
    tracks: tracks.map((events) => toDeltas(events, endTick)),
  };
  return serialize(data, options.runningStatus ?? true);
}

/** Events `midi-file` serializes per call (see {@link serialize}). */
const EVENTS_PER_CALL = 256;

/**
 * The file's bytes by `midi-file`. Its writer appends multi-byte delta times
 * by concatenating the whole track so far, which is quadratic in a track's
 * length (a 10,000-event track took seconds), so each track is handed to it
 * {@link EVENTS_PER_CALL} events at a time and the pieces joined into one
 * chunk; running status restarts at each piece (one byte per piece).
 */
function serialize(data: MidiData, running: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = Uint8Array.from(writeMidiBytes({ header: data.header, tracks: [] }));
  header[11] = data.tracks.length & 0xff;
  header[10] = (data.tracks.length >> 8) & 0xff;
  parts.push(header);
  for (const track of data.tracks) {
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < track.length; i += EVENTS_PER_CALL) {
      const file = writeMidiBytes(
        { header: { format: 0, numTracks: 1, ticksPerBeat: 96 }, tracks: [track.slice(i, i + EVENTS_PER_CALL)] },
        { running, useByte9ForNoteOff: true },
      );
      // Skip the 14-byte header and the 8-byte chunk header of the one-track file.
      pieces.push(Uint8Array.from(file.slice(22)));
    }
    const length = pieces.reduce((n, p) => n + p.length, 0);
    const chunkHeader = new Uint8Array(8);
    chunkHeader.set([0x4d, 0x54, 0x72, 0x6b]);
    new DataView(chunkHeader.buffer).setUint32(4, length);
    parts.push(chunkHeader, ...pieces);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Absolute ticks → delta times, stably sorted, closed by an end-of-track event at `endTick`. */
function toDeltas(events: Abs[], endTick: number): MidiEvent[] {
  // Stable sort: events of one tick and rank keep the order they were made in.
  const sorted = [...events].sort((a, b) => a.tick - b.tick || a.rank - b.rank);
  let last = 0;
  const out: MidiEvent[] = [];
  for (const { tick, event } of sorted) {
    // The events were made here with a placeholder delta, so setting it in place is safe.
    event.deltaTime = checkedDelta(tick - last);
    last = tick;
    out.push(event);
  }
  out.push({ deltaTime: checkedDelta(Math.max(0, endTick - last)), type: 'endOfTrack', meta: true });
  return out;
}

/** MIDI's longest delta time (a 4-byte variable-length quantity); `midi-file` would loop forever on more. */
const MAX_DELTA_TICKS = 0x0fffffff;

function checkedDelta(delta: number): number {
  if (!(delta <= MAX_DELTA_TICKS)) {
    throw new ShapeError(
      'sequence',
      `gaps between events of at most ${MAX_DELTA_TICKS} ticks (MIDI's longest delta time)`,
      `a gap of ${delta} ticks (lower ticksPerQuarter, or shorten the sequence)`,
    );
  }
  return delta;
}
