import { InputError, resolveCheckpoint } from '@seqgen/app-kit';
import { type LoadedTacotron, Tacotron } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { SPEECH_FEATURES, type SpeechFeatures } from './features.js';

/** What a seqgen-speech checkpoint's metadata holds beside the model. */
export type SpeechMetadata = {
  app: '@seqgen/app-speech';
  /** The features the model predicts (speak and eval use these). */
  features: SpeechFeatures;
  /** What the symbols are: normalized characters, or espeak-ng `-x` phonemes of them. */
  symbols: 'character' | 'phoneme';
  /** The held-out test sentences (`id`, text as written, normalized): what `eval` speaks. */
  test: Array<{ id: string; text: string; normalized: string }>;
  /** The training folder and its counts, for the record. */
  data: string;
  counts: { train: number; valid: number; test: number };
  steps: number;
  seconds: number;
  cpuSeconds: number;
  backend: string;
};

/** A loaded speech checkpoint: the model, its symbol table and metadata. */
export type SpeechModel = {
  model: Tacotron;
  symbols: SeqgenTokenizer;
  metadata: SpeechMetadata;
  path: string;
};

/** Loads a checkpoint written by `seqgen-speech train` (a run folder or its checkpoint); errors name the folder. */
export async function loadSpeechModel(path: string, flag = '--checkpoint'): Promise<SpeechModel> {
  const dir = resolveCheckpoint(path, flag);
  const loaded: LoadedTacotron = await Tacotron.load(dir);
  const metadata = loaded.metadata as unknown as SpeechMetadata;
  if (metadata.app !== '@seqgen/app-speech' || !loaded.tokenizer) {
    loaded.model.dispose();
    throw new InputError(`${flag} ${path}: not a seqgen-speech checkpoint (no symbol table or speech metadata)`, path);
  }
  const features = { ...SPEECH_FEATURES, ...metadata.features };
  if (features.nMels !== loaded.model.config.melBins) {
    loaded.model.dispose();
    throw new InputError(
      `${flag} ${path}: its features have ${features.nMels} mel bands but the model predicts ${loaded.model.config.melBins}`,
      path,
    );
  }
  return { model: loaded.model, symbols: loaded.tokenizer, metadata: { ...metadata, features }, path: dir };
}
