import { assertPositiveInteger, ConfigError } from '@seqgen/base';
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

/**
 * The first `nCoefficients` cepstral coefficients of each row of a log-mel
 * matrix: its orthonormal DCT-II (librosa's `feature.mfcc` applies this to
 * decibels; {@link mfcc} does that for you). Cepstra of natural-log
 * magnitude mels (from {@link logMelSpectrogram}) are what
 * {@link melCepstralDistortion} expects.
 *
 * @throws `ConfigError` when `nCoefficients` is not in [1, cols]; `ShapeError` for a malformed matrix.
 */
export function melCepstrum(logMel: Matrix, nCoefficients = 13): Matrix {
  assertMatrix('logMel', logMel, 'melCepstrum');
  assertPositiveInteger('nCoefficients', nCoefficients);
  const n = logMel.cols;
  if (nCoefficients > n)
    throw new ConfigError('nCoefficients', `must be at most the ${n} mel bands, got ${nCoefficients}`);
  const basis = dctBasis(n, nCoefficients);
  const out = new Float32Array(logMel.rows * nCoefficients);
  for (let t = 0; t < logMel.rows; t++) {
    for (let k = 0; k < nCoefficients; k++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += basis[k * n + i]! * logMel.data[t * n + i]!;
      out[t * nCoefficients + k] = acc;
    }
  }
  return { data: out, rows: logMel.rows, cols: nCoefficients };
}
