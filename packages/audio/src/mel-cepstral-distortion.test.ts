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

/** `frames` log-mel rows of `n` bands sampled from `log|H(ω)| = c_0 + Σ_m c_m cos(mω)` at `ω_i = π(2i+1)/(2n)`. */
function logSpectrumOf(cepstrum: (t: number) => number[], frames: number, n: number): Matrix {
  const data = new Float32Array(frames * n);
  for (let t = 0; t < frames; t++) {
    const c = cepstrum(t);
    for (let i = 0; i < n; i++) {
      const w = (Math.PI * (2 * i + 1)) / (2 * n);
      data[t * n + i] = c.reduce((sum, cm, m) => sum + cm * Math.cos(m * w), 0);
    }
  }
  return { data, rows: frames, cols: n };
}

describe('melCepstrum', () => {
  it("recovers the coefficients of a known log spectrum (SPTK's mel-cepstrum scale), and librosa's DCT on request", () => {
    const n = 40;
    const known = (t: number) => [-2 + 0.1 * t, 1.5, -0.75, 0.25 * t, 0, 0.125];
    const cepstrum = melCepstrum(logSpectrumOf(known, 4, n), 8);
    const ortho = melCepstrum(logSpectrumOf(known, 4, n), 8, { normalization: 'ortho' });
    for (let t = 0; t < 4; t++) {
      const expected = [...known(t), 0, 0];
      for (let m = 0; m < 8; m++) {
        expect(cepstrum.data[t * 8 + m]).toBeCloseTo(expected[m]!, 5);
        // The orthonormal DCT-II is √n (c0) and √(n/2) (c_m) times larger.
        expect(ortho.data[t * 8 + m]).toBeCloseTo(expected[m]! * Math.sqrt(m === 0 ? n : n / 2), 4);
      }
    }
    expect(() => melCepstrum(logSpectrumOf(known, 1, n), 8, { normalization: 'dct' as 'ortho' })).toThrow(ConfigError);
  });

  it('makes MCD independent of the number of mel bands: a 0.1 change in c_2 costs 10/ln10·√2·0.1 dB at 40 or 80 bands', () => {
    for (const n of [40, 80]) {
      const withC2 = (c2: number) =>
        melCepstrum(
          logSpectrumOf(() => [0, 1, c2, -0.3], 6, n),
          13,
        );
      const [a, b] = [withC2(0.5), withC2(0.6)];
      expect(melCepstralDistortion(a, b, { align: 'none' })).toBeCloseTo((10 / Math.LN10) * Math.SQRT2 * 0.1, 4);
    }
  });
});

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
