import { ConfigError } from '@seqgen/base';
import type { Conversation, DialogueTurn } from './conversation.js';

/** How the context turns are written into the one source string the encoder reads. */
export type ContextFormat = 'speaker-markers' | 'plain';

/** Options of {@link contextReplyPairs} and {@link formatContext}. */
export interface ContextOptions {
  /** How many turns before the reply form its context (≥ 1). */
  turns: number;
  /**
   * `'speaker-markers'` (default): each turn starts with `A:` when someone
   * other than the replier said it and `B:` when the replier did — relative
   * roles, so a model trained on many named speakers chats with a user
   * (`A`) as itself (`B`). `'plain'`: the turns alone, one per line.
   */
  format?: ContextFormat;
}

/** One training or evaluation example: the context text and the reply that followed it. */
export interface ContextReplyPair {
  /** The formatted context (the encoder's input). */
  context: string;
  /** The reply's text (the decoder's target). */
  reply: string;
  /** The conversation it came from. */
  conversation: string;
}

/** Marker of a context turn by someone other than the replier. */
export const OTHER_SPEAKER_MARKER = 'A:';
/** Marker of a context turn by the replier itself. */
export const SELF_SPEAKER_MARKER = 'B:';

/**
 * Writes context turns as one string: the last `turns` of them, one per line,
 * marked relative to `replier` (see {@link ContextOptions.format}).
 */
export function formatContext(context: readonly DialogueTurn[], replier: string, options: ContextOptions): string {
  const turns = checkTurns(options.turns);
  const format = options.format ?? 'speaker-markers';
  if (format !== 'speaker-markers' && format !== 'plain') {
    throw new ConfigError('format', `must be 'speaker-markers' or 'plain', got ${String(format)}`);
  }
  return context
    .slice(-turns)
    .map((t) =>
      format === 'plain' ? t.text : `${t.speaker === replier ? SELF_SPEAKER_MARKER : OTHER_SPEAKER_MARKER} ${t.text}`,
    )
    .join('\n');
}

/**
 * Every (context, reply) example of the conversations: each turn after the
 * first is a reply to the `turns` turns before it. Narration
 * (`speaker === 'narrator'`) is context but never a reply.
 */
export function contextReplyPairs(conversations: readonly Conversation[], options: ContextOptions): ContextReplyPair[] {
  checkTurns(options.turns);
  const pairs: ContextReplyPair[] = [];
  for (const conversation of conversations) {
    const { turns } = conversation;
    for (let i = 1; i < turns.length; i++) {
      const reply = turns[i] as DialogueTurn;
      if (reply.speaker === 'narrator') continue;
      pairs.push({
        context: formatContext(turns.slice(0, i), reply.speaker, options),
        reply: reply.text,
        conversation: conversation.id,
      });
    }
  }
  return pairs;
}

function checkTurns(turns: number): number {
  if (!Number.isInteger(turns) || turns < 1) throw new ConfigError('turns', `must be an integer ≥ 1, got ${turns}`);
  return turns;
}
