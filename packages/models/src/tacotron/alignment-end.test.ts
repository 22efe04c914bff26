import { describe, expect, it } from 'vitest';
import { stepsUntilAlignmentEnd, trimAtAlignmentEnd } from './alignment-end.js';

const row = (...w: number[]) => Float32Array.from(w);
const frames = (n: number) => Array.from({ length: n }, (_, i) => Float32Array.of(i));

describe('trimming a synthesis at the end of its alignment', () => {
  // Three symbols: the peak walks 0, 1, 2 at step 2 and stays there (the hum).
  const alignment = [
    row(0.8, 0.2, 0),
    row(0.1, 0.7, 0.2),
    row(0, 0.3, 0.7),
    row(0, 0.1, 0.9),
    row(0, 0, 1),
    row(0, 0, 1),
    row(0, 0, 1),
  ];

  it('finds the step where the peak first reaches the last symbol, plus slack', () => {
    expect(stepsUntilAlignmentEnd(alignment, 0)).toBe(3);
    expect(stepsUntilAlignmentEnd(alignment)).toBe(6);
    expect(stepsUntilAlignmentEnd(alignment, 10)).toBe(7);
    expect(stepsUntilAlignmentEnd(alignment.slice(0, 2))).toBe(2); // never got there: all of it
  });

  it('cuts mel frames (reduction per step) and alignment of a run the length guard ended, and keeps a stopped one', () => {
    const r = { mel: frames(14), melBeforePostnet: frames(14), alignment, finishReason: 'length' as const };
    const cut = trimAtAlignmentEnd(r, 2);
    expect(cut.alignment).toHaveLength(6);
    expect(cut.mel.map((f) => f[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(cut.melBeforePostnet).toHaveLength(12);
    const stopped = { ...r, finishReason: 'stop' as const };
    expect(trimAtAlignmentEnd(stopped, 2)).toBe(stopped);
  });
});
