import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { dtwAlign } from './dtw-align.js';
import type { Matrix } from './matrix.js';
import { melCepstralDistortion } from './mel-cepstral-distortion.js';
import { melCepstrum } from './mel-cepstrum.js';
import { logMelSpectrogram } from './mel-spectrogram.js';
import { speechSignal } from './test-fixtures/load-fixtures.js';

const options = { sampleRate: 22050, nFft: 1024, hopLength: 256, nMels: 80, fMax: 8000 };
const cepstra = melCepstrum(logMelSpectrogram(speechSignal(), options), 13);

/** `m` with every frame repeated where `repeat(t)` says (a time stretch). */
function stretched(m: Matrix, repeat: (t: number) => number): Matrix {
  const rows: Float32Array[] = [];
  for (let t = 0; t < m.rows; t++) {
    for (let r = 0; r < repeat(t); r++) rows.push(m.data.subarray(t * m.cols, (t + 1) * m.cols));
  }
  const data = new Float32Array(rows.length * m.cols);
  for (const [i, row] of rows.entries()) data.set(row, i * m.cols);
  return { data, rows: rows.length, cols: m.cols };
}

describe('melCepstralDistortion', () => {
  it('is 0 dB for identical sequences and 10/ln10·√2·δ for a constant offset δ in one coefficient', () => {
    expect(melCepstralDistortion(cepstra, cepstra)).toBe(0);
    const shifted = { ...cepstra, data: cepstra.data.slice() };
    for (let t = 0; t < shifted.rows; t++) shifted.data[t * 13 + 3]! += 0.5;
    expect(melCepstralDistortion(cepstra, shifted, { align: 'none' })).toBeCloseTo(
      (10 / Math.LN10) * Math.SQRT2 * 0.5,
      4,
    );
    // c0 (loudness) is left out unless asked for.
    const louder = { ...cepstra, data: cepstra.data.slice() };
    for (let t = 0; t < louder.rows; t++) louder.data[t * 13]! += 2;
    expect(melCepstralDistortion(cepstra, louder, { align: 'none' })).toBe(0);
    expect(melCepstralDistortion(cepstra, louder, { align: 'none', includeC0: true })).toBeCloseTo(
      (10 / Math.LN10) * Math.SQRT2 * 2,
      4,
    );
  });

  it('aligns a time-stretched copy by DTW (0 dB) where frame-by-frame pairing cannot', () => {
    const slow = stretched(cepstra, (t) => (t % 3 === 0 ? 2 : 1));
    expect(slow.rows).toBeGreaterThan(cepstra.rows);
    expect(melCepstralDistortion(cepstra, slow)).toBe(0);
    const cut = { data: slow.data.subarray(0, cepstra.rows * 13), rows: cepstra.rows, cols: 13 };
    expect(melCepstralDistortion(cepstra, cut, { align: 'none' })).toBeGreaterThan(3);
  });

  it('gives a few dB between two different utterances of real speech', () => {
    const other = melCepstrum(logMelSpectrogram(speechSignal().subarray(11025), options), 13);
    const mcd = melCepstralDistortion(cepstra, other);
    expect(mcd).toBeGreaterThan(2);
    expect(mcd).toBeLessThan(40);
  });

  it('refuses mismatched, malformed and unalignable inputs', () => {
    expect(() => melCepstralDistortion(cepstra, { data: new Float32Array(12), rows: 1, cols: 12 })).toThrow(
      /synthesized must be 13 columns, got 12/,
    );
    expect(() => melCepstralDistortion(cepstra, { ...cepstra, rows: 3 })).toThrow(ShapeError);
    expect(() =>
      melCepstralDistortion(cepstra, { data: cepstra.data.subarray(0, 130), rows: 10, cols: 13 }, { align: 'none' }),
    ).toThrow(/synthesized must be \d+ frames like reference/);
    expect(() => melCepstralDistortion(cepstra, cepstra, { align: 'fast' as 'dtw' })).toThrow(ConfigError);
    expect(() =>
      melCepstralDistortion(
        { data: Float32Array.of(1), rows: 1, cols: 1 },
        { data: Float32Array.of(1), rows: 1, cols: 1 },
      ),
    ).toThrow(/at least 2 cepstral coefficients/);
    const long = { data: new Float32Array(6000 * 2), rows: 6000, cols: 2 };
    expect(() => dtwAlign(long, long)).toThrow(/at most 25000000 frame pairs to align, got 6000 × 6000/);
  });
});

describe('dtwAlign', () => {
  it('returns a monotonic path from (0, 0) to the last frames with the summed distance', () => {
    const a: Matrix = { data: Float32Array.of(0, 1, 2, 3), rows: 4, cols: 1 };
    const b: Matrix = { data: Float32Array.of(0, 0, 1, 2, 3, 3), rows: 6, cols: 1 };
    const { pathA, pathB, cost } = dtwAlign(a, b);
    expect(Array.from(pathA)).toEqual([0, 0, 1, 2, 3, 3]);
    expect(Array.from(pathB)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cost).toBe(0);
    const c: Matrix = { data: Float32Array.of(0, 2), rows: 2, cols: 1 };
    expect(dtwAlign(c, { data: Float32Array.of(1), rows: 1, cols: 1 }).cost).toBe(2);
    expect(() => dtwAlign(a, b, { fromColumn: 1 })).toThrow(/fromColumn: must be below the 1 columns/);
  });
});
