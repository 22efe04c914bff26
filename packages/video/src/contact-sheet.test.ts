import { ShapeError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { contactSheet } from './contact-sheet.js';
import type { Video } from './video.js';

/** Three 2×2 gray frames filled with 10, 20 and 30. */
const video: Video = {
  width: 2,
  height: 2,
  channels: 1,
  frames: [10, 20, 30].map((v) => new Uint8Array(4).fill(v)),
};

describe('contactSheet', () => {
  it('lays the chosen frames out in rows with gaps of the background value', () => {
    const sheet = contactSheet(video, [2, 0], { gap: 1, background: 0 });
    expect([sheet.width, sheet.height, sheet.channels]).toEqual([7, 4, 1]);
    // Row 1 (the first frame row): gap, frame 2, gap, frame 0, gap.
    expect(Array.from(sheet.data.subarray(7, 14))).toEqual([0, 30, 30, 0, 10, 10, 0]);
    expect(Array.from(sheet.data.subarray(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('wraps onto more rows after `columns` frames', () => {
    const sheet = contactSheet(video, [0, 1, 2], { columns: 2, gap: 0 });
    expect([sheet.width, sheet.height]).toEqual([4, 4]);
    expect(sheet.data[2 * 4]).toBe(30);
    expect(sheet.data[2 * 4 + 2]).toBe(255);
  });

  it('names a frame index out of range or an empty choice', () => {
    expect(() => contactSheet(video, [3])).toThrow(/frames\[0\]/);
    expect(() => contactSheet(video, [])).toThrow(ShapeError);
  });
});
