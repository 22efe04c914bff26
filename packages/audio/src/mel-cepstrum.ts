import { assertOneOf, assertPositiveInteger, ConfigError } from '@seqgen/base';
import { assertMatrix, type Matrix } from './matrix.js';

const dctCache = new Map<string, Float64Array>();

/** The orthonormal DCT-II basis, `nOut × n` (row `k` is coefficient `k`), as `scipy.fft.dct(norm='ortho')`. */
function dctBasis(n: number, nOut: number): Float64Array {
  const key = `${n}:${nOut}`;
  let basis = dctCache.get(key);
  if (!basis) {
    basis = new Float64Array(nOut * n);
    for (let k = 0; k < nOut; k++) {
      const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
      for (let i = 0; i < n; i++) basis[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
    }
    dctCache.set(key, basis);
  }
  return basis;
}

/** Options of {@link melCepstrum}. */
export type MelCepstrumOptions = {
  /**
   * How the coefficients are scaled.
   * - `'cepstrum'` (default): the mel-cepstrum as SPTK and pysptk define it, the `c_m` of
   *   `log|H(ω̃)| = c_0 + Σ_{m≥1} c_m cos(m ω̃)` on the mel-warped frequency axis, with the `n`
   *   mel bands as samples of `log|H|` at `ω̃_i = π(2i+1)/(2n)`. This is the scale that
   *   {@link melCepstralDistortion}'s `10/ln10 · √2` factor assumes.
   * - `'ortho'`: the orthonormal DCT-II (`scipy.fft.dct(norm='ortho')`, librosa's MFCC), which
   *   is `√(n/2)` times larger for `m ≥ 1` and `√n` times larger for `c_0`.
   */
  normalization?: 'cepstrum' | 'ortho';
};

/**
 * The first `nCoefficients` cepstral coefficients of each row of a log-mel
 * matrix, from its DCT-II. By default they are the mel-cepstrum (see
 * {@link MelCepstrumOptions}); give it natural-log magnitude mels (from
 * {@link logMelSpectrogram}) to get what {@link melCepstralDistortion} expects.
 * `normalization: 'ortho'` gives librosa's MFCC scale ({@link mfcc} applies it to decibels).
 *
 * @throws `ConfigError` when `nCoefficients` is not in [1, cols] or the normalization is unknown;
 *   `ShapeError` for a malformed matrix.
 */
export function melCepstrum(logMel: Matrix, nCoefficients = 13, options: MelCepstrumOptions = {}): Matrix {
  assertMatrix('logMel', logMel, 'melCepstrum');
  assertPositiveInteger('nCoefficients', nCoefficients);
  const normalization = options.normalization ?? 'cepstrum';
  assertOneOf('normalization', normalization, ['cepstrum', 'ortho'] as const);
  const n = logMel.cols;
  if (nCoefficients > n)
    throw new ConfigError('nCoefficients', `must be at most the ${n} mel bands, got ${nCoefficients}`);
  const basis = dctBasis(n, nCoefficients);
  // The orthonormal basis carries √(1/n) (k = 0) and √(2/n) (k ≥ 1); the cepstrum wants 1/n and 2/n.
  const scale = (k: number) => (normalization === 'ortho' ? 1 : Math.sqrt((k === 0 ? 1 : 2) / n));
  const out = new Float32Array(logMel.rows * nCoefficients);
  for (let t = 0; t < logMel.rows; t++) {
    for (let k = 0; k < nCoefficients; k++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += basis[k * n + i]! * logMel.data[t * n + i]!;
      out[t * nCoefficients + k] = acc * scale(k);
    }
  }
  return { data: out, rows: logMel.rows, cols: nCoefficients };
}
