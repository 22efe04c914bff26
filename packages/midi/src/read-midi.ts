import { assertPositiveInteger } from '@seqgen/base';
import { type MidiEvent, parseMidi } from 'midi-file';
import { type Chord, parseChordSymbol } from './chord-symbols.js';
import { MidiError } from './midi-error.js';
import {
  type ChordAnnotation,
  compareNotes,
  type Note,
  type NoteSequence,
  type TempoChange,
  type TimeSignatureChange,
} from './note-sequence.js';
import { readFileBytes } from './platform/node.js';

/** Options of {@link readMidi} and {@link readMidiFile}. */
export type MidiReadOptions = {
  /** Name of the bytes in error messages (default: the path, or `"<bytes>"`). */
  name?: string;
  /** Largest file accepted, in bytes (default 16 MiB: real pieces are rarely over 1 MiB). */
  maxBytes?: number;
  /** Most MIDI events accepted over all tracks (default 2,000,000), so that no input runs without bound. */
  maxEvents?: number;
};

/** Default of {@link MidiReadOptions.maxBytes}: 16 MiB. */
export const DEFAULT_MAX_MIDI_BYTES = 16 * 1024 * 1024;
/** Default of {@link MidiReadOptions.maxEvents}. */
export const DEFAULT_MAX_MIDI_EVENTS = 2_000_000;

/** General MIDI's percussion channel (channel 10, index 9). */
const DRUM_CHANNEL = 9;

type TrackChunk = { index: number; offset: number; bytes: Uint8Array };
type Timing = { ticksPerQuarter: number } | { ticksPerSecond: number };
type Timed = { tick: number; track: number; order: number; event: MidiEvent };

const ascii = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
const u16 = (bytes: Uint8Array, at: number): number => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
const u32 = (bytes: Uint8Array, at: number): number => ((u16(bytes, at) << 16) | u16(bytes, at + 2)) >>> 0;
const printable = (id: string): string => JSON.stringify(id).replace(/[^\x20-\x7e]/g, '?');

/**
 * Reads a Standard MIDI File (format 0 or 1) into a {@link NoteSequence},
 * parsing its tracks with the `midi-file` library. Running status, note-ons
 * of velocity 0, overlapping notes of one pitch (paired first-in first-out
 * per track and channel), zero-length notes, drum channel 10, SMPTE time
 * division, unknown chunks (skipped, as the standard asks) and any number of
 * tracks are handled; a note never released ends where its track ends.
 * Chord symbols are read from marker events when every marker of the file is
 * one (and not all are bare letters, which name sections).
 *
 * A file that is not MIDI, truncated, corrupt, of format 2, larger than
 * `maxBytes` or holding more than `maxEvents` events is a {@link MidiError}
 * naming the file and, when known, the byte offset.
 */
export function readMidi(bytes: Uint8Array | ArrayBuffer, options: MidiReadOptions = {}): NoteSequence {
  const name = options.name ?? '<bytes>';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MIDI_BYTES;
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_MIDI_EVENTS;
  assertPositiveInteger('maxBytes', maxBytes);
  assertPositiveInteger('maxEvents', maxEvents);
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) {
    throw new MidiError('corrupt', name, `expected the bytes of a MIDI file (Uint8Array), got ${typeof bytes}`);
  }
  if (data.length > maxBytes) {
    throw new MidiError('too-large', name, `is ${data.length} bytes, over the limit of ${maxBytes} (option maxBytes)`);
  }
  const { format, timing, tracks } = scanChunks(data, name);
  const parsed: MidiEvent[][] = [];
  let events = 0;
  for (const chunk of tracks) {
    const trackEvents = parseTrack(chunk, name);
    events += trackEvents.length;
    if (events > maxEvents) {
      throw new MidiError('too-many-events', name, `holds more than ${maxEvents} MIDI events (option maxEvents)`, {
        offset: chunk.offset,
      });
    }
    parsed.push(trackEvents);
  }
  return toNoteSequence(parsed, timing, format, name);
}

