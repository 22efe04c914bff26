import { RecurrentLanguageModel } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import type { ModelSource } from '../protocol.js';
import { loadOncePerUrl } from './load-once.js';

/** A language model with the tokenizer that turns text into its ids. */
export type LanguageModelWithTokenizer = { model: RecurrentLanguageModel; tokenizer: SeqgenTokenizer };

let trained: LanguageModelWithTokenizer | undefined;

/** Loads a checkpoint by URL once per worker (a failed load is forgotten, so a retry loads again). */
export const languageModelAt = loadOncePerUrl((url) =>
  RecurrentLanguageModel.load(url).then(({ model, tokenizer }): LanguageModelWithTokenizer => {
    if (!tokenizer) {
      model.dispose();
      throw new Error(`checkpoint ${url} has no tokenizer: it cannot turn text into tokens`);
    }
    return { model, tokenizer };
  }),
);

/** The model a text job names: a checkpoint by URL, or the one trained in this session. */
export async function languageModelFor(source: ModelSource): Promise<LanguageModelWithTokenizer> {
  if (source.kind === 'url') return languageModelAt(source.url);
  if (!trained) throw new Error('no model has been trained yet: train one on the Train tab first');
  return trained;
}

/** Keeps the model trained in the browser for generation (disposing the previous one). */
export function keepTrainedModel(next: LanguageModelWithTokenizer): void {
  trained?.model.dispose();
  trained = next;
}
