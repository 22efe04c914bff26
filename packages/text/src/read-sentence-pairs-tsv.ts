import { readFileSync } from 'node:fs';
import { assertOneOf } from '@seqgen/base';
import { DataError } from './data-error.js';
import { decodeUtf8 } from './decode-utf8.js';
import type { SentencePair } from './sentence-pair.js';

/** Options of {@link readSentencePairsTsv}. */
export interface TsvReadOptions {
  /** Name used in error messages (the file path for {@link readSentencePairsTsvFile}). Default `'<tsv>'`. */
  name?: string;
  /** `'throw'` (default): a malformed line raises `DataError` `'bad-line'`; `'skip'`: it is counted in `skipped`. */
  onBadLine?: 'throw' | 'skip';
}

/** What {@link readSentencePairsTsv} read. */
export interface TsvReadResult {
  /** The pairs, in file order. */
  pairs: SentencePair[];
  /** Malformed lines skipped (only with `onBadLine: 'skip'`). */
  skipped: number;
  /** The 1-based numbers of the skipped lines. */
  skippedLines: number[];
}

/**
 * Reads tab-separated sentence pairs, the Tatoeba / ManyThings Anki format:
 * `source<TAB>target[<TAB>attribution…]`. Columns after the second are
 * ignored; blank lines and lines starting with `#` are skipped; CRLF line ends
 * and a leading byte-order mark are accepted. A line with fewer than two
 * columns or an empty side is malformed. `input` is text, or UTF-8 bytes.
 */
export function readSentencePairsTsv(input: string | Uint8Array, options: TsvReadOptions = {}): TsvReadResult {
  const name = options.name ?? '<tsv>';
  const onBadLine = options.onBadLine ?? 'throw';
  assertOneOf('onBadLine', onBadLine, ['throw', 'skip']);
  const text = decodeUtf8(input, name);

  const pairs: SentencePair[] = [];
  const skippedLines: number[] = [];
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine; // a CR that ends the text (CRLF is gone already)
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [source = '', target] = line.split('\t');
    const problem =
      target === undefined
        ? 'expected at least 2 tab-separated columns (source, target), found 1'
        : source.trim() === ''
          ? 'empty source column'
          : target.trim() === ''
            ? 'empty target column'
            : undefined;
    if (problem === undefined) {
      pairs.push({ source: source.trim(), target: (target ?? '').trim() });
    } else if (onBadLine === 'skip') {
      skippedLines.push(index + 1);
    } else {
      throw new DataError('bad-line', name, problem, { line: index + 1 });
    }
  }
  return { pairs, skipped: skippedLines.length, skippedLines };
}

/** {@link readSentencePairsTsv} on a file (UTF-8); a missing file is `DataError` `'not-found'`. */
export function readSentencePairsTsvFile(path: string, options: Omit<TsvReadOptions, 'name'> = {}): TsvReadResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DataError(missing ? 'not-found' : 'io', path, missing ? 'no such file' : String(cause), { cause });
  }
  return readSentencePairsTsv(bytes, { ...options, name: path });
}
