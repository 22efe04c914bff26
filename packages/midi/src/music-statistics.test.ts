import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { allowedPerformanceEvents } from './allowed-events.js';
import { estimateKey, histogramDistance, musicStatistics } from './music-statistics.js';
import { keyName, parseKey, scalePitchClasses } from './musical-key.js';
import { noteDensityProcessor } from './note-density.js';
import { PerformanceEncoding } from './performance-encoding.js';
import { note, sequence } from './test-fixtures/sequences.js';

describe('keys', () => {
  it('parses keys and lists their scales', () => {
    expect(parseKey('Am')).toEqual({ tonic: 9, mode: 'minor' });
    expect(keyName(parseKey('f# minor'))).toBe('F# minor');
    expect(scalePitchClasses(parseKey('G'))).toEqual([7, 9, 11, 0, 2, 4, 6]);
    expect(() => parseKey('H major')).toThrow(ConfigError);
    expect(() => parseKey('C dorian', '--key')).toThrow(/--key: must be a key such as/);
  });
});

describe('musicStatistics', () => {
  // Two seconds: C and E together for 1 s, then G alone for 1 s; a drum all along.
  const s = sequence([
    note(60, 0, 1),
    note(64, 0, 1),
    note(67, 1, 2),
    note(61, 1.5, 2),
    note(36, 0, 2, { isDrum: true, channel: 9 }),
  ]);
  it('pitch-class histogram, density, polyphony and in-key ratio, drums left out', () => {
    const stats = musicStatistics(s, parseKey('C'));
    expect(stats.pitchClassHistogram[0]).toBe(0.25);
    expect(stats.pitchClassHistogram[1]).toBe(0.25);
    expect(stats.noteDensity).toBe(2);
    // Sounding: 2 notes for 1 s, 1 for 0.5 s, 2 for 0.5 s → 3.5 note-seconds over 2 s.
    expect(stats.polyphony).toBeCloseTo(1.75, 12);
    expect(stats.inKeyRatio).toBe(0.75);
    expect(musicStatistics(s).inKeyRatio).toBeNaN();
    expect(histogramDistance(stats.pitchClassHistogram, stats.pitchClassHistogram)).toBe(0);
    expect(histogramDistance([1, 0], [0, 1])).toBe(1);
  });

  it('estimates the key of a scale played up and down', () => {
    const dMinor = [62, 64, 65, 67, 69, 70, 72, 74, 62, 62, 69].map((p, i) => note(p, i * 0.25, i * 0.25 + 0.25));
    expect(keyName(estimateKey(sequence(dMinor)))).toBe('D minor');
  });
});

describe('allowedPerformanceEvents', () => {
  it('allows only onsets in the key and range; releases, shifts and velocities stay', () => {
    const encoding = new PerformanceEncoding();
    const allowed = allowedPerformanceEvents(encoding, { key: parseKey('C'), minPitch: 48, maxPitch: 84 });
    expect(allowed).toHaveLength(388);
    const onsets = allowed.slice(0, 128).flatMap((ok, pitch) => (ok ? [pitch] : []));
    expect(onsets).toHaveLength(22); // 3 octaves of 7 + C6
    expect(onsets.slice(0, 3)).toEqual([48, 50, 52]);
    expect(allowed.slice(128).every(Boolean)).toBe(true);
    expect(() => allowedPerformanceEvents(encoding, { minPitch: 90, maxPitch: 80 })).toThrow(ConfigError);
  });
});

describe('allowedPerformanceEvents with pitch classes', () => {
  it('keeps onsets of the listed pitch classes only (a pentatonic scale), with the key when both are given', () => {
    const encoding = new PerformanceEncoding();
    const pentatonic = [0, 2, 4, 7, 9];
    const allowed = allowedPerformanceEvents(encoding, { pitchClasses: pentatonic, minPitch: 60, maxPitch: 71 });
    expect(allowed.slice(0, 128).flatMap((ok, p) => (ok ? [p] : []))).toEqual([60, 62, 64, 67, 69]);
    const both = allowedPerformanceEvents(encoding, {
      pitchClasses: [0, 1, 2],
      key: parseKey('C'),
      minPitch: 60,
      maxPitch: 71,
    });
    expect(both.slice(0, 128).flatMap((ok, p) => (ok ? [p] : []))).toEqual([60, 62]);
    expect(() => allowedPerformanceEvents(encoding, { pitchClasses: [12] })).toThrow(/pitchClasses/);
    expect(() => allowedPerformanceEvents(encoding, { pitchClasses: [] })).toThrow(ConfigError);
  });
});

describe('noteDensityProcessor', () => {
  it('scales the odds of every onset against every other event by the density', () => {
    const encoding = new PerformanceEncoding();
    const logits = new Float32Array(encoding.vocabSize).fill(0.5);
    noteDensityProcessor(encoding, 2).process(logits);
    expect(logits[60]).toBeCloseTo(0.5 + Math.log(2), 6);
    expect(logits[128 + 60]).toBe(0.5);
    expect(logits[encoding.id({ type: 'time-shift', steps: 10 })]).toBe(0.5);
    const same = new Float32Array(4).fill(1);
    noteDensityProcessor(encoding, 1).process(same);
    expect(Array.from(same)).toEqual([1, 1, 1, 1]);
    expect(() => noteDensityProcessor(encoding, 0)).toThrow(ConfigError);
  });
});
