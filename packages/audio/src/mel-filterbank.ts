import { assertInRange, assertOneOf, assertPositiveInteger, ConfigError } from '@seqgen/base';
import type { Matrix } from './matrix.js';
import { hzToMel, type MelScale, melToHz } from './mel-scale.js';
import { MAX_SAMPLE_RATE } from './pcm-audio.js';

/** What a mel filterbank covers (librosa's `filters.mel` arguments and defaults, except `nMels`). */
export type MelFilterbankOptions = {
  /** Sample rate of the audio in Hz (integer in [1, 768000]). */
  sampleRate: number;
  /** FFT size the spectrogram was made with. Default 1024. */
  nFft?: number;
  /** Number of mel bands. Default 80 (Tacotron 2's). */
  nMels?: number;
  /** Lowest frequency in Hz. Default 0. */
  fMin?: number;
  /** Highest frequency in Hz, ≤ `sampleRate / 2`. Default `sampleRate / 2`. */
  fMax?: number;
  /** Mel scale the band edges are spaced on. Default `'slaney'`. */
  scale?: MelScale;
  /** `'slaney'` divides each triangle by its width in Hz (constant energy per band); `'none'` keeps peaks at 1. Default `'slaney'`. */
  norm?: 'slaney' | 'none';
};

/** A mel filterbank with each filter's non-zero bin range, for sparse products. */
export type SparseFilterbank = {
  /** The dense `nMels × (nFft/2 + 1)` weights. */
  matrix: Matrix;
  /** First non-zero bin of each filter. */
  starts: Int32Array;
  /** One past the last non-zero bin of each filter (equal to `starts` for an empty filter). */
  ends: Int32Array;
};

/**
 * The triangular mel filterbank, `nMels × (nFft/2 + 1)`, as librosa's
 * `filters.mel` builds it: `nMels + 2` edges evenly spaced in mels between
 * `fMin` and `fMax`, triangles over the FFT bin frequencies, and with the
 * Slaney norm each scaled by `2 / (upper edge − lower edge)` in Hz.
 *
 * @throws `ConfigError` naming the first bad option.
 */
export function melFilterbank(options: MelFilterbankOptions): Matrix {
  return sparseMelFilterbank(options).matrix;
}

/** {@link melFilterbank} with each filter's non-zero range (used by the fast products). */
export function sparseMelFilterbank(options: MelFilterbankOptions): SparseFilterbank {
  const r = resolveMel(options);
  const bins = r.nFft / 2 + 1;
  const edges = new Float64Array(r.nMels + 2);
  const melLow = hzToMel(r.fMin, r.scale);
  const melHigh = hzToMel(r.fMax, r.scale);
  for (let i = 0; i < edges.length; i++) edges[i] = melToHz(melLow + ((melHigh - melLow) * i) / (r.nMels + 1), r.scale);
  const data = new Float32Array(r.nMels * bins);
  const starts = new Int32Array(r.nMels);
  const ends = new Int32Array(r.nMels);
  for (let m = 0; m < r.nMels; m++) {
    const [lo, mid, hi] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const gain = r.norm === 'slaney' ? 2 / (hi - lo) : 1;
    let first = -1;
    let last = -1;
    for (let k = 0; k < bins; k++) {
      const f = (k * r.sampleRate) / r.nFft;
      const weight = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (weight > 0) {
        data[m * bins + k] = weight * gain;
        if (first < 0) first = k;
        last = k;
      }
    }
    starts[m] = Math.max(first, 0);
    ends[m] = first < 0 ? 0 : last + 1;
  }
  return { matrix: { data, rows: r.nMels, cols: bins }, starts, ends };
}

/** {@link MelFilterbankOptions} with defaults filled in. */
export type ResolvedMel = Required<MelFilterbankOptions>;

/** Fills in and checks {@link MelFilterbankOptions}. */
export function resolveMel(options: MelFilterbankOptions): ResolvedMel {
  const sampleRate = options?.sampleRate;
  if (!(Number.isSafeInteger(sampleRate) && sampleRate >= 1 && sampleRate <= MAX_SAMPLE_RATE)) {
    throw new ConfigError('sampleRate', `must be an integer in [1, ${MAX_SAMPLE_RATE}] Hz, got ${sampleRate}`);
  }
  const nFft = options.nFft ?? 1024;
  assertPositiveInteger('nFft', nFft);
  const nMels = options.nMels ?? 80;
  assertPositiveInteger('nMels', nMels);
  if (nMels > 4096) throw new ConfigError('nMels', `must be at most 4096, got ${nMels}`);
  const fMin = options.fMin ?? 0;
  const fMax = options.fMax ?? sampleRate / 2;
  assertInRange('fMax', fMax, 0, sampleRate / 2, { openMin: true });
  assertInRange('fMin', fMin, 0, fMax, { openMax: true });
  const scale = options.scale ?? 'slaney';
  assertOneOf('scale', scale, ['htk', 'slaney'] as const);
  const norm = options.norm ?? 'slaney';
  assertOneOf('norm', norm, ['slaney', 'none'] as const);
  return { sampleRate, nFft, nMels, fMin, fMax, scale, norm };
}
