import { type LogMelOptions, logMelSpectrogram, logMelToAudio, type Matrix, resample } from '@seqgen/audio';

/**
 * The speech features every model of this app predicts: 16 kHz audio (what
 * pocketsphinx's acoustic model wants), 32 ms Hann windows every 16 ms,
 * 40 Slaney mel bands up to 8 kHz, natural-log magnitudes floored at 1e-3
 * (silence sits at ln 1e-3 ≈ −6.9 instead of −11.5: a narrower range trains
 * faster). A checkpoint stores them; `speak` and `eval` use the stored ones.
 */
export type SpeechFeatures = {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  fMin: number;
  fMax: number;
  floor: number;
};

/** The default {@link SpeechFeatures}. */
export const SPEECH_FEATURES: SpeechFeatures = {
  sampleRate: 16_000,
  nFft: 512,
  hopLength: 256,
  nMels: 40,
  fMin: 0,
  fMax: 8000,
  floor: 1e-3,
};

/** Griffin-Lim iterations of `speak` and `eval` (a quality/speed trade: 32 keeps synthesis faster than real time). */
export const GRIFFIN_LIM_ITERATIONS = 32;

function melOptions(f: SpeechFeatures): LogMelOptions {
  return {
    sampleRate: f.sampleRate,
    nFft: f.nFft,
    hopLength: f.hopLength,
    nMels: f.nMels,
    fMin: f.fMin,
    fMax: f.fMax,
    floor: f.floor,
  };
}

/** Mono samples at any rate → the log-mel frames the model learns (`frames × nMels`). */
export function logMelOf(samples: Float32Array, sampleRate: number, f: SpeechFeatures = SPEECH_FEATURES): Matrix {
  const audio = sampleRate === f.sampleRate ? samples : resample(samples, sampleRate, f.sampleRate);
  return logMelSpectrogram(audio, melOptions(f));
}

/** Log-mel frames → a waveform by mel inversion and Griffin-Lim (the vocoder). */
export function audioOfLogMel(
  logMel: Matrix,
  f: SpeechFeatures = SPEECH_FEATURES,
  iterations = GRIFFIN_LIM_ITERATIONS,
): Float32Array {
  return logMelToAudio(logMel, { ...melOptions(f), iterations, nnlsIterations: 30, seed: 1 });
}

/** Host frames (`Float32Array` per frame) as one row-major matrix. */
export function framesToMatrix(frames: readonly Float32Array[], cols: number): Matrix {
  const data = new Float32Array(frames.length * cols);
  frames.forEach((f, t) => {
    data.set(f, t * cols);
  });
  return { data, rows: frames.length, cols };
}

/** A matrix's rows as separate frames. */
export function matrixToFrames(m: Matrix): Float32Array[] {
  return Array.from({ length: m.rows }, (_, t) => m.data.slice(t * m.cols, (t + 1) * m.cols));
}
