import { translateBatch } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import type { TranslatedLine, TranslateSettings } from '../protocol.js';
import { loadSeq2SeqAt } from './seq2seq-models.js';

/** The most lines translated at once: the tab is for trying sentences, not for files (the CLI is). */
export const MAX_TRANSLATE_LINES = 16;
/** The longest source the shipped model trained on when its checkpoint does not say (the CLI's default). */
const DEFAULT_MAX_SOURCE_TOKENS = 48;

/** Each token as text (a byte-level token that splits a character shows as U+FFFD, as it must). */
function tokenTexts(tokenizer: SeqgenTokenizer, ids: readonly number[]): string[] {
  return ids.map((id) => tokenizer.decode([id]));
}

function maxSourceTokens(metadata: Record<string, unknown>): number {
  const max = metadata.maxSourceTokens;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_SOURCE_TOKENS;
}

/**
 * Translates each non-empty line with the translation checkpoint at `settings.url`: all lines in
 * one batch (beam search over all of them at once with `beams > 1`), the n-best candidates per line
 * and, for the best one, its attention over the source tokens. A source longer than the model
 * trained on is cut to that length and says so (`truncated`), as `seqgen-translate` does.
 */
export async function translateText(settings: TranslateSettings): Promise<TranslatedLine[]> {
  const lines = settings.text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) throw new Error('type a sentence to translate');
  if (lines.length > MAX_TRANSLATE_LINES) {
    throw new Error(`${lines.length} lines to translate; the page translates at most ${MAX_TRANSLATE_LINES} at once`);
  }
  const { model, source, target, metadata } = await loadSeq2SeqAt(settings.url);
  const max = maxSourceTokens(metadata);
  const sources = lines.map((line) => source.encode(line));
  const results = await translateBatch(
    model,
    sources.map((ids) => ids.slice(0, max)),
    {
      numBeams: settings.beams,
      numReturnSequences: Math.min(settings.nBest, settings.beams),
      lengthPenalty: settings.lengthPenalty,
      returnAttention: true,
    },
  );
  return results.map((result, i) => {
    const ids = (sources[i] as number[]).slice(0, max);
    const best = result.sequences[0];
    return {
      source: lines[i] as string,
      sourceTokens: tokenTexts(source, ids),
      truncated: (sources[i] as number[]).length > max,
      candidates: result.sequences.map((sequence) => ({
        text: target.decode(sequence.tokens, { skipSpecialTokens: true }),
        score: sequence.score,
      })),
      targetTokens: best ? tokenTexts(target, best.tokens) : [],
      attention: best?.attention ?? [],
    };
  });
}
