import { InputError, loadSeq2SeqCheckpoint } from '@seqgen/app-kit';
import type { Seq2Seq } from '@seqgen/models';
import type { ContextFormat } from '@seqgen/text';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import type { ContextSettings } from './examples.js';

/** What `train` records in a chat checkpoint's metadata. */
export interface ChatbotMetadata extends ContextSettings {
  app: '@seqgen/app-chat';
  [key: string]: unknown;
}

export interface LoadedChatbot {
  model: Seq2Seq;
  tokenizer: SeqgenTokenizer;
  metadata: ChatbotMetadata;
  path: string;
}

/** Context settings of a checkpoint without the record. */
export const DEFAULT_CONTEXT: ContextSettings = {
  turns: 3,
  format: 'speaker-markers',
  maxContextTokens: 96,
  maxReplyTokens: 48,
};

const positive = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;

/**
 * Loads a chat checkpoint and its tokenizer. A checkpoint of another kind (a
 * text language model, say) or one without its tokenizer is an
 * {@link InputError} (exit 3) that says what it holds instead.
 */
export async function loadChatbot(path: string, flag = '--checkpoint'): Promise<LoadedChatbot> {
  const {
    model,
    preprocessors,
    metadata,
    path: resolved,
  } = await loadSeq2SeqCheckpoint(path, {
    cli: 'seqgen-chat',
    flag,
  });
  const tokenizer = (preprocessors.target ?? preprocessors.source) as SeqgenTokenizer | undefined;
  if (!tokenizer) {
    model.dispose();
    throw new InputError(`checkpoint ${path} has no tokenizer: it cannot turn text into tokens and back`, path);
  }
  const record = metadata as Partial<ChatbotMetadata>;
  const format: ContextFormat = record.format === 'plain' ? 'plain' : 'speaker-markers';
  return {
    model,
    tokenizer,
    metadata: {
      ...record,
      app: '@seqgen/app-chat',
      turns: positive(record.turns, DEFAULT_CONTEXT.turns),
      format,
      maxContextTokens: positive(record.maxContextTokens, DEFAULT_CONTEXT.maxContextTokens),
      maxReplyTokens: positive(record.maxReplyTokens, DEFAULT_CONTEXT.maxReplyTokens),
    },
    path: resolved,
  };
}
