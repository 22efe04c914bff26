import { assertOneOf, assertPositiveInteger, ConfigError, ShapeError } from '@seqgen/base';
import { hannWindow } from './window.js';

/** Framing of a short-time Fourier transform (librosa's names and meanings). */
export type StftOptions = {
  /** FFT size in samples: a power of two in [16, 65536]. Default 1024. */
  nFft?: number;
  /** Samples between frame starts. Default `nFft / 4`. */
  hopLength?: number;
  /** Length of the Hann window, ≤ `nFft`, centred in the frame. Default `nFft`. */
  winLength?: number;
  /**
   * Pad `nFft / 2` samples at both ends so frame `t` is centred on sample
   * `t · hopLength` (librosa's `center=True`). Default true.
   */
  center?: boolean;
  /** How centre padding is filled: zeros (`'constant'`, librosa's default) or a mirror (`'reflect'`). */
  padMode?: 'constant' | 'reflect';
};

/** {@link StftOptions} with every default filled in and the window made. */
export type ResolvedStft = {
  nFft: number;
  hopLength: number;
  winLength: number;
  center: boolean;
  padMode: 'constant' | 'reflect';
  window: Float64Array;
};

/** Fills in and checks {@link StftOptions}; each bad field is a `ConfigError` naming it. */
export function resolveStft(options: StftOptions = {}): ResolvedStft {
  const nFft = options.nFft ?? 1024;
  assertPositiveInteger('nFft', nFft);
  if (nFft < 16 || nFft > 65536 || (nFft & (nFft - 1)) !== 0) {
    throw new ConfigError('nFft', `must be a power of two in [16, 65536] (the FFT is radix-2/4), got ${nFft}`);
  }
  const hopLength = options.hopLength ?? nFft / 4;
  assertPositiveInteger('hopLength', hopLength);
  const winLength = options.winLength ?? nFft;
  assertPositiveInteger('winLength', winLength);
  if (winLength > nFft) throw new ConfigError('winLength', `must be at most nFft (${nFft}), got ${winLength}`);
  if (hopLength > winLength) {
    throw new ConfigError(
      'hopLength',
      `must be at most winLength (${winLength}) so frames overlap or touch, got ${hopLength}`,
    );
  }
  const center = options.center ?? true;
  if (typeof center !== 'boolean') throw new ConfigError('center', `must be a boolean, got ${String(center)}`);
  const padMode = options.padMode ?? 'constant';
  assertOneOf('padMode', padMode, ['constant', 'reflect'] as const);
  return { nFft, hopLength, winLength, center, padMode, window: hannWindow(winLength, nFft) };
}

/**
 * The FFT size a spectrogram of `bins` frequency bins implies, `2 · (bins − 1)`;
 * a `ShapeError` naming `argument` unless that is a power of two in [16, 65536].
 */
export function nFftFromBins(argument: string, bins: number, context: string): number {
  const nFft = 2 * (bins - 1);
  if (!(nFft >= 16 && nFft <= 65536 && (nFft & (nFft - 1)) === 0)) {
    throw new ShapeError(
      argument,
      'nFft/2 + 1 bins for a power-of-two nFft in [16, 65536] (9, 17, …, 513, …)',
      `${bins} bins`,
      context,
    );
  }
  return nFft;
}
