import type { SpeechDecoderTrace } from './trace-tacotron.js';

/** Names of the per-decoder-step features of {@link speechFeatures}. */
export const SPEECH_FEATURE_NAMES = [
  'text-progress',
  'attended-symbol',
  'attention-entropy',
  'stop-probability',
] as const;

/** One of {@link SPEECH_FEATURE_NAMES}. */
export type SpeechFeatureName = (typeof SPEECH_FEATURE_NAMES)[number];

/**
 * Per decoder step of a {@link SpeechDecoderTrace}, features to search the
 * decoder's units with (`rankUnits`):
 *
 * - `text-progress`: the attention's mean position over the symbols, 0 (first) to 1 (last);
 * - `attended-symbol`: the index of the most attended symbol;
 * - `attention-entropy`: the entropy of the step's attention weights, in nats (0 = one symbol);
 * - `stop-probability`: the stop token's probability.
 */
export function speechFeatures(trace: SpeechDecoderTrace): Record<SpeechFeatureName, Float32Array> {
  const N = trace.steps;
  const S = trace.symbols.length;
  const out = Object.fromEntries(SPEECH_FEATURE_NAMES.map((name) => [name, new Float32Array(N)])) as Record<
    SpeechFeatureName,
    Float32Array
  >;
  for (let n = 0; n < N; n++) {
    let mean = 0;
    let best = 0;
    let entropy = 0;
    for (let s = 0; s < S; s++) {
      const w = trace.alignment[n * S + s] as number;
      mean += w * s;
      if (w > (trace.alignment[n * S + best] as number)) best = s;
      if (w > 0) entropy -= w * Math.log(w);
    }
    out['text-progress'][n] = S > 1 ? mean / (S - 1) : 0;
    out['attended-symbol'][n] = best;
    out['attention-entropy'][n] = entropy;
    out['stop-probability'][n] = trace.stopProbabilities[n] as number;
  }
  return out;
}
