/** One message of a chat request. */
export interface ChatMessage {
  /** Who speaks. */
  role: 'system' | 'user' | 'assistant';
  /** What they say (text parts of a request are joined). */
  content: string;
}

/** A chat turned into a prompt: what a chat template ({@link formatChatPrompt}, `ServedModel.chatPrompt`) returns. */
export type ChatPrompt = {
  /** The prompt text the model continues, ending where the assistant's reply begins. */
  prompt: string;
  /**
   * Stop strings added to the request's own: generation ends where the model starts one (e.g. the user's next turn,
   * `\nUser:`), and it is left out of the reply.
   */
  stop: string[];
};

const SPEAKER: Record<ChatMessage['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

/**
 * The chat template for a plain language model, which knows nothing of
 * roles: one line per message, `Role: content`, then `Assistant:` for the
 * model to continue, e.g.
 *
 * ```text
 * System: Be brief.
 * User: Who is Ishmael?
 * Assistant:
 * ```
 *
 * Generation stops (without it in the reply) where the model starts the
 * user's next turn, `\nUser:`.
 */
export function formatChatPrompt(messages: readonly ChatMessage[]): ChatPrompt {
  const lines = messages.map((m) => `${SPEAKER[m.role]}: ${m.content}\n`).join('');
  return { prompt: `${lines}Assistant:`, stop: ['\nUser:'] };
}