/**
 * Reads a Standard MIDI File from disk (Node only: in the browser build it is a
 * MidiError `io` saying to pass bytes to {@link readMidi}); see {@link readMidi}. A
 * path that is missing is a {@link MidiError} `not-found`; one that is not a
 * regular file (a folder, a FIFO, a device) or cannot be read is `io`, and a
 * file over `maxBytes` is refused before it is read.
 */
export function readMidiFile(path: string, options: MidiReadOptions = {}): NoteSequence {
  const name = options.name ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MIDI_BYTES;
  assertPositiveInteger('maxBytes', maxBytes);
  const bytes = readFileBytes(path, name, maxBytes);
  return readMidi(bytes, { ...options, name });
}

/** Checks the header and every chunk's declared length against the bytes, before any event is parsed. */
function scanChunks(data: Uint8Array, name: string): { format: number; timing: Timing; tracks: TrackChunk[] } {
  if (data.length < 14) {
    throw new MidiError('truncated', name, `is ${data.length} bytes, shorter than a MIDI header (14)`, {
      offset: data.length,
    });
  }
  if (ascii(data, 0) !== 'MThd') {
    throw new MidiError(
      'corrupt',
      name,
      `is not a Standard MIDI File (starts with ${printable(ascii(data, 0))}, not "MThd")`,
      {
        offset: 0,
      },
    );
  }
  const headerLength = u32(data, 4);
  if (headerLength < 6) {
    throw new MidiError('corrupt', name, `header declares ${headerLength} bytes, fewer than 6`, { offset: 4 });
  }
  if (8 + headerLength > data.length) {
    throw new MidiError('truncated', name, `header declares ${headerLength} bytes, the file ends first`, { offset: 4 });
  }
  const format = u16(data, 8);
  if (format === 2) {
    throw new MidiError(
      'unsupported-format',
      name,
      'is a format-2 MIDI file (independent patterns); only formats 0 and 1 are supported',
      { offset: 8 },
    );
  }
  if (format > 2)
    throw new MidiError('corrupt', name, `declares MIDI format ${format} (only 0, 1 and 2 exist)`, { offset: 8 });
  const trackCount = u16(data, 10);
  const division = u16(data, 12);
  let timing: Timing;
  if (division & 0x8000) {
    // SMPTE: a negative frame rate in the high byte, ticks per frame in the low one.
    const framesPerSecond = 0x100 - (division >> 8);
    const ticksPerFrame = division & 0xff;
    if (ticksPerFrame === 0)
      throw new MidiError('corrupt', name, 'SMPTE time division of 0 ticks per frame', { offset: 12 });
    timing = { ticksPerSecond: framesPerSecond * ticksPerFrame };
  } else {
    if (division === 0)
      throw new MidiError('corrupt', name, 'time division of 0 ticks per quarter note', { offset: 12 });
    timing = { ticksPerQuarter: division };
  }
  const tracks: TrackChunk[] = [];
  let at = 8 + headerLength;
  while (tracks.length < trackCount) {
    if (at + 8 > data.length) {
      throw new MidiError(
        'truncated',
        name,
        `header declares ${trackCount} tracks, the file ends after ${tracks.length}`,
        { offset: Math.min(at, data.length) },
      );
    }
    const id = ascii(data, at);
    const length = u32(data, at + 4);
    if (at + 8 + length > data.length) {
      throw new MidiError(
        'truncated',
        name,
        `chunk ${printable(id)} declares ${length} bytes, only ${data.length - at - 8} remain`,
        { offset: at },
      );
    }
    // Chunks of unknown type are skipped, as the standard asks of readers.
    if (id === 'MTrk') tracks.push({ index: tracks.length, offset: at, bytes: data.subarray(at, at + 8 + length) });
    at += 8 + length;
  }
  return { format, timing, tracks };
}

