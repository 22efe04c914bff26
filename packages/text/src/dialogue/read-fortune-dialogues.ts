import { decodeUtf8 } from '../decode-utf8.js';
import { type Conversation, collapseWhitespace, type DialogueTurn } from './conversation.js';

/** Options of {@link readFortuneDialogues}. */
export interface FortuneReadOptions {
  /** Name used in conversation ids (the fortune file). Default `'<fortunes>'`. */
  name?: string;
}

const IRC_LINE = /^<[@+%]?([^\s<>]{1,32})>\s?(.*)$/;
const IRC_ACTION = /^\*\s+([^\s*]{1,32})\s+(.+)$/;
const SPEAKER_LINE = /^([A-Z][A-Za-z0-9.'-]*(?: [A-Z][A-Za-z0-9.'-]*){0,2}):\s+(\S.*)$/;
const ATTRIBUTION = /^\s*(--|—)/;

/**
 * Reads the exchanges in a fortune file (records separated by `%` lines):
 * IRC logs (`<nick> text`, `* nick acts`) and play-style `Speaker: text`
 * records. A record is a conversation when every line starts a turn or
 * continues the previous one (indented), ignoring a trailing `-- attribution`,
 * and at least two people speak; other records (jokes, quotes) are skipped.
 * `id` is `name:<record number>`.
 */
export function readFortuneDialogues(input: string | Uint8Array, options: FortuneReadOptions = {}): Conversation[] {
  const name = options.name ?? '<fortunes>';
  const text = decodeUtf8(input, name);
  const conversations: Conversation[] = [];
  const records = text.split(/^%[ \t]*$/m);
  for (const [index, record] of records.entries()) {
    const turns = recordTurns(record);
    if (turns && new Set(turns.map((t) => t.speaker)).size >= 2) {
      conversations.push({ id: `${name}:${index + 1}`, turns });
    }
  }
  return conversations;
}

function recordTurns(record: string): DialogueTurn[] | undefined {
  const lines = record.split('\n').filter((l) => l.trim() !== '');
  while (lines.length > 0 && ATTRIBUTION.test(lines[lines.length - 1] as string)) lines.pop();
  if (lines.length < 2) return undefined;
  const irc = IRC_LINE.test(lines[0] as string) || IRC_ACTION.test(lines[0] as string);
  const turns: DialogueTurn[] = [];
  for (const line of lines) {
    const start = irc ? (IRC_LINE.exec(line) ?? IRC_ACTION.exec(line)) : SPEAKER_LINE.exec(line);
    if (start) {
      const [, speaker = '', said = ''] = start;
      const action = irc && !line.startsWith('<');
      turns.push({ speaker, text: action ? `* ${speaker} ${said}` : said });
    } else if (/^\s/.test(line) && turns.length > 0) {
      const last = turns[turns.length - 1] as DialogueTurn;
      last.text = `${last.text} ${line}`;
    } else return undefined;
  }
  for (const turn of turns) turn.text = collapseWhitespace(turn.text);
  return turns.filter((t) => t.text !== '');
}
