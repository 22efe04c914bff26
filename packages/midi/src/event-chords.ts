import { assertFiniteNumber, assertInRange, assertPositiveInteger, ShapeError } from '@seqgen/base';
import type { Chord } from './chord-symbols.js';
import type { ChordAnnotation } from './note-sequence.js';
import type { PerformanceEncoding } from './performance-encoding.js';
import { assertQuantized, type QuantizedNoteSequence } from './quantize.js';
import { TempoMap } from './tempo-map.js';

/**
 * The time, in seconds, at which each performance event happens: the sum of
 * the time shifts before it (a time shift happens when it begins). Ids
 * outside the encoding's vocabulary are a `TokenizerError`.
 */
export function performanceEventTimes(encoding: PerformanceEncoding, ids: readonly number[]): number[] {
  const times: number[] = [];
  let steps = 0;
  for (const id of ids) {
    times.push(steps / encoding.stepsPerSecond);
    const event = encoding.event(id);
    if (event.type === 'time-shift') steps += event.steps;
  }
  return times;
}

/**
 * A chord track (one chord per window of `stepsPerChord` steps, as
 * `chordTrack` returns it) as a timeline in seconds, through the sequence's
 * tempo map: window w begins at quarter `w · stepsPerChord / stepsPerQuarter`.
 */
export function chordTimeline(
  sequence: QuantizedNoteSequence,
  chords: ReadonlyArray<Chord | null>,
  stepsPerChord = sequence.stepsPerQuarter,
): ChordAnnotation[] {
  assertQuantized(sequence);
  assertPositiveInteger('stepsPerChord', stepsPerChord);
  const map = new TempoMap(sequence.tempos);
  return chords.map((chord, w) => ({
    time: map.quartersToSeconds((w * stepsPerChord) / sequence.stepsPerQuarter),
    chord,
  }));
}

/** Options of {@link progressionTimeline}. */
export type ProgressionTimelineOptions = {
  /** Quarter notes per minute (default 120). */
  qpm?: number;
  /** Beats (quarter notes) each chord lasts (default 4: a bar of 4/4). */
  beatsPerChord?: number;
  /** Repeat the progression until this many seconds are covered (default: play it once). */
  seconds?: number;
};

/**
 * A chord progression typed by a user (`parseChordSymbols("C G Am F")`) as a
 * timeline in seconds: each chord lasts `beatsPerChord` beats at `qpm`, and the
 * progression repeats until `seconds` are covered (as a backing track loops).
 */
export function progressionTimeline(
  chords: ReadonlyArray<Chord | null>,
  options: ProgressionTimelineOptions = {},
): ChordAnnotation[] {
  if (!Array.isArray(chords) || chords.length === 0) {
    throw new ShapeError('chords', 'a non-empty array of chords', Array.isArray(chords) ? '[]' : typeof chords);
  }
  const qpm = options.qpm ?? 120;
  const beatsPerChord = options.beatsPerChord ?? 4;
  assertFiniteNumber('qpm', qpm);
  assertInRange('qpm', qpm, 1, 1000);
  assertFiniteNumber('beatsPerChord', beatsPerChord);
  assertInRange('beatsPerChord', beatsPerChord, 0, 1024, { openMin: true });
  const chordSeconds = (beatsPerChord * 60) / qpm;
  const seconds = options.seconds ?? chords.length * chordSeconds;
  assertFiniteNumber('seconds', seconds);
  assertInRange('seconds', seconds, 0, 86_400);
  const count = Math.max(chords.length, Math.ceil(seconds / chordSeconds));
  return Array.from({ length: count }, (_, i) => ({
    time: i * chordSeconds,
    chord: chords[i % chords.length] ?? null,
  }));
}

/**
 * The chord sounding at `time` (seconds) on a timeline sorted by time: the
 * last annotation at or before it (`null`, no chord, before the first).
 */
export function chordAt(timeline: readonly ChordAnnotation[], time: number): Chord | null {
  let lo = 0;
  let hi = timeline.length - 1;
  let found = -1;
  // A hair of tolerance: event times are sums of 10 ms steps, chord times products of tempo fractions.
  const t = time + 1e-9;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((timeline[mid] as ChordAnnotation).time <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : (timeline[found] as ChordAnnotation).chord;
}

/**
 * One chord per performance event, for training a chord-conditioned
 * performance model: chords come per beat (or per bar) while events come at
 * any time, so each event gets the chord sounding when it happens
 * ({@link performanceEventTimes}, {@link chordAt}).
 */
export function eventChords(
  encoding: PerformanceEncoding,
  ids: readonly number[],
  timeline: readonly ChordAnnotation[],
): Array<Chord | null> {
  return performanceEventTimes(encoding, ids).map((t) => chordAt(timeline, t));
}