/** One track chunk's events, by `midi-file` (given a one-track file), each checked for cut-off fields. */
function parseTrack(chunk: TrackChunk, name: string): MidiEvent[] {
  const file = new Uint8Array(14 + chunk.bytes.length);
  file.set([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96]);
  file.set(chunk.bytes, 14);
  let events: MidiEvent[];
  try {
    events = parseMidi(file).tracks[0] ?? [];
  } catch (cause) {
    // midi-file throws strings as well as errors.
    let message = cause instanceof Error ? cause.message : String(cause);
    // midi-file reads a data byte with no running status before it as event type 0.
    if (/Unrecognised MIDI event type/.test(message)) message += ' (a data byte where a status byte was due)';
    throw new MidiError('corrupt', name, `track ${chunk.index}: ${message.slice(0, 200)}`, {
      offset: chunk.offset,
      cause,
    });
  }
  events.forEach((event, i) => {
    const problem = eventProblem(event);
    if (problem) {
      throw new MidiError('truncated', name, `track ${chunk.index}, event ${i}: ${problem}`, {
        offset: chunk.offset,
      });
    }
  });
  return events;
}

const byte = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 127;

/** What is wrong with an event the parser read past its chunk's end for (fields come back undefined or NaN). */
function eventProblem(event: MidiEvent): string | undefined {
  if (!(Number.isSafeInteger(event.deltaTime) && event.deltaTime >= 0)) {
    return `delta time ${event.deltaTime} is not a valid variable-length quantity`;
  }
  switch (event.type) {
    case 'noteOn':
    case 'noteOff':
      return byte(event.noteNumber) && byte(event.velocity) ? undefined : 'note event cut off by the end of its track';
    case 'programChange':
      return byte(event.programNumber) ? undefined : 'program change cut off by the end of its track';
    case 'controller':
      return byte(event.controllerType) && byte(event.value) ? undefined : 'controller event cut off';
    case 'noteAftertouch':
    case 'channelAftertouch':
    case 'pitchBend':
      return Number.isFinite('amount' in event ? event.amount : event.value) ? undefined : 'channel event cut off';
    case 'setTempo':
      return Number.isInteger(event.microsecondsPerBeat) ? undefined : 'tempo event cut off';
    case 'timeSignature':
      return Number.isInteger(event.numerator) ? undefined : 'time signature cut off';
    default:
      return undefined;
  }
}

/** Absolute tick → seconds through the tempo changes of every track. */
function secondsOfTicks(tempoEvents: Array<{ tick: number; microsecondsPerQuarter: number }>, timing: Timing) {
  if ('ticksPerSecond' in timing) return (tick: number) => tick / timing.ticksPerSecond;
  const tpq = timing.ticksPerQuarter;
  const segments = [{ tick: 0, seconds: 0, secondsPerTick: 0.5 / tpq }];
  for (const { tick, microsecondsPerQuarter } of tempoEvents) {
    const last = segments[segments.length - 1] as (typeof segments)[number];
    const seconds = last.seconds + (tick - last.tick) * last.secondsPerTick;
    const secondsPerTick = microsecondsPerQuarter / 1e6 / tpq;
    if (tick === last.tick) last.secondsPerTick = secondsPerTick;
    else segments.push({ tick, seconds, secondsPerTick });
  }
  return (tick: number): number => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segments[mid] as (typeof segments)[number]).tick <= tick) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo] as (typeof segments)[number];
    return s.seconds + (tick - s.tick) * s.secondsPerTick;
  };
}

type Open = { tick: number; velocity: number; program: number };

