import { DataError } from '../data-error.js';
import { decodeUtf8 } from '../decode-utf8.js';
import { type Conversation, collapseWhitespace, type DialogueTurn } from './conversation.js';

/** Options of {@link readChatJsonl}. */
export interface ChatJsonlOptions {
  /** Name used in conversation ids and error messages. Default `'<jsonl>'`. */
  name?: string;
  /** Keep `system` messages as turns (default `false`: they instruct a model, nobody said them). */
  keepSystem?: boolean;
}

/**
 * Reads the chat-dataset format: one JSON object per line,
 * `{"messages":[{"role":"user","content":"…"},{"role":"assistant","content":"…"}]}`.
 * Each line is one conversation (`id` = `name:line`); blank lines are skipped;
 * other keys are ignored. A line that is not JSON, has no `messages` array,
 * or has a message without string `role` / `content` is a `DataError`
 * `'bad-line'` with its 1-based line number. `content` arrays of
 * `{type:"text", text}` parts (the multimodal form) are joined.
 */
export function readChatJsonl(input: string | Uint8Array, options: ChatJsonlOptions = {}): Conversation[] {
  const name = options.name ?? '<jsonl>';
  const text = decodeUtf8(input, name);
  const conversations: Conversation[] = [];
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line === '') continue;
    const lineNo = index + 1;
    const fail = (message: string, cause?: unknown): never => {
      throw new DataError('bad-line', name, message, { line: lineNo, cause });
    };
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (cause) {
      fail(`not valid JSON (${(cause as Error).message})`, cause);
    }
    const messages = (record as { messages?: unknown } | null)?.messages;
    if (typeof record !== 'object' || record === null || !Array.isArray(messages)) {
      fail('expected an object with a "messages" array');
    }
    const turns: DialogueTurn[] = [];
    for (const [m, message] of (messages as unknown[]).entries()) {
      const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
      if (typeof role !== 'string' || role === '') fail(`messages[${m}] has no string "role"`);
      const said = contentText(content);
      if (said === undefined) fail(`messages[${m}] has no string "content"`);
      if (role === 'system' && !options.keepSystem) continue;
      const clean = collapseWhitespace(said as string);
      if (clean !== '') turns.push({ speaker: role as string, text: clean });
    }
    if (turns.length > 0) conversations.push({ id: `${name}:${lineNo}`, turns });
  }
  return conversations;
}

function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  for (const part of content) {
    const text = (part as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') return undefined;
    parts.push(text);
  }
  return parts.join(' ');
}
