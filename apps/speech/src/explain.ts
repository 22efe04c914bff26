import { InputError } from '@seqgen/app-kit';
import {
  rankUnits,
  SPEECH_FEATURE_NAMES,
  type SpeechFeatureName,
  speechFeatures,
  traceTacotron,
  type UnitCorrelation,
  unitName,
} from '@seqgen/interpret';
import { trimAtAlignmentEnd } from '@seqgen/models';
import { espeakPhonemes } from './espeak.js';
import { piecesOf } from './speak.js';
import type { SpeechModel } from './speech-model.js';
import { encodeSymbols } from './symbols.js';

/** Units found for one per-step feature of the decoder. */
export type SpeechFeatureUnits = {
  feature: SpeechFeatureName;
  units: Array<UnitCorrelation & { name: string }>;
};

/** What `explain` reports about one spoken piece. */
export type SpeechExplanation = {
  /** The normalized text traced (the first piece of the input). */
  text: string;
  symbols: number;
  /** Decoder steps (each `reduction` mel frames). */
  steps: number;
  /** Where the attention looked at each step: the most attended symbol's index. */
  attended: number[];
  features: SpeechFeatureUnits[];
};

/**
 * `explain`: the model speaks the first sentence of `text`, then its decoder
 * is traced (teacher-forced over the frames it produced, `@seqgen/interpret`'s
 * `traceTacotron`) and its units are searched for the features of each
 * decoder step: how far through the text the attention is, which symbol it
 * reads, how sharp it is, and how sure the stop token is.
 */
export async function explainSpeech(sm: SpeechModel, text: string, top: number): Promise<SpeechExplanation> {
  const [piece] = piecesOf(text);
  if (piece === undefined) throw new InputError('explain: nothing to speak');
  const phonemes = sm.metadata.symbols === 'phoneme';
  const ids = encodeSymbols(sm.symbols, phonemes ? espeakPhonemes(piece) : piece, phonemes ? 'phoneme' : 'character');
  const [spoken] = await sm.model.synthesize([ids]);
  if (!spoken) throw new InputError(`explain: the model produced nothing for "${piece}"`);
  const synthesis = trimAtAlignmentEnd(spoken, sm.model.config.reduction);
  const trace = traceTacotron(sm.model, ids, synthesis.melBeforePostnet);
  const features = speechFeatures(trace);
  return {
    text: piece,
    symbols: ids.length,
    steps: trace.steps,
    attended: Array.from(features['attended-symbol']),
    features: SPEECH_FEATURE_NAMES.map((feature) => ({
      feature,
      units: rankUnits(trace, features[feature], { top }).map((u) => ({ ...u, name: unitName(u) })),
    })),
  };
}
