import { assertOneOf, ShapeError } from '@seqgen/base';
import { dtwAlign } from './dtw-align.js';
import { assertMatrix, type Matrix } from './matrix.js';

/** Options of {@link melCepstralDistortion}. */
export type McdOptions = {
  /** `'dtw'` (default) aligns the frames by {@link dtwAlign} first; `'none'` pairs frame t with frame t (equal lengths). */
  align?: 'dtw' | 'none';
  /** Include c0 (overall level) in the distance. Default false, the usual practice. */
  includeC0?: boolean;
};

/** `10 / ln 10 · √2`: MCD's factor from natural-log cepstral distance to decibels. */
const MCD_DB = (10 / Math.LN10) * Math.SQRT2;

/**
 * Mel-cepstral distortion in dB between two mel-cepstrum sequences (rows are
 * frames, e.g. {@link melCepstrum} of natural-log magnitude mels from
 * {@link logMelSpectrogram}): the mean over aligned frame pairs of
 * `10/ln10 · √(2 Σ_d (a_d − b_d)²)`, c0 excluded unless asked for (Kubichek
 * 1993). The coefficients must be on SPTK's mel-cepstrum scale (melCepstrum's
 * default); an orthonormal DCT (librosa's MFCC) would inflate it by `√(n/2)`.
 *
 * @throws `ShapeError` for malformed matrices, different widths, or (with
 *   `align: 'none'`) different lengths; `ConfigError` for bad options.
 */
export function melCepstralDistortion(reference: Matrix, synthesized: Matrix, options: McdOptions = {}): number {
  assertMatrix('reference', reference, 'melCepstralDistortion');
  assertMatrix('synthesized', synthesized, 'melCepstralDistortion', reference.cols);
  const align = options.align ?? 'dtw';
  assertOneOf('align', align, ['dtw', 'none'] as const);
  const from = options.includeC0 ? 0 : 1;
  const d = reference.cols;
  if (d <= from)
    throw new ShapeError(
      'reference',
      'at least 2 cepstral coefficients (c0 is skipped)',
      `${d}`,
      'melCepstralDistortion',
    );
  let pathA: ArrayLike<number>;
  let pathB: ArrayLike<number>;
  if (align === 'dtw') ({ pathA, pathB } = dtwAlign(reference, synthesized, { fromColumn: from }));
  else {
    if (reference.rows !== synthesized.rows) {
      throw new ShapeError(
        'synthesized',
        `${reference.rows} frames like reference (or align: 'dtw')`,
        `${synthesized.rows}`,
        'melCepstralDistortion',
      );
    }
    pathA = pathB = Int32Array.from({ length: reference.rows }, (_, t) => t);
  }
  let sum = 0;
  for (let p = 0; p < pathA.length; p++) {
    const i = pathA[p]!;
    const j = pathB[p]!;
    let sq = 0;
    for (let c = from; c < d; c++) sq += (reference.data[i * d + c]! - synthesized.data[j * d + c]!) ** 2;
    sum += MCD_DB * Math.sqrt(sq);
  }
  return sum / pathA.length;
}
