import { type ContextFormat, type Conversation, contextReplyPairs, formatContext } from '@seqgen/text';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';

/** How a model reads its context: the turns it sees, their format, and the token limits it trained with. */
export interface ContextSettings {
  /** Turns before the reply that form the context. */
  turns: number;
  format: ContextFormat;
  /** Context tokens kept (the most recent ones). */
  maxContextTokens: number;
  /** Replies longer than this many tokens are left out of training (and generation stops there). */
  maxReplyTokens: number;
}

/** A token-id example: the encoder reads `source`, the decoder learns `target`. */
export interface EncodedExample {
  source: number[];
  target: number[];
}

/** The last `max` ids: the turns nearest the reply matter most. */
export function keepRecent(ids: readonly number[], max: number): number[] {
  return ids.length > max ? ids.slice(ids.length - max) : [...ids];
}

/** Encodes the (context, reply) examples of conversations, leaving out replies over the limit. */
export function encodeExamples(
  conversations: readonly Conversation[],
  tokenizer: SeqgenTokenizer,
  settings: ContextSettings,
): { examples: EncodedExample[]; tooLong: number } {
  const examples: EncodedExample[] = [];
  let tooLong = 0;
  for (const pair of contextReplyPairs(conversations, { turns: settings.turns, format: settings.format })) {
    const target = tokenizer.encode(pair.reply);
    if (target.length === 0) continue;
    if (target.length > settings.maxReplyTokens) {
      tooLong++;
      continue;
    }
    examples.push({ source: keepRecent(tokenizer.encode(pair.context), settings.maxContextTokens), target });
  }
  return { examples, tooLong };
}

/** The chat history as the model's source text: the user is `A`, the bot `B`. */
export function historyContext(
  history: readonly { role: 'user' | 'bot'; text: string }[],
  settings: Pick<ContextSettings, 'turns' | 'format'>,
): string {
  return formatContext(
    history.map((h) => ({ speaker: h.role, text: h.text })),
    'bot',
    { turns: settings.turns, format: settings.format },
  );
}
