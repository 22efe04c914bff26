import type { Matrix } from './matrix.js';
import { melCepstrum } from './mel-cepstrum.js';
import { type MelSpectrogramOptions, melSpectrogram } from './mel-spectrogram.js';
import type { SampleArray } from './pcm-audio.js';
import { powerToDb } from './power-to-db.js';

/** Options of {@link mfcc}: the mel spectrogram's, the number of coefficients and the dB floor. */
export type MfccOptions = MelSpectrogramOptions & {
  /** Coefficients per frame. Default 20 (librosa's). */
  nMfcc?: number;
  /** Dynamic range kept by the dB conversion (see {@link powerToDb}); `null` keeps all. Default 80. */
  topDb?: number | null;
};

/**
 * Mel-frequency cepstral coefficients, `frames × nMfcc`, as librosa's
 * `feature.mfcc`: the orthonormal DCT-II of the power mel spectrogram in dB.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a bad signal.
 */
export function mfcc(signal: SampleArray, options: MfccOptions): Matrix {
  const mel = melSpectrogram(signal, { ...options, power: options?.power ?? 2 });
  const db = powerToDb(mel, { topDb: options.topDb === undefined ? 80 : options.topDb });
  return melCepstrum(db, options.nMfcc ?? 20, { normalization: 'ortho' });
}
