import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { chordName, parseChordSymbols } from './chord-symbols.js';
import { chordAt, chordTimeline, eventChords, performanceEventTimes, progressionTimeline } from './event-chords.js';
import { chordTrack } from './infer-chords.js';
import { PerformanceEncoding } from './performance-encoding.js';
import { quantizeNoteSequence } from './quantize.js';
import { note, sequence } from './test-fixtures/sequences.js';

const encoding = new PerformanceEncoding();

describe('chords per performance event', () => {
  // C major for a bar of 4/4 at 120 qpm (2 s), then G major for a bar, one note per beat.
  const c = [60, 64, 67, 60].map((p, i) => note(p, i * 0.5, i * 0.5 + 0.5));
  const g = [67, 71, 74, 67].map((p, i) => note(p, 2 + i * 0.5, 2 + i * 0.5 + 0.5));
  const triads = [48, 52, 55].map((p) => note(p, 0, 2)).concat([43, 47, 50].map((p) => note(p, 2, 4)));
  const piece = sequence([...triads, ...c, ...g]);

  it('gives every event the time of the shifts before it', () => {
    const ids = encoding.encode(piece);
    const times = performanceEventTimes(encoding, ids);
    expect(times).toHaveLength(ids.length);
    // Onsets at 0 s, then the first shift (it begins at 0 s), then the release of 60 after 0.5 s.
    const names = ids.map((id) => encoding.tokenName(id));
    const shift = names.indexOf('time-shift:50');
    expect(names.slice(shift - 1, shift + 2)).toEqual(['note-on:60', 'time-shift:50', 'note-off:60']);
    expect(times.slice(0, shift + 1).every((t) => t === 0)).toBe(true);
    expect(times[shift + 1]).toBe(0.5);
    expect(times[times.length - 1]).toBeCloseTo(4, 9); // the last releases, at the end of bar 2
  });

  it("expands a per-beat chord track to the chord sounding at each event's time", () => {
    const quantized = quantizeNoteSequence(piece);
    const beats = chordTrack(quantized);
    expect(beats.map(chordName)).toEqual(['C', 'C', 'C', 'C', 'G', 'G', 'G', 'G']);
    const timeline = chordTimeline(quantized, beats);
    expect(timeline.map((t) => t.time)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    const ids = encoding.encode(piece);
    const perEvent = eventChords(encoding, ids, timeline);
    expect(perEvent).toHaveLength(ids.length);
    // Each onset reads the chord of its bar.
    const onsetChords = ids.flatMap((id, i) => {
      const e = encoding.event(id);
      return e.type === 'note-on' ? [[e.pitch, chordName(perEvent[i] ?? null)]] : [];
    });
    expect(onsetChords).toEqual([
      [48, 'C'],
      [52, 'C'],
      [55, 'C'],
      [60, 'C'],
      [64, 'C'],
      [67, 'C'],
      [60, 'C'],
      [43, 'G'],
      [47, 'G'],
      [50, 'G'],
      [67, 'G'],
      [71, 'G'],
      [74, 'G'],
      [67, 'G'],
    ]);
  });

  it('follows tempo changes: a beat at 60 qpm lasts a second', () => {
    const slow = { ...piece, tempos: [{ time: 0, qpm: 60 }] };
    const timeline = chordTimeline(quantizeNoteSequence(slow), [null, null, null]);
    expect(timeline.map((t) => t.time)).toEqual([0, 1, 2]);
  });

  it('loops a typed progression over the seconds asked for, a bar per chord', () => {
    const timeline = progressionTimeline(parseChordSymbols('C G Am F'), { qpm: 120, seconds: 19 });
    expect(timeline).toHaveLength(10);
    expect(timeline.map((t) => chordName(t.chord)).join(' ')).toBe('C G Am F C G Am F C G');
    expect(chordAt(timeline, 0)).toEqual({ root: 0, quality: 'maj' });
    expect(chordName(chordAt(timeline, 2.5))).toBe('G');
    expect(chordName(chordAt(timeline, 5.999))).toBe('Am');
    expect(chordName(chordAt(timeline, 6))).toBe('F');
    expect(chordAt([{ time: 1, chord: { root: 0, quality: 'maj' } }], 0.5)).toBeNull();
    expect(progressionTimeline(parseChordSymbols('Dm G7'), { beatsPerChord: 2, qpm: 60 }).map((t) => t.time)).toEqual([
      0, 2,
    ]);
  });

  it('refuses an empty progression and bad timing options with typed errors', () => {
    expect(() => progressionTimeline([])).toThrow(ShapeError);
    expect(() => progressionTimeline(parseChordSymbols('C'), { qpm: 0 })).toThrow(ConfigError);
    expect(() => progressionTimeline(parseChordSymbols('C'), { beatsPerChord: 0 })).toThrow(/beatsPerChord/);
    expect(() => chordTimeline(quantizeNoteSequence(piece), [null], 0)).toThrow(/stepsPerChord/);
  });
});
