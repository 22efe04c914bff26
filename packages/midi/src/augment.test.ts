import { ConfigError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { stretchNoteSequence, transposeNoteSequence } from './augment.js';
import { quantizeNoteSequence } from './quantize.js';
import { note, sequence } from './test-fixtures/sequences.js';

describe('augmentation', () => {
  const s = {
    ...sequence([note(60, 0, 0.5), note(125, 0.5, 1), note(36, 0, 1, { isDrum: true, channel: 9 })]),
    chords: [{ time: 0, chord: { root: 11, quality: 'maj' as const } }],
  };

  it('transposes pitched notes and chords, leaves drums, drops notes pushed out of range', () => {
    const up = transposeNoteSequence(s, 3);
    expect(up.notes.map((n) => n.pitch)).toEqual([36, 63]);
    expect(up.chords[0]?.chord).toEqual({ root: 2, quality: 'maj' });
    const q = transposeNoteSequence(quantizeNoteSequence(s), -12);
    expect(q.notes.map((n) => [n.pitch, n.quantizedStart])).toEqual([
      [36, 0],
      [48, 0],
      [113, 4],
    ]);
    expect(() => transposeNoteSequence(s, 0.5)).toThrow(ConfigError);
  });

  it('stretches time and tempo together, so the beat grid stays', () => {
    const slow = stretchNoteSequence(s, 2);
    expect(slow.notes[1]?.end).toBe(1);
    expect(slow.tempos).toEqual([{ time: 0, qpm: 60 }]);
    expect(slow.totalTime).toBe(2);
    expect(quantizeNoteSequence(slow).notes.map((n) => n.quantizedEnd)).toEqual(
      quantizeNoteSequence(s).notes.map((n) => n.quantizedEnd),
    );
    expect(() => stretchNoteSequence(s, 0)).toThrow(/factor: must be a number in \(0, 100\]/);
  });
});
