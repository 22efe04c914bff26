import { assertInRange, ConfigError } from '@seqgen/base';
import type { Matrix } from './matrix.js';
import { type MelFilterbankOptions, type SparseFilterbank, sparseMelFilterbank } from './mel-filterbank.js';
import { assertSignal, type SampleArray } from './pcm-audio.js';
import { padSignal, stftOfPadded } from './stft.js';
import { type ResolvedStft, resolveStft, type StftOptions } from './stft-options.js';

/**
 * Everything that defines a mel spectrogram: the STFT framing, the filterbank
 * and the exponent of the magnitude. The defaults (1024-point FFT, hop 256,
 * 80 Slaney bands) are Tacotron 2's; pass the same object to
 * {@link logMelSpectrogram}, {@link melToLinear} and {@link logMelToAudio}.
 */
export type MelSpectrogramOptions = MelFilterbankOptions &
  StftOptions & {
    /** Exponent of the STFT magnitude: 1 for magnitude, 2 for power (librosa's default). Default 2. */
    power?: number;
  };

/** A mel spectrogram's framing, filterbank and power, resolved once. */
export type MelPlan = {
  stft: ResolvedStft;
  filterbank: SparseFilterbank;
  power: number;
};

/** Checks the options and builds the window and filterbank. */
export function planMel(options: MelSpectrogramOptions, defaultPower = 2): MelPlan {
  if (!options || typeof options !== 'object') throw new ConfigError('options', 'must give at least { sampleRate }');
  const stft = resolveStft(options);
  const filterbank = sparseMelFilterbank({ ...options, nFft: stft.nFft });
  const power = options.power ?? defaultPower;
  assertInRange('power', power, 0, 4, { openMin: true });
  return { stft, filterbank, power };
}

/**
 * The mel spectrogram, `frames × nMels`: `|STFT|^power` projected on the mel
 * filterbank (librosa's `feature.melspectrogram`).
 *
 * @throws `ConfigError` for bad options; `ShapeError` for an empty, non-finite or too-short signal.
 */
export function melSpectrogram(signal: SampleArray, options: MelSpectrogramOptions): Matrix {
  assertSignal('signal', signal, 'melSpectrogram');
  return melOfSignal(signal, planMel(options));
}

/** {@link melSpectrogram} with a prepared plan. */
export function melOfSignal(signal: ArrayLike<number>, plan: MelPlan): Matrix {
  const spec = stftOfPadded(padSignal(signal, plan.stft, 'melSpectrogram'), plan.stft);
  const { frames, bins } = spec;
  const { starts, ends, matrix } = plan.filterbank;
  const nMels = matrix.rows;
  const out = new Float32Array(frames * nMels);
  const magnitude = new Float64Array(bins);
  const half = plan.power / 2;
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      const re = spec.real[t * bins + k]!;
      const im = spec.imag[t * bins + k]!;
      const p = re * re + im * im;
      magnitude[k] = half === 1 ? p : p ** half;
    }
    for (let m = 0; m < nMels; m++) {
      let acc = 0;
      for (let k = starts[m]!; k < ends[m]!; k++) acc += matrix.data[m * bins + k]! * magnitude[k]!;
      out[t * nMels + m] = acc;
    }
  }
  return { data: out, rows: frames, cols: nMels };
}

/** Options of {@link logMelSpectrogram}: the mel options plus the floor under the logarithm. */
export type LogMelOptions = MelSpectrogramOptions & {
  /** Values are clamped to at least this before the logarithm. Default 1e-5 (Tacotron 2's). */
  floor?: number;
};

/**
 * The natural-log mel spectrogram, `ln(max(mel, floor))`, `frames × nMels`,
 * with `power` defaulting to 1 (magnitude): the features Tacotron 2 predicts
 * and {@link logMelToAudio} turns back into a waveform. For decibels as
 * librosa shows them use {@link powerToDb} on {@link melSpectrogram}.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a bad signal.
 */
export function logMelSpectrogram(signal: SampleArray, options: LogMelOptions): Matrix {
  assertSignal('signal', signal, 'logMelSpectrogram');
  const floor = resolveFloor(options);
  const mel = melOfSignal(signal, planMel(options, 1));
  for (let i = 0; i < mel.data.length; i++) mel.data[i] = Math.log(Math.max(mel.data[i]!, floor));
  return mel;
}

/** The checked `floor` of {@link LogMelOptions}. */
export function resolveFloor(options: LogMelOptions): number {
  const floor = options?.floor ?? 1e-5;
  assertInRange('floor', floor, 0, 1, { openMin: true });
  return floor;
}
