import { decodeUtf8 } from '../decode-utf8.js';
import { type Conversation, collapseWhitespace, type DialogueTurn } from './conversation.js';

/** Options of {@link readEndlessSkyConversations}. */
export interface EndlessSkyReadOptions {
  /** Name used in conversation ids (the data file). Default `'<endless-sky>'`. */
  name?: string;
}

interface Line {
  indent: number;
  text: string;
  number: number;
}

const QUOTED = /^(?:`([^`]*)`|"([^"]*)")\s*$/;

/**
 * Reads the player choices of Endless Sky `conversation` blocks (the game's
 * indented data files): for every option of every `choice`, a conversation
 * `game` (the narration just before the choice) → `player` (the option) →
 * `game` (the narration the option leads to — its own, or the text after the
 * choice it falls through to — when it has one). All
 * options of one `conversation` block share its `group`, so a split keeps
 * them together. Ids are `name:<line of the option>`.
 */
export function readEndlessSkyConversations(
  input: string | Uint8Array,
  options: EndlessSkyReadOptions = {},
): Conversation[] {
  const name = options.name ?? '<endless-sky>';
  const lines: Line[] = [];
  for (const [index, raw] of decodeUtf8(input, name).split('\n').entries()) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const indent = /^\t*/.exec(raw)?.[0].length ?? 0;
    lines.push({ indent, text: raw.trim(), number: index + 1 });
  }
  const conversations: Conversation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i] as Line;
    if (!/^conversation\b/.test(head.text)) continue;
    let end = i + 1;
    while (end < lines.length && (lines[end] as Line).indent > head.indent) end++;
    const group = `${name}:${head.number}`;
    let narration: string | undefined;
    for (let j = i + 1; j < end; j++) {
      const line = lines[j] as Line;
      const said = quoted(line.text);
      if (line.text === 'choice') {
        for (let k = j + 1; k < end && (lines[k] as Line).indent > line.indent; k++) {
          const option = lines[k] as Line;
          const optionText = option.indent === line.indent + 1 ? quoted(option.text) : undefined;
          if (optionText === undefined) continue;
          const turns: DialogueTurn[] = [];
          if (narration) turns.push({ speaker: 'game', text: narration });
          turns.push({ speaker: 'player', text: optionText });
          const reply = replyTo(lines, k, j, end);
          if (reply) turns.push({ speaker: 'game', text: reply });
          if (turns.length >= 2) conversations.push({ id: `${name}:${option.number}`, group, turns });
        }
      } else if (said !== undefined && (j === i + 1 || (lines[j - 1] as Line).text !== 'choice')) {
        narration = said;
      }
    }
    i = end - 1;
  }
  return conversations;
}

/**
 * The narration an option leads to: its first child line when quoted; when it
 * has no children the story falls through to the first line after the choice.
 */
function replyTo(lines: readonly Line[], option: number, choice: number, end: number): string | undefined {
  const optionLine = lines[option] as Line;
  const next = lines[option + 1];
  if (next && next.indent > optionLine.indent) return quoted(next.text);
  const choiceIndent = (lines[choice] as Line).indent;
  let after = choice + 1;
  while (after < end && (lines[after] as Line).indent > choiceIndent) after++;
  const fallThrough = lines[after];
  return after < end && fallThrough && fallThrough.indent === choiceIndent ? quoted(fallThrough.text) : undefined;
}

function quoted(text: string): string | undefined {
  const m = QUOTED.exec(text);
  if (!m) return undefined;
  const said = collapseWhitespace(m[1] ?? m[2] ?? '');
  return said === '' ? undefined : said;
}
