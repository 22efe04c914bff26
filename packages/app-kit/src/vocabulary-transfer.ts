import { ConfigError, type LoadedCheckpoint } from '@seqgen/core';
import { loadPretrained, type PretrainedReport, type VocabularyReport } from '@seqgen/trainer';
import type * as tf from '@tensorflow/tfjs';

/**
 * A model that knows which of its weights are indexed by vocabulary token,
 * and along which axis (`RecurrentLanguageModel.vocabularyRowAxes()`): the
 * weight-name knowledge stays with the model that owns the weights.
 */
export interface VocabularyModel {
  readonly variables: Record<string, tf.Variable>;
  vocabularyRowAxes(): Record<string, number>;
}

/** The vocabulary of a tokenizer as token strings, by id. */
export function vocabularyOf(tokenizer: { vocabSize: number; idToToken(id: number): string | undefined }): string[] {
  return Array.from({ length: tokenizer.vocabSize }, (_, i) => {
    const token = tokenizer.idToToken(i);
    if (token === undefined) throw new ConfigError('tokenizer', `has no token for id ${i} below vocabSize`);
    return token;
  });
}

export interface TransferOptions {
  /** The pretrained checkpoint (a path or an already loaded one). */
  checkpoint: string | LoadedCheckpoint;
  /** Tokens of the pretrained model, by id. */
  from: readonly string[];
  /** Tokens of the new model, by id. */
  to: readonly string[];
  /** Seed for rows of new tokens (default 0). */
  seed?: number;
  /** Rows of new tokens: the mean of the kept rows (default), seeded `normal`, or `zeros`. */
  init?: 'mean' | 'normal' | 'zeros';
}

/**
 * Fine-tuning with a new vocabulary: loads the pretrained weights into
 * `model` (built for the new vocabulary), moving each shared token's rows to
 * its new id, starting new tokens from `init`, dropping tokens the new
 * vocabulary lacks. Which weights hold token rows is the model's answer
 * (`vocabularyRowAxes()`), not the app's.
 */
export async function transferVocabulary(model: VocabularyModel, options: TransferOptions): Promise<PretrainedReport> {
  if (typeof (model as Partial<VocabularyModel>).vocabularyRowAxes !== 'function') {
    throw new ConfigError('model', 'has no vocabularyRowAxes(): it cannot say which weights hold token rows');
  }
  return loadPretrained(model.variables, options.checkpoint, {
    vocabulary: {
      oldVocab: options.from,
      newVocab: options.to,
      rowAxisByName: model.vocabularyRowAxes(),
      seed: options.seed ?? 0,
      init: options.init ?? 'mean',
    },
  });
}

/** One summary line and detail lines (the first 20 tokens added and dropped) for a vocabulary change. */
export function describeVocabularyChange(report: VocabularyReport): { summary: string; details: string[] } {
  const { kept, added, dropped } = report;
  const show = (tokens: string[]) => `${JSON.stringify(tokens.slice(0, 20).join(''))}${tokens.length > 20 ? ' …' : ''}`;
  const details: string[] = [];
  if (added.length) details.push(`  added: ${show(added)}`);
  if (dropped.length) details.push(`  dropped: ${show(dropped)}`);
  return {
    summary: `vocabulary: kept ${kept.length}, added ${added.length}, dropped ${dropped.length} tokens`,
    details,
  };
}
