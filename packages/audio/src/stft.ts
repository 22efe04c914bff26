import { ShapeError } from '@seqgen/base';
import { assertSignal, type SampleArray } from './pcm-audio.js';
import { realFftOf } from './real-fft.js';
import { type ResolvedStft, resolveStft, type StftOptions } from './stft-options.js';

/** A complex spectrogram, frame-major: bin `k` of frame `t` is at `t · bins + k`. */
export type ComplexSpectrogram = {
  /** Real parts, `frames × bins`. */
  real: Float32Array;
  /** Imaginary parts, `frames × bins`. */
  imag: Float32Array;
  /** Number of frames. */
  frames: number;
  /** `nFft / 2 + 1` frequency bins, from 0 Hz to the Nyquist frequency. */
  bins: number;
};

/**
 * The short-time Fourier transform with a periodic Hann window, as librosa's
 * `stft` computes it (`window='hann'`, `center=True`, `pad_mode='constant'`
 * by default): `1 + ⌊len / hop⌋` frames when centred.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for an empty or
 *   non-finite signal, or one too short for a single frame.
 */
export function stft(signal: SampleArray, options: StftOptions = {}): ComplexSpectrogram {
  assertSignal('signal', signal, 'stft');
  const resolved = resolveStft(options);
  const padded = padSignal(signal, resolved, 'stft');
  return stftOfPadded(padded, resolved);
}

/** Frames of `padded` (already centre-padded) transformed; no checks. */
export function stftOfPadded(padded: Float64Array, s: ResolvedStft, out?: ComplexSpectrogram): ComplexSpectrogram {
  const frames = 1 + Math.floor((padded.length - s.nFft) / s.hopLength);
  const bins = s.nFft / 2 + 1;
  const spec = out ?? { real: new Float32Array(frames * bins), imag: new Float32Array(frames * bins), frames, bins };
  const fft = realFftOf(s.nFft);
  const frame = new Float64Array(s.nFft);
  const w = s.window;
  for (let t = 0; t < frames; t++) {
    const start = t * s.hopLength;
    for (let n = 0; n < s.nFft; n++) frame[n] = padded[start + n]! * w[n]!;
    fft.forward(frame, spec.real, spec.imag, t * bins);
  }
  return spec;
}

/** The signal as float64 with librosa's centre padding applied (when `center`). */
export function padSignal(signal: ArrayLike<number>, s: ResolvedStft, context: string): Float64Array {
  if (!s.center) {
    if (signal.length < s.nFft) {
      throw new ShapeError(
        'signal',
        `at least nFft = ${s.nFft} samples when center is false`,
        `${signal.length}`,
        context,
      );
    }
    return Float64Array.from(signal);
  }
  const pad = s.nFft / 2;
  if (s.padMode === 'reflect' && signal.length <= pad) {
    throw new ShapeError(
      'signal',
      `more than nFft / 2 = ${pad} samples for reflect padding`,
      `${signal.length}`,
      context,
    );
  }
  const out = new Float64Array(signal.length + 2 * pad);
  for (let i = 0; i < signal.length; i++) out[pad + i] = signal[i]!;
  if (s.padMode === 'reflect') {
    const last = signal.length - 1;
    for (let i = 1; i <= pad; i++) {
      out[pad - i] = signal[i]!;
      out[pad + last + i] = signal[last - i]!;
    }
  }
  return out;
}
