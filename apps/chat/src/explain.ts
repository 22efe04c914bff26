import { attentionSvg, UsageError, writeOutputFile } from '@seqgen/app-kit';
import { explorerHtml } from '@seqgen/interpret';
import { translateBatch } from '@seqgen/models';
import type { LoadedChatbot } from './checkpoint.js';
import { contextIds } from './reply.js';

/** What `explain` writes. */
export type ExplainReplyOptions = {
  /** The attention heat map (SVG), refused if it exists unless `force`. */
  out: string;
  /** Also @seqgen/interpret's self-contained explorer page with the attention matrix. */
  html?: string;
  force?: boolean;
};

/** The bot's greedy reply to one message and where each reply token looked in the context. */
export type ReplyExplanation = {
  reply: string;
  contextTokens: string[];
  replyTokens: string[];
  /** `[reply token][context token]` attention weights (rows sum to 1). */
  weights: number[][];
};

/**
 * `explain`: the bot replies to `message` (greedy, so the picture is
 * reproducible) and the decoder's attention over the context — which words
 * of the user's turn each reply token read — is drawn as an SVG heat map.
 */
export async function explainReply(
  bot: LoadedChatbot,
  message: string,
  options: ExplainReplyOptions,
): Promise<ReplyExplanation> {
  if (message.trim() === '') throw new UsageError('explain needs a non-empty message');
  if (bot.model.config.attention === 'none') {
    throw new UsageError('this checkpoint has no attention (trained with --attention none): nothing to draw');
  }
  const source = contextIds(bot, [{ role: 'user', text: message }]);
  const [result] = await translateBatch(bot.model, [source], {
    numBeams: 1,
    returnAttention: true,
    maxLength: bot.metadata.maxReplyTokens + 1,
  });
  const best = result?.sequences[0];
  if (!best) throw new Error('internal: no reply');
  const text = (ids: readonly number[]) => ids.map((id) => bot.tokenizer.decode([id]));
  const contextTokens = text(source);
  const weights = (best.attention ?? []).map((row) => Array.from(row, (w) => Math.round(w * 1e4) / 1e4));
  const replyTokens = [...text(best.tokens), '</s>'].slice(0, weights.length);
  const reply = bot.tokenizer
    .decode(best.tokens)
    .replace(/\uFFFD/g, '')
    .trim();
  const title = `${message} → ${reply}`;
  writeOutputFile(
    options.out,
    attentionSvg({ sourceTokens: contextTokens, targetTokens: replyTokens, weights, title }),
    {
      force: options.force,
    },
  );
  if (options.html) {
    const page = explorerHtml({
      title: `seqgen-chat explain: ${message}`,
      tokens: contextTokens,
      units: [],
      attention: [{ title, sourceTokens: contextTokens, targetTokens: replyTokens, weights: weights.flat() }],
    });
    writeOutputFile(options.html, page, { force: options.force });
  }
  return { reply, contextTokens, replyTokens, weights };
}
