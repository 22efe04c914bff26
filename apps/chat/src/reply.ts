import { disposeCondition } from '@seqgen/models';
import { type GenerationConfig, generateBatch, stream } from '@seqgen/samplers';
import type { LoadedChatbot } from './checkpoint.js';
import { historyContext, keepRecent } from './examples.js';

/** One turn of the chat history. */
export interface HistoryTurn {
  role: 'user' | 'bot';
  text: string;
}

/** The decoding settings a user can change (`/temperature`, `/top-p`, flags). */
export interface ReplySettings {
  temperature: number;
  topP: number;
  repetitionPenalty: number;
  noRepeatNgramSize: number;
  /** Seed of the sampler; undefined draws a fresh one per reply. */
  seed?: number;
}

/**
 * Defaults that keep replies from going dull and repetitive: nucleus sampling
 * (top-p 0.9) at temperature 0.8 rather than greedy decoding (which says the
 * commonest reply to everything), a CTRL repetition penalty of 1.2 and no
 * repeated 3-gram within a reply.
 */
export const DEFAULT_REPLY_SETTINGS: ReplySettings = {
  temperature: 0.8,
  topP: 0.9,
  repetitionPenalty: 1.2,
  noRepeatNgramSize: 3,
};

function generationConfig(bot: LoadedChatbot, settings: ReplySettings): Partial<GenerationConfig> {
  return {
    maxNewTokens: bot.metadata.maxReplyTokens + 1,
    temperature: settings.temperature,
    topP: settings.topP,
    repetitionPenalty: settings.repetitionPenalty,
    noRepeatNgramSize: settings.noRepeatNgramSize,
    stopTokens: [bot.model.config.eosId],
    seed: settings.seed ?? null,
  };
}

/** The special tokens that never reach the text. */
function controlIds(bot: LoadedChatbot): Set<number> {
  const { padId, bosId, eosId } = bot.model.config;
  return new Set([padId, bosId, eosId, bot.tokenizer.tokenToId('<unk>') ?? -1]);
}

/** The context ids the encoder reads for a history that ends with the user's turn. */
export function contextIds(bot: LoadedChatbot, history: readonly HistoryTurn[]): number[] {
  const ids = bot.tokenizer.encode(historyContext(history, bot.metadata));
  return keepRecent(ids, bot.metadata.maxContextTokens);
}

/**
 * Streams the bot's reply to `history` (which ends with the user's turn) as
 * text deltas: samplers' `stream` holds back bytes of a character split across
 * byte-level BPE tokens, and bytes that never form a character are dropped,
 * so no delta shows U+FFFD. Aborting `signal` stops
 * before the next token (the promise then rejects with the signal's reason).
 * Returns the whole reply.
 */
export async function streamReply(
  bot: LoadedChatbot,
  history: readonly HistoryTurn[],
  settings: ReplySettings,
  options: { signal?: AbortSignal; onText?: (delta: string) => void } = {},
): Promise<string> {
  const control = controlIds(bot);
  const decode = (ids: readonly number[]) => bot.tokenizer.decode(ids.filter((id) => !control.has(id)));
  const condition = bot.model.encode([contextIds(bot, history)]);
  let text = '';
  try {
    for await (const token of stream(bot.model, [bot.model.config.bosId], generationConfig(bot, settings), {
      condition,
      decode,
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      // `stream` holds back a character split across tokens; bytes that never form one (an undertrained
      // model can emit them) are dropped rather than shown as U+FFFD.
      const delta = token.text?.replace(/\uFFFD/g, '');
      if (delta) {
        text += delta;
        options.onText?.(delta);
      }
    }
  } finally {
    disposeCondition(condition);
  }
  return text.trim();
}

/** Replies to many contexts at once (evaluation): one sampled reply per context, seeded. */
export async function replyBatch(
  bot: LoadedChatbot,
  contexts: readonly number[][],
  settings: ReplySettings,
  chunk = 32,
): Promise<string[]> {
  const control = controlIds(bot);
  const out: string[] = [];
  for (let i = 0; i < contexts.length; i += chunk) {
    const part = contexts.slice(i, i + chunk).map((ids) => (ids.length > 0 ? ids : [bot.model.config.eosId]));
    const condition = bot.model.encode(part);
    try {
      const results = await generateBatch(
        bot.model,
        part.map(() => [bot.model.config.bosId]),
        { ...generationConfig(bot, settings), seed: (settings.seed ?? 0) + i },
        { condition },
      );
      for (const r of results) {
        const tokens = r.sequences[0]?.tokens ?? [];
        out.push(
          bot.tokenizer
            .decode(tokens.filter((id) => !control.has(id)))
            .replace(/\uFFFD/g, '')
            .trim(),
        );
      }
    } finally {
      disposeCondition(condition);
    }
  }
  return out;
}
