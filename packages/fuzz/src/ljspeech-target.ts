import { parseLjspeechMetadata } from '@seqgen/audio';
import type { Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import { seedText } from './test-fixtures/seeds.js';
import { isTypedError } from './typed-error.js';

/**
 * `metadata.csv` files as LJSpeech-format corpora ship them: Moby-Dick
 * sentences under LJ-style ids (`LJ001-0001`), with both transcripts, with
 * only the raw one, with CRLF line ends and a blank line, and with the
 * characters a transcript may hold (quotes, digits, non-ASCII).
 */
export function ljspeechSeeds(): Seed[] {
  const sentences = seedText(4_000)
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/[\s|]+/g, ' ').trim())
    .filter((s) => s.length > 0);
  const id = (i: number) => `LJ001-${String(i + 1).padStart(4, '0')}`;
  const line = (i: number, fields: 2 | 3) => {
    const text = sentences[i % sentences.length] as string;
    return fields === 3 ? `${id(i)}|${text}|${text.toLowerCase()}` : `${id(i)}|${text}`;
  };
  const encode = (text: string) => new TextEncoder().encode(text);
  const lines = (count: number, fields: 2 | 3) => Array.from({ length: count }, (_, i) => line(i, fields));
  return [
    { name: 'metadata.csv: 12 clips, three fields', bytes: encode(`${lines(12, 3).join('\n')}\n`) },
    { name: 'metadata.csv: 8 clips, two fields', bytes: encode(`${lines(8, 2).join('\n')}\n`) },
    {
      name: 'metadata.csv: CRLF, a blank line, digits and non-ASCII',
      bytes: encode(
        `${[...lines(3, 3), '', 'LJ002-0001|In 1851, “Ωmega” cost $3.|In eighteen fifty-one.'].join('\r\n')}\r\n`,
      ),
    },
  ];
}

/** `parseLjspeechMetadata(<bytes>)` (@seqgen/audio): clips or an `AudioError`, never an untyped error. */
export const ljspeechMetadata: Target = {
  name: 'ljspeech-metadata',
  parser: 'parseLjspeechMetadata(<bytes>) (LJSpeech metadata.csv, @seqgen/audio)',
  seeds: async () => ljspeechSeeds(),
  async parse(input) {
    parseLjspeechMetadata(input, 'fuzz/metadata.csv');
  },
  isTypedError,
};
