import { assertInRange, assertNonNegativeInteger, assertOneOf, ConfigError, ShapeError } from '@seqgen/base';
import { checkSpectrogram, overlapAdd, squaredWindowSum, trimCentre } from './istft.js';
import { assertMatrix, type Matrix } from './matrix.js';
import { assertSignal, type SampleArray } from './pcm-audio.js';
import { seededUniform } from './seeded-random.js';
import { type ComplexSpectrogram, padSignal, stftOfPadded } from './stft.js';
import { nFftFromBins, type ResolvedStft, resolveStft, type StftOptions } from './stft-options.js';

/** Options of {@link griffinLim}: the STFT framing the magnitudes were made with, and the iteration. */
export type GriffinLimOptions = Omit<StftOptions, 'nFft'> & {
  /** Iterations. Default 32. */
  iterations?: number;
  /** Momentum of the "fast Griffin-Lim" update (Perraudin et al. 2013), in [0, 1); 0 is the classic algorithm. Default 0.99 (librosa's). */
  momentum?: number;
  /** Starting phases: uniformly random (seeded) or all zero. Default `'random'`. */
  init?: 'random' | 'zeros';
  /** Seed of the random starting phases. Default 0. */
  seed?: number;
  /** Samples to return. Default: as many as the frames cover (`hop · (frames − 1)` when centred). */
  length?: number;
};

/**
 * Griffin-Lim phase reconstruction with momentum ("fast Griffin-Lim", as
 * librosa's `griffinlim`): a waveform whose STFT magnitude approaches
 * `magnitude` (`frames × (nFft/2 + 1)`, e.g. from {@link melToLinear}).
 * Each iteration inverts the current complex estimate, re-analyses it, and
 * moves the phases to the new estimate minus `momentum / (1 + momentum)` of
 * the previous one.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a malformed or
 *   negative magnitude matrix.
 */
export function griffinLim(magnitude: Matrix, options: GriffinLimOptions = {}): Float32Array {
  assertMatrix('magnitude', magnitude, 'griffinLim');
  const s = resolveStft({ ...options, nFft: nFftFromBins('magnitude', magnitude.cols, 'griffinLim') });
  const iterations = options.iterations ?? 32;
  assertNonNegativeInteger('iterations', iterations);
  const momentum = options.momentum ?? 0.99;
  assertInRange('momentum', momentum, 0, 1, { openMax: true });
  const init = options.init ?? 'random';
  assertOneOf('init', init, ['random', 'zeros'] as const);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ConfigError('seed', `must be an integer, got ${seed}`);
  const length = options.length;
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 1)) {
    throw new ConfigError('length', `must be a positive integer, got ${length}`);
  }
  const S = magnitude.data;
  for (let i = 0; i < S.length; i++) {
    if (S[i]! < 0)
      throw new ShapeError(
        'magnitude',
        'non-negative values',
        `${S[i]} in frame ${Math.floor(i / magnitude.cols)}`,
        'griffinLim',
      );
  }
  checkSpectrogram({ real: S, imag: S, frames: magnitude.rows, bins: magnitude.cols });

  const frames = magnitude.rows;
  const size = S.length;
  const phaseRe = new Float32Array(size);
  const phaseIm = new Float32Array(size);
  if (init === 'random') {
    const uniform = seededUniform(seed);
    for (let i = 0; i < size; i++) {
      const a = 2 * Math.PI * uniform();
      phaseRe[i] = Math.cos(a);
      phaseIm[i] = Math.sin(a);
    }
  } else phaseRe.fill(1);
  const current: ComplexSpectrogram = {
    real: new Float32Array(size),
    imag: new Float32Array(size),
    frames,
    bins: magnitude.cols,
  };
  const rebuilt: ComplexSpectrogram = {
    real: new Float32Array(size),
    imag: new Float32Array(size),
    frames,
    bins: magnitude.cols,
  };
  const previousRe = new Float32Array(size);
  const previousIm = new Float32Array(size);
  const norm = squaredWindowSum(s, frames);
  const wave = new Float64Array(norm.length);
  // Iterations keep the frames' natural length, so every re-analysis has
  // exactly `frames` frames; `length` only trims or pads the final waveform.
  const natural = s.center ? s.hopLength * (frames - 1) : wave.length;
  const blend = momentum / (1 + momentum);

  for (let it = 0; it < iterations; it++) {
    applyPhase(S, phaseRe, phaseIm, current);
    overlapAdd(current, s, wave, norm);
    previousRe.set(rebuilt.real);
    previousIm.set(rebuilt.imag);
    stftOfPadded(reanalysable(wave, s, natural), s, rebuilt);
    updatePhases(rebuilt, previousRe, previousIm, blend, phaseRe, phaseIm);
  }
  applyPhase(S, phaseRe, phaseIm, current);
  return trimCentre(overlapAdd(current, s, wave, norm), s, frames, length ?? natural);
}