function toNoteSequence(tracks: MidiEvent[][], timing: Timing, format: number, name: string): NoteSequence {
  const timed: Timed[] = [];
  const trackEnds: number[] = [];
  tracks.forEach((events, track) => {
    let tick = 0;
    events.forEach((event, order) => {
      tick += event.deltaTime;
      timed.push({ tick, track, order, event });
    });
    trackEnds.push(tick);
  });
  // Channel state (programs) is shared by all tracks, so events are replayed in time order.
  // Array.prototype.sort is stable and events were pushed in (track, order) order.
  timed.sort((a, b) => a.tick - b.tick);
  const tempoEvents: Array<{ tick: number; microsecondsPerQuarter: number }> = [];
  for (const { tick, event } of timed) {
    // A tempo of 0 µs per quarter would stop time; such events are ignored.
    if (event.type === 'setTempo' && event.microsecondsPerBeat > 0) {
      tempoEvents.push({ tick, microsecondsPerQuarter: event.microsecondsPerBeat });
    }
  }
  const seconds = secondsOfTicks(tempoEvents, timing);
  const programs = new Array<number>(16).fill(0);
  const open = new Map<number, Open[]>();
  const keyOf = (track: number, channel: number, pitch: number) => (track * 16 + channel) * 128 + pitch;
  const notes: Note[] = [];
  const timeSignatures: TimeSignatureChange[] = [];
  const markers: Array<{ time: number; text: string }> = [];
  const addNote = (track: number, channel: number, pitch: number, on: Open, endTick: number) => {
    notes.push({
      pitch,
      velocity: on.velocity,
      start: seconds(on.tick),
      end: seconds(endTick),
      track: format === 0 ? 0 : track,
      channel,
      program: on.program,
      isDrum: channel === DRUM_CHANNEL,
    });
  };
  for (const { tick, track, event } of timed) {
    switch (event.type) {
      case 'noteOn': {
        const key = keyOf(track, event.channel, event.noteNumber);
        let queue = open.get(key);
        if (!queue) open.set(key, (queue = []));
        queue.push({ tick, velocity: event.velocity, program: programs[event.channel] as number });
        break;
      }
      case 'noteOff': {
        const on = open.get(keyOf(track, event.channel, event.noteNumber))?.shift();
        // A release with no note sounding is ignored.
        if (on) addNote(track, event.channel, event.noteNumber, on, tick);
        break;
      }
      case 'programChange':
        programs[event.channel] = event.programNumber;
        break;
      case 'timeSignature':
        if (event.numerator >= 1 && event.denominator >= 1 && event.denominator <= 128) {
          timeSignatures.push({ time: seconds(tick), numerator: event.numerator, denominator: event.denominator });
        }
        break;
      case 'marker':
        markers.push({ time: seconds(tick), text: event.text });
        break;
      default:
        break;
    }
  }
  for (const [key, queue] of open) {
    const pitch = key % 128;
    const channel = Math.floor(key / 128) % 16;
    const track = Math.floor(key / 2048);
    for (const on of queue) addNote(track, channel, pitch, on, Math.max(on.tick, trackEnds[track] ?? on.tick));
  }
  notes.sort(compareNotes);
  const tempos: TempoChange[] = [];
  for (const { tick, microsecondsPerQuarter } of tempoEvents) {
    const change = { time: seconds(tick), qpm: 60e6 / microsecondsPerQuarter };
    const last = tempos[tempos.length - 1];
    if (last && last.time === change.time) tempos[tempos.length - 1] = change;
    else tempos.push(change);
  }
  const lastTick = Math.max(0, ...trackEnds);
  const totalTime = notes.reduce((t, n) => Math.max(t, n.end), seconds(lastTick));
  if (!Number.isFinite(totalTime)) throw new MidiError('corrupt', name, 'its timing overflows');
  return { notes, tempos, timeSignatures: dedupeByTime(timeSignatures), chords: chordMarkers(markers), totalTime };
}

function dedupeByTime<T extends { time: number }>(changes: T[]): T[] {
  const out: T[] = [];
  for (const change of changes) {
    if (out.length && (out[out.length - 1] as T).time === change.time) out[out.length - 1] = change;
    else out.push(change);
  }
  return out;
}

/** Chord annotations from markers, only when every marker is a chord symbol (section names such as "A" would pass alone). */
function chordMarkers(markers: Array<{ time: number; text: string }>): ChordAnnotation[] {
  const chords: ChordAnnotation[] = [];
  for (const { time, text } of markers) {
    let chord: Chord | null;
    try {
      chord = parseChordSymbol(text);
    } catch {
      return [];
    }
    chords.push({ time, chord });
  }
  // Section names ("A", "B") parse as chords too: bare letters alone are not taken for a chord track.
  return markers.every(({ text }) => /^\s*[A-G]\s*$/.test(text)) ? [] : chords;
}
