import { ConfigError } from '@seqgen/core';
import { MELODY_NO_EVENT, MELODY_NOTE_OFF, MelodyEncoding, PerformanceEncoding } from '@seqgen/midi';
import { thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { musicFeatures } from './music-features.js';

const note = (pitch: number, start: number, end: number) => ({
  pitch,
  velocity: 80,
  start,
  end,
  track: 0,
  channel: 0,
  program: 0,
  isDrum: false,
});

describe('musicFeatures', () => {
  it('reads Performance RNN events as @seqgen/midi names them: kinds, beats, sounding notes, pitch', () => {
    const encoding = new PerformanceEncoding({ velocityBins: 0 });
    // At 120 qpm a beat is 0.5 s: C4 for a beat, then E4 and G4 together from beat 1.5 to 2.
    const ids = encoding.encode({
      notes: [note(60, 0, 0.5), note(64, 0.75, 1), note(67, 0.75, 1)],
      tempos: [],
      timeSignatures: [],
      chords: [],
      totalTime: 1,
    });
    const names = ids.map((id) => encoding.tokenName(id));
    expect(names).toEqual([
      'note-on:60',
      'time-shift:50',
      'note-off:60',
      'time-shift:25',
      'note-on:64',
      'note-on:67',
      'time-shift:25',
      'note-off:64',
      'note-off:67',
    ]);
    const f = musicFeatures(names);
    expect(Array.from(f['note-on'])).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 0]);
    expect(Array.from(f['time-shift'])).toEqual([0, 1, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(f['beat-position'])).toEqual([0, 0, 0, 0.5, 0.5, 0.5, 0, 0, 0]);
    expect(Array.from(f['on-beat'])).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(f['bar-position'])).toEqual([0, 0.25, 0.25, 0.375, 0.375, 0.375, 0.5, 0.5, 0.5]);
    expect(Array.from(f['notes-sounding'])).toEqual([1, 1, 0, 0, 1, 2, 2, 1, 0]);
    expect(Array.from(f.pitch)).toEqual([60, 60, 60, 60, 64, 67, 67, 67, 67]);
    expect(Array.from(f['time-since-onset'])).toEqual([0, 1, 1, 1.5, 0, 0, 0.5, 0.5, 0.5]);
    // Another tempo moves the beats: at 60 qpm a time shift of 50 steps is half a beat.
    expect(musicFeatures(names, { qpm: 60 })['beat-position'][1]).toBeCloseTo(0.5, 6);
  });

  it('reads the melody grid, one token per sixteenth', () => {
    const melody = new MelodyEncoding();
    const names = [
      melody.tokenName(melody.vocabSize - 1),
      melody.tokenName(MELODY_NO_EVENT),
      melody.tokenName(MELODY_NOTE_OFF),
      melody.tokenName(MELODY_NO_EVENT),
      melody.tokenName(2),
    ];
    const f = musicFeatures(names, { stepsPerToken: 1 });
    expect(Array.from(f['beat-position'])).toEqual([0, 0.25, 0.5, 0.75, 0]);
    expect(Array.from(f['on-beat'])).toEqual([1, 0, 0, 0, 1]);
    expect(Array.from(f['notes-sounding'])).toEqual([1, 1, 0, 0, 1]);
    expect(Array.from(f['note-off'])).toEqual([0, 0, 1, 0, 0]);
  });

  it('refuses a bad tempo with a ConfigError', () => {
    expect(thrown(() => musicFeatures(['note-on:60'], { qpm: 0 }), ConfigError).message).toContain('qpm');
  });
});
