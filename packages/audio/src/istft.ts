import { ConfigError, ShapeError } from '@seqgen/base';
import { realFftOf } from './real-fft.js';
import type { ComplexSpectrogram } from './stft.js';
import { nFftFromBins, type ResolvedStft, resolveStft, type StftOptions } from './stft-options.js';

/** Options of {@link istft}: the framing the spectrogram was made with, and the length wanted. */
export type IstftOptions = Omit<StftOptions, 'nFft' | 'padMode'> & {
  /** Samples to return (e.g. the original signal's length). Default: as many as the frames cover. */
  length?: number;
};

/**
 * The inverse short-time Fourier transform by weighted overlap-add, as
 * librosa's `istft`: each frame's inverse FFT is windowed again, summed, and
 * divided by the summed squared window, then the centre padding is trimmed.
 * With the options the spectrogram was made with it gives the signal back
 * (to float32 rounding) wherever the squared window sums above zero.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a malformed spectrogram.
 */
export function istft(spec: ComplexSpectrogram, options: IstftOptions = {}): Float32Array {
  const nFft = checkSpectrogram(spec);
  const s = resolveStft({ ...options, nFft });
  const length = options.length;
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 1)) {
    throw new ConfigError('length', `must be a positive integer, got ${length}`);
  }
  const y = overlapAdd(spec, s);
  return trimCentre(y, s, spec.frames, length);
}

/** The weighted overlap-add of every frame's inverse FFT, normalised by the summed squared window. */
export function overlapAdd(
  spec: ComplexSpectrogram,
  s: ResolvedStft,
  out?: Float64Array,
  norm?: Float64Array,
): Float64Array {
  const n = s.nFft + s.hopLength * (spec.frames - 1);
  const y = out ?? new Float64Array(n);
  y.fill(0);
  const fft = realFftOf(s.nFft);
  const frame = new Float64Array(s.nFft);
  const w = s.window;
  for (let t = 0; t < spec.frames; t++) {
    fft.inverse(spec.real, spec.imag, t * spec.bins, frame);
    const start = t * s.hopLength;
    for (let i = 0; i < s.nFft; i++) y[start + i]! += frame[i]! * w[i]!;
  }
  const wsq = norm ?? squaredWindowSum(s, spec.frames);
  for (let i = 0; i < n; i++) if (wsq[i]! > 1e-10) y[i]! /= wsq[i]!;
  return y;
}

/** Σ_t window²(i − t·hop): the overlap-add normaliser. */
export function squaredWindowSum(s: ResolvedStft, frames: number): Float64Array {
  const wsq = new Float64Array(s.nFft + s.hopLength * (frames - 1));
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < s.nFft; i++) wsq[t * s.hopLength + i]! += s.window[i]! ** 2;
  }
  return wsq;
}

/** Drops the centre padding (librosa: `nFft/2` at the start) and cuts or zero-pads to `length`. */
export function trimCentre(y: Float64Array, s: ResolvedStft, frames: number, length?: number): Float32Array {
  const start = s.center ? s.nFft / 2 : 0;
  const natural = s.center ? s.hopLength * (frames - 1) : y.length;
  const n = length ?? natural;
  const out = new Float32Array(n);
  const available = Math.min(n, y.length - start);
  for (let i = 0; i < available; i++) out[i] = y[start + i]!;
  return out;
}

/** Checks a spectrogram's shape and values, returning the FFT size its bins imply. */
export function checkSpectrogram(spec: ComplexSpectrogram): number {
  if (!spec || !(spec.real instanceof Float32Array) || !(spec.imag instanceof Float32Array)) {
    throw new ShapeError(
      'spec',
      'a ComplexSpectrogram { real, imag: Float32Array, frames, bins }',
      String(spec),
      'istft',
    );
  }
  const { frames, bins } = spec;
  if (!(Number.isSafeInteger(frames) && frames >= 1 && Number.isSafeInteger(bins))) {
    throw new ShapeError('spec', 'integer frames ≥ 1 and bins', `frames ${frames}, bins ${bins}`, 'istft');
  }
  const nFft = nFftFromBins('spec', bins, 'istft');
  if (spec.real.length !== frames * bins || spec.imag.length !== frames * bins) {
    throw new ShapeError(
      'spec.real/imag',
      `length frames × bins = ${frames * bins}`,
      `${spec.real.length}/${spec.imag.length}`,
      'istft',
    );
  }
  for (let i = 0; i < spec.real.length; i++) {
    if (!Number.isFinite(spec.real[i]!) || !Number.isFinite(spec.imag[i]!)) {
      throw new ShapeError('spec', 'finite values', `a non-finite value in frame ${Math.floor(i / bins)}`, 'istft');
    }
  }
  return nFft;
}
