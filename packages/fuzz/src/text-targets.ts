import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readChatJsonl, readMoCatalog } from '@seqgen/text';
import type { JsonSlot, Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import { seedText } from './test-fixtures/seeds.js';
import { isTypedError } from './typed-error.js';

/** Where Debian installs compiled gettext catalogs (DATA.md: the translation app's real data). */
export const LOCALE_ROOT = '/usr/share/locale';

/**
 * Catalogs of three shapes: a tiny one (a handful of messages), one with a few dozen, and sed's (hundreds of
 * messages, plural forms, printf placeholders). Any other catalogs stand in where these are not installed.
 */
const PREFERRED_CATALOGS = ['de/LC_MESSAGES/xdg-user-dirs.mo', 'de/LC_MESSAGES/libsecret.mo', 'de/LC_MESSAGES/sed.mo'];

/** Real `.mo` files written by `msgfmt` (at most 64 KiB each, so that mutated copies stay quick to move). */
export function moSeeds(root = LOCALE_ROOT): Seed[] {
  let paths = PREFERRED_CATALOGS.map((p) => join(root, p)).filter((p) => existsSync(p));
  if (paths.length === 0 && existsSync(root)) {
    paths = readdirSync(root)
      .sort()
      .map((lang) => join(root, lang, 'LC_MESSAGES'))
      .filter((dir) => existsSync(dir))
      .flatMap((dir) =>
        readdirSync(dir)
          .sort()
          .filter((f) => f.endsWith('.mo'))
          .map((f) => join(dir, f)),
      )
      .slice(0, 3);
  }
  return paths
    .map((path) => ({ name: path, bytes: new Uint8Array(readFileSync(path)) }))
    .filter((seed) => seed.bytes.length <= 64 * 1024);
}

/**
 * Chat JSONL as `JSON.stringify` writes it: conversations of Moby-Dick sentences, with the forms the reader
 * accepts (an `id`, a `system` message, `content` as an array of text parts, non-ASCII text, CRLF line ends).
 */
export function chatJsonlSeeds(): Seed[] {
  const sentences = seedText(6_000)
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
  const say = (i: number) => sentences[i % sentences.length] as string;
  const conversation = (n: number, turns: number) => ({
    id: `moby-${n}`,
    messages: Array.from({ length: turns }, (_, t) => ({
      role: t % 2 === 0 ? 'user' : 'assistant',
      content: say(n * 7 + t),
    })),
  });
  const lines = (count: number, turns: number) =>
    Array.from({ length: count }, (_, n) => JSON.stringify(conversation(n, turns)));
  const encode = (text: string) => new TextEncoder().encode(text);
  const rich = [
    JSON.stringify({
      messages: [
        { role: 'system', content: 'You are Ishmael.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: say(3) },
            { type: 'text', text: 'Ωmega 😀' },
          ],
        },
        { role: 'assistant', content: say(4) },
      ],
    }),
    '',
    ...lines(3, 4),
  ];
  return [
    { name: 'chat JSONL: 12 conversations of 2 turns', bytes: encode(`${lines(12, 2).join('\n')}\n`) },
    { name: 'chat JSONL: system, content parts, blank line', bytes: encode(`${rich.join('\n')}\n`) },
    { name: 'chat JSONL: CRLF line ends', bytes: encode(`${lines(4, 3).join('\r\n')}\r\n`) },
  ];
}

/** The first line of a JSONL input: JSON-aware mutators edit one conversation, the other lines stay as they were. */
function firstLine(input: Uint8Array): JsonSlot | undefined {
  const text = new TextDecoder('utf-8').decode(input);
  const end = text.indexOf('\n');
  if (end <= 0) return undefined;
  return {
    text: text.slice(0, end).replace(/\r$/, ''),
    rebuild: (line) => new TextEncoder().encode(`${line}${text.slice(end)}`),
  };
}

export const moCatalog: Target = {
  name: 'mo-catalog',
  parser: 'readMoCatalog(<bytes>) (gettext .mo, @seqgen/text)',
  seeds: async () => moSeeds(),
  async parse(input) {
    readMoCatalog(input, { name: 'fuzz.mo' });
  },
  isTypedError,
};

export const chatJsonl: Target = {
  name: 'chat-jsonl',
  parser: 'readChatJsonl(<bytes>) (chat JSONL, @seqgen/text)',
  seeds: async () => chatJsonlSeeds(),
  async parse(input) {
    readChatJsonl(input, { name: 'fuzz.jsonl' });
  },
  isTypedError,
  json: firstLine,
};
