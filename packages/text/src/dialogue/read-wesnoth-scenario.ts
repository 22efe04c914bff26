import { DataError } from '../data-error.js';
import { decodeUtf8 } from '../decode-utf8.js';
import { type Conversation, collapseWhitespace, type DialogueTurn } from './conversation.js';

/** Options of {@link readWesnothScenario}. */
export interface WesnothReadOptions {
  /** Name used in conversation ids and error messages (the `.cfg` path). Default `'<cfg>'`. */
  name?: string;
}

const TAG = /^\[(\/?)\+?([A-Za-z_][A-Za-z0-9_]*)\]/;
const ATTRIBUTE = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const MARKUP = /<\/?[A-Za-z][^<>]*>/g;

/**
 * Reads the dialogue of one Wesnoth scenario (`.cfg`, WML): every
 * `[message] speaker=… message=_"…" [/message]` (or `id=` for the speaker) in file order, one
 * conversation per top-level `[event]` (a scene; `group` is the file, so a
 * split keeps a scenario's scenes together). Multi-line strings, `""` escapes
 * and `+`-joined strings are read; `[option]` texts inside a message, macro
 * bodies (`#define`…`#enddef`) and the `#else` branches of difficulty
 * switches are left out, and Pango markup is stripped. A string left open at
 * the end of the file is a `DataError` `'truncated'`; an unbalanced closing
 * tag is `'bad-line'`, both with the line number.
 */
export function readWesnothScenario(input: string | Uint8Array, options: WesnothReadOptions = {}): Conversation[] {
  const name = options.name ?? '<cfg>';
  const lines = decodeUtf8(input, name).split('\n');
  const tags: string[] = [];
  const skipping: boolean[] = [];
  let inMacro = false;
  let scene = -1;
  let message: { speaker?: string | undefined; text?: string } | undefined;
  const scenes = new Map<number, DialogueTurn[]>();

  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line.startsWith('#')) {
      const directive = /^#(\w+)/.exec(line)?.[1];
      if (directive === 'define') inMacro = true;
      else if (directive === 'enddef') inMacro = false;
      else if (directive === 'ifdef' || directive === 'ifndef' || directive === 'ifver' || directive === 'ifhave')
        skipping.push(false);
      else if (directive === 'else' && skipping.length > 0) skipping[skipping.length - 1] = true;
      else if (directive === 'endif') skipping.pop();
      continue;
    }
    if (inMacro || skipping.includes(true) || line === '') continue;
    // Tags may share a line (`[redraw][/redraw]`): take them one by one.
    let rest = line;
    let tag = TAG.exec(rest);
    if (tag) {
      for (; tag; rest = rest.slice(tag[0].length).trim(), tag = TAG.exec(rest)) {
        const [, closing, tagName = ''] = tag;
        if (closing) {
          if (tags[tags.length - 1] !== tagName) {
            throw new DataError(
              'bad-line',
              name,
              `[/${tagName}] closes ${tags.length ? `[${tags.at(-1)}]` : 'nothing'}`,
              {
                line: i + 1,
              },
            );
          }
          tags.pop();
          if (tagName === 'message' && message) {
            const text = message.text === undefined ? '' : collapseWhitespace(message.text.replace(MARKUP, ''));
            if (text !== '' && message.speaker) {
              const turns = scenes.get(scene) ?? [];
              turns.push({ speaker: message.speaker, text });
              scenes.set(scene, turns);
            }
            message = undefined;
          }
        } else {
          if (tagName === 'event' && !tags.includes('event')) scene++;
          tags.push(tagName);
          if (tagName === 'message') message = {};
        }
      }
      continue;
    }
    if (!message || tags[tags.length - 1] !== 'message') continue;
    const attribute = ATTRIBUTE.exec(line);
    if (!attribute) continue;
    const [, key, value = ''] = attribute;
    // `speaker=` names who talks; a message may instead filter its unit by `id=`.
    if (key === 'speaker' || (key === 'id' && message.speaker === undefined)) message.speaker = unquote(value);
    else if (key === 'message') {
      const read = readStrings(lines, i, value, name);
      i = read.lastLine;
      if (read.text !== undefined) message.text = read.text;
    }
  }
  return [...scenes.entries()].map(([index, turns]) => ({ id: `${name}#${index + 1}`, group: name, turns }));
}

function unquote(value: string): string {
  return value
    .replace(/#.*$/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1');
}

/**
 * Reads `_ "a" + "b"` starting at `value` (the rest of line `first`), going on
 * to the next lines while a string is open or a `+` asks for more. Returns the
 * joined text (undefined when the value holds no string, e.g. a macro) and the
 * last line consumed.
 */
function readStrings(
  lines: readonly string[],
  first: number,
  value: string,
  name: string,
): { text: string | undefined; lastLine: number } {
  let text: string | undefined;
  let lineIndex = first;
  let rest = value;
  for (;;) {
    let pos = 0;
    let wantMore = false;
    while (pos < rest.length) {
      const ch = rest[pos] as string;
      if (ch === '"') {
        // A string literal: runs to the next lone quote, across lines; `""` is a quote.
        let piece = '';
        pos++;
        for (;;) {
          if (pos >= rest.length) {
            lineIndex++;
            if (lineIndex >= lines.length) {
              throw new DataError('truncated', name, 'a string is still open at the end of the file', {
                line: first + 1,
              });
            }
            piece += '\n';
            rest = lines[lineIndex] as string;
            pos = 0;
            continue;
          }
          const c = rest[pos] as string;
          if (c === '"') {
            if (rest[pos + 1] === '"') {
              piece += '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          piece += c;
          pos++;
        }
        text = (text ?? '') + piece;
        wantMore = false;
      } else if (ch === '+') {
        wantMore = true;
        pos++;
      } else if (ch === '#') break;
      else pos++;
    }
    if (!wantMore || lineIndex + 1 >= lines.length) return { text, lastLine: lineIndex };
    lineIndex++;
    rest = lines[lineIndex] as string;
  }
}
