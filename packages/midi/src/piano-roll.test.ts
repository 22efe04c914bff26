import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { pianoRollImage } from './piano-roll.js';
import { note, sequence } from './test-fixtures/sequences.js';

const pixel = (img: { width: number; data: Uint8Array }, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('pianoRollImage', () => {
  it('draws each note as a bar at its time and pitch, loud notes redder than soft ones', () => {
    const piece = sequence([note(60, 0, 1, { velocity: 20 }), note(71, 1, 2, { velocity: 120 })]);
    const img = pianoRollImage(piece, { pixelsPerSecond: 10, pixelsPerPitch: 2 });
    // Range padded to whole octaves: 60..71 → 12 rows of 2 px; 2 s at 10 px/s.
    expect([img.width, img.height, img.data.length]).toEqual([20, 24, 20 * 24 * 4]);
    const soft = pixel(img, 5, (71 - 60) * 2); // pitch 60 is the bottom row
    const loud = pixel(img, 15, 0); // pitch 71 is the top row
    expect(soft[3]).toBe(255);
    expect(loud[0] as number).toBeGreaterThan(soft[0] as number);
    expect(loud[2] as number).toBeLessThan(soft[2] as number);
    // Where no note sounds: the background (or a grid line), never a note colour.
    expect(pixel(img, 15, (71 - 60) * 2)).not.toEqual(soft);
  });

  it('draws the top octave up to pitch 127, not past it', () => {
    const img = pianoRollImage(sequence([note(121, 0, 1), note(127, 0, 1)]), {
      pixelsPerSecond: 10,
      pixelsPerPitch: 1,
    });
    // 120..127: eight rows (the octave of 120 would end at 131, beyond MIDI).
    expect([img.width, img.height]).toEqual([10, 8]);
    expect(pixel(img, 5, 0)[3]).toBe(255);
  });

  it('keeps long pieces within maxWidth', () => {
    const img = pianoRollImage(sequence([note(60, 0, 300)]), { maxWidth: 600 });
    expect(img.width).toBeLessThanOrEqual(600);
  });

  it('refuses a malformed sequence and bad options with typed errors', () => {
    expect(() => pianoRollImage({ notes: 3 } as never)).toThrow(ShapeError);
    expect(() => pianoRollImage(sequence([]), { pixelsPerPitch: 0 })).toThrow(ConfigError);
    expect(() => pianoRollImage(sequence([]), { minPitch: 70, maxPitch: 60 })).toThrow(/maxPitch/);
  });
});
