import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, resolveCheckpoint, UsageError } from '@seqgen/app-kit';
import { seq2seqBatches } from '@seqgen/models';
import { Bm25Retriever, type ContextReplyPair, contextReplyPairs, corpusBleu, distinctN } from '@seqgen/text';
import { loadChatbot } from './checkpoint.js';
import { encodeExamples, keepRecent } from './examples.js';
import { readSplit } from './prepared-data.js';
import { DEFAULT_REPLY_SETTINGS, type ReplySettings, replyBatch } from './reply.js';

/** The app's root folder (this file runs from src/ under tsx and from dist/ when built). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shipped pretrained checkpoint: what `chat`, `ask` and `eval` use without `--checkpoint`. */
export const PRETRAINED_CHECKPOINT = join(APP_ROOT, 'pretrained', 'dialogue-gru-attention');

export interface EvalOptions {
  checkpoint?: string;
  /** Held-out conversations, chat JSONL (default: the checkpoint's own `test.jsonl`). */
  test?: string;
  /** Training conversations the retrieval baseline answers from (default: the checkpoint's `train.jsonl`). */
  train?: string;
  /** Contexts replied to for distinct-n / BLEU (N evenly spaced test examples); perplexity uses all. */
  limit: number;
  /** Sampling settings of the generated replies (seeded: the figures reproduce). */
  settings?: ReplySettings;
  /** Sample conversations to return. */
  samples?: number;
}

/** Figures of one system's replies (the model's, the baseline's, the references themselves). */
export interface ReplyFigures {
  distinct_1: number;
  distinct_2: number;
  bleu?: number;
  mean_reply_words: number;
}

export interface EvalSample {
  context: string;
  reference: string;
  model: string;
  retrieval: string;
}

export interface EvalReport {
  checkpoint: string;
  split: 'test';
  test: string;
  examples: number;
  replied: number;
  decoding: string;
  metrics: ReplyFigures & { nats_per_token: number; perplexity: number };
  baselines: Record<string, ReplyFigures>;
  samples: EvalSample[];
  seconds: number;
}

/** A file beside the checkpoint (in its folder or the run folder above `best/`/`last/`). */
function besideCheckpoint(checkpoint: string, file: string, flag: string): string {
  const resolved = resolveCheckpoint(checkpoint);
  for (const dir of [checkpoint, resolved, dirname(resolved)]) {
    const path = join(dir, file);
    if (existsSync(path)) return path;
  }
  throw new UsageError(`${flag} is required: checkpoint ${checkpoint} carries no ${file}`);
}

function figures(replies: readonly string[], references?: readonly string[]): ReplyFigures {
  const words = replies.reduce((n, r) => n + r.split(/\s+/).filter((w) => w !== '').length, 0);
  return {
    distinct_1: distinctN(replies, 1).ratio,
    distinct_2: distinctN(replies, 2).ratio,
    ...(references ? { bleu: corpusBleu([...replies], [...references]).score } : {}),
    mean_reply_words: replies.length === 0 ? 0 : words / replies.length,
  };
}

/**
 * Held-out evaluation by conversation: teacher-forced perplexity of the
 * references, then the model's sampled replies to the first `limit` test
 * contexts, scored with distinct-1/-2 (and BLEU, a weak signal for dialogue)
 * beside the retrieval baseline (the training reply whose context is nearest
 * under BM25) and the references' own distinct-n.
 */
export async function evaluate(options: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const checkpoint = options.checkpoint ?? PRETRAINED_CHECKPOINT;
  const testPath = options.test ?? besideCheckpoint(checkpoint, 'test.jsonl', '--test');
  const trainPath = options.train ?? besideCheckpoint(checkpoint, 'train.jsonl', '--train');
  const settings = options.settings ?? { ...DEFAULT_REPLY_SETTINGS, seed: 1 };
  const bot = await loadChatbot(checkpoint);
  try {
    const context = { turns: bot.metadata.turns, format: bot.metadata.format };
    const testConversations = readSplit(testPath);
    const pairs = contextReplyPairs(testConversations, context).filter((p) => p.reply.trim() !== '');
    if (pairs.length === 0) throw new InputError(`${testPath}: no test replies`, testPath);
    const encoded = encodeExamples(testConversations, bot.tokenizer, bot.metadata).examples;
    if (encoded.length === 0) throw new InputError(`${testPath}: no test reply fits the model's length`, testPath);
    const { padId, bosId, eosId } = bot.model.config;
    const batches = seq2seqBatches(encoded, { batchSize: 64, padId, bosId, eosId });
    const { loss, perplexity } = bot.model.evaluate(batches);

    // Evenly spaced over the split, not its first conversations: one long scene would dominate otherwise.
    const stride = Math.max(1, pairs.length / options.limit);
    const shown: ContextReplyPair[] = [];
    for (let i = 0; shown.length < options.limit && Math.floor(i) < pairs.length; i += stride) {
      shown.push(pairs[Math.floor(i)] as ContextReplyPair);
    }
    const contexts = shown.map((p) => keepRecent(bot.tokenizer.encode(p.context), bot.metadata.maxContextTokens));
    const replies = await replyBatch(bot, contexts, settings);
    const references = shown.map((p) => p.reply);

    const trainPairs = contextReplyPairs(readSplit(trainPath), context);
    if (trainPairs.length === 0) throw new InputError(`${trainPath}: no training replies to retrieve`, trainPath);
    const retriever = new Bm25Retriever(trainPairs);
    const retrieved = shown.map((p) => retriever.nearest(p.context).reply);

    const samples = shown.slice(0, options.samples ?? 5).map((p, i) => ({
      context: p.context,
      reference: p.reply,
      model: replies[i] ?? '',
      retrieval: retrieved[i] ?? '',
    }));
    return {
      checkpoint: resolve(checkpoint),
      split: 'test',
      test: testPath,
      examples: encoded.length,
      replied: shown.length,
      decoding: `top-p ${settings.topP}, temperature ${settings.temperature}, repetition penalty ${settings.repetitionPenalty}, no-repeat ${settings.noRepeatNgramSize}-gram, seed ${settings.seed ?? 'random'}`,
      metrics: { nats_per_token: loss, perplexity, ...figures(replies, references) },
      baselines: { retrieval_bm25: figures(retrieved, references), references: figures(references) },
      samples,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    bot.model.dispose();
  }
}
