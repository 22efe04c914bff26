import { InputError, resolveCheckpoint } from '@seqgen/app-kit';
import { SeqgenError } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';

export interface LoadedLanguageModel {
  model: RecurrentLanguageModel;
  tokenizer: SeqgenTokenizer;
  metadata: Record<string, unknown>;
  path: string;
}

/** Loads a language model and its tokenizer; every failure becomes a one-line {@link InputError}. */
export async function loadLanguageModel(path: string): Promise<LoadedLanguageModel> {
  const resolved = resolveCheckpoint(path);
  let loaded: Awaited<ReturnType<typeof RecurrentLanguageModel.load>>;
  try {
    loaded = await RecurrentLanguageModel.load(resolved);
  } catch (err) {
    if (err instanceof SeqgenError) throw new InputError(`cannot load checkpoint ${path}: ${err.message}`, path);
    throw err;
  }
  if (!loaded.tokenizer) {
    loaded.model.dispose();
    throw new InputError(`checkpoint ${path} has no tokenizer: it cannot turn text into tokens`, path);
  }
  return { model: loaded.model, tokenizer: loaded.tokenizer, metadata: loaded.metadata, path: resolved };
}