/** The momentum step: phases of `rebuilt − blend · previous`. */
function updatePhases(
  rebuilt: ComplexSpectrogram,
  previousRe: Float32Array,
  previousIm: Float32Array,
  blend: number,
  phaseRe: Float32Array,
  phaseIm: Float32Array,
): void {
  for (let i = 0; i < phaseRe.length; i++) {
    const re = rebuilt.real[i]! - blend * previousRe[i]!;
    const im = rebuilt.imag[i]! - blend * previousIm[i]!;
    const abs = Math.sqrt(re * re + im * im) + 1e-16;
    phaseRe[i] = re / abs;
    phaseIm[i] = im / abs;
  }
}

function applyPhase(S: Float32Array, re: Float32Array, im: Float32Array, out: ComplexSpectrogram): void {
  for (let i = 0; i < S.length; i++) {
    out.real[i] = S[i]! * re[i]!;
    out.imag[i] = S[i]! * im[i]!;
  }
}

/**
 * The overlap-added signal as the next analysis sees it: what `istft` would
 * return (trimmed to `keep` samples), padded again as `stft` pads it. Done in
 * place for zero padding, the common case.
 */
function reanalysable(wave: Float64Array, s: ResolvedStft, keep: number): Float64Array {
  if (!s.center) return wave;
  const pad = s.nFft / 2;
  if (s.padMode === 'constant' && pad + keep <= wave.length) {
    wave.fill(0, 0, pad);
    wave.fill(0, pad + keep);
    return wave;
  }
  return padSignal(trimCentre(wave, s, 0, keep), s, 'griffinLim');
}

/**
 * Spectral convergence, `‖S − |STFT(signal)|‖ / ‖S‖` (Frobenius norms): how
 * far a waveform's STFT magnitude is from a target `magnitude` (0 is exact).
 * Frames beyond the shorter of the two are ignored.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a bad matrix or signal.
 */
export function spectralConvergence(
  magnitude: Matrix,
  signal: SampleArray,
  options: Omit<StftOptions, 'nFft'> = {},
): number {
  assertMatrix('magnitude', magnitude, 'spectralConvergence');
  assertSignal('signal', signal, 'spectralConvergence');
  const s = resolveStft({ ...options, nFft: nFftFromBins('magnitude', magnitude.cols, 'spectralConvergence') });
  const spec = stftOfPadded(padSignal(signal, s, 'spectralConvergence'), s);
  const frames = Math.min(spec.frames, magnitude.rows);
  let diff = 0;
  let total = 0;
  for (let i = 0; i < frames * magnitude.cols; i++) {
    const target = magnitude.data[i]!;
    const got = Math.sqrt(spec.real[i]! ** 2 + spec.imag[i]! ** 2);
    diff += (target - got) ** 2;
    total += target * target;
  }
  return total === 0 ? Math.sqrt(diff) : Math.sqrt(diff / total);
}
