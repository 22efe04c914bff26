import { InputError, loadSeq2SeqCheckpoint, UsageError } from '@seqgen/app-kit';
import type { Seq2Seq } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';

/** What `train` records in a translation checkpoint's metadata. */
export interface TranslatorMetadata {
  app: '@seqgen/app-translate';
  /** Language codes: `en` → `de`. */
  source: string;
  target: string;
  /** Longest source (in tokens) the model trained on: longer input is cut to it, with a warning. */
  maxSourceTokens: number;
  [key: string]: unknown;
}

export interface LoadedTranslator {
  model: Seq2Seq;
  source: SeqgenTokenizer;
  target: SeqgenTokenizer;
  metadata: TranslatorMetadata;
  path: string;
}

/** Source tokens a checkpoint without the record gets (and `train`'s default `--max-len`). */
export const DEFAULT_MAX_SOURCE_TOKENS = 48;

/**
 * Loads a translation checkpoint and its two tokenizers. A checkpoint of
 * another kind (a text language model, say) or one missing its tokenizers is
 * an {@link InputError} (exit 3) that says what it holds instead.
 */
export async function loadTranslator(path: string, flag = '--checkpoint'): Promise<LoadedTranslator> {
  const {
    model,
    preprocessors,
    metadata,
    path: resolved,
  } = await loadSeq2SeqCheckpoint(path, {
    cli: 'seqgen-translate',
    flag,
    notA: 'a translation model',
  });
  const source = preprocessors.source as SeqgenTokenizer | undefined;
  const target = preprocessors.target as SeqgenTokenizer | undefined;
  if (!source || !target) {
    model.dispose();
    throw new InputError(
      `checkpoint ${path} has no ${source ? 'target' : 'source'} tokenizer: it cannot turn text into tokens and back`,
      path,
    );
  }
  const record = metadata as Partial<TranslatorMetadata>;
  return {
    model,
    source,
    target,
    metadata: {
      ...record,
      app: '@seqgen/app-translate',
      source: typeof record.source === 'string' ? record.source : 'en',
      target: typeof record.target === 'string' ? record.target : 'unknown',
      maxSourceTokens:
        typeof record.maxSourceTokens === 'number' && record.maxSourceTokens > 0
          ? record.maxSourceTokens
          : DEFAULT_MAX_SOURCE_TOKENS,
    },
    path: resolved,
  };
}

/** `--direction en-de` against the checkpoint's languages: a mismatch is a usage error (exit 2). */
export function checkDirection(translator: LoadedTranslator, direction: string | undefined): void {
  if (direction === undefined) return;
  const m = /^([A-Za-z_]{2,12})-([A-Za-z_]{2,12})$/.exec(direction);
  if (!m) throw new UsageError(`--direction must look like en-de, got "${direction}"`);
  const { source, target } = translator.metadata;
  if (m[1]?.toLowerCase() !== source.toLowerCase() || m[2]?.toLowerCase() !== target.toLowerCase()) {
    throw new UsageError(
      `checkpoint ${translator.path} translates ${source}→${target}, not ${m[1]}→${m[2]} (--direction ${direction})`,
    );
  }
}
