import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SeqgenTokenizer, tokenizerFromJSON } from '@seqgen/tokenizers';
import { InputError } from './errors.js';
import type { RunFolder } from './run-folder.js';

/** The record an app's `prepare` writes beside its splits (what marks a prepared folder). */
export const PREPARED_FILE = 'prepared.json';
/** The tokenizer `prepare` trained on the training split. */
export const PREPARED_TOKENIZER_FILE = 'tokenizer.json';
/** The splits every prepared folder holds, in this order. */
export const PREPARED_SPLITS = ['train', 'valid', 'test'] as const;
/** One of {@link PREPARED_SPLITS}. */
export type PreparedSplit = (typeof PREPARED_SPLITS)[number];

/** True for a folder some app's `prepare` wrote (what `--force` may replace). */
export function isPreparedDir(dir: string): boolean {
  return existsSync(join(dir, PREPARED_FILE));
}

/**
 * Writes the tokenizer and the record into a staged prepared folder, last, once the splits are
 * there: a folder holds a {@link PREPARED_FILE} only when everything else is written.
 */
export function writePreparedFiles<Record extends { app: string }>(
  run: RunFolder,
  record: Record,
  tokenizer: SeqgenTokenizer,
): void {
  writeFileSync(run.path(PREPARED_TOKENIZER_FILE), `${JSON.stringify(tokenizer.toJSON())}\n`);
  writeFileSync(run.path(PREPARED_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** A prepared folder read back by {@link readPreparedFolder}. */
export type PreparedFolder<Record, Tokenizer, Split> = {
  dir: string;
  record: Record;
  tokenizer: Tokenizer;
  splits: { [name in PreparedSplit]: Split[] };
};

/** Which app's prepared folder {@link readPreparedFolder} expects, and how to read its splits. */
export type ReadPreparedOptions<Split> = {
  /** The record's `app` (`@seqgen/app-chat`). */
  app: string;
  /** The binary, for messages (`seqgen-chat`). */
  cli: string;
  /** The option that named the folder (default `--data`). */
  flag?: string;
  /** Reads one split; `name` is `train`, `valid` or `test`. Its errors are the app's own. */
  readSplit: (dir: string, name: PreparedSplit) => Split[];
};

/**
 * Reads a folder `prepare` wrote: its record (which must name `options.app`), its tokenizer and
 * its three splits. A folder that is not one, a record that is not JSON or is another app's, and
 * a tokenizer that does not load are each an {@link InputError} (exit 3) naming the file.
 */
export function readPreparedFolder<Record extends { app: string }, Tokenizer extends SeqgenTokenizer, Split>(
  dir: string,
  options: ReadPreparedOptions<Split>,
): PreparedFolder<Record, Tokenizer, Split> {
  const flag = options.flag ?? '--data';
  if (!isPreparedDir(dir)) {
    throw new InputError(
      `${flag} ${dir}: not a prepared folder (no ${PREPARED_FILE}; run ${options.cli} prepare)`,
      dir,
    );
  }
  const recordPath = join(dir, PREPARED_FILE);
  let record: Record;
  try {
    record = JSON.parse(readFileSync(recordPath, 'utf8')) as Record;
  } catch (error) {
    throw new InputError(`${recordPath}: not valid JSON (${(error as Error).message})`, recordPath);
  }
  if (record?.app !== options.app) {
    throw new InputError(`${recordPath}: not written by ${options.cli} prepare`, recordPath);
  }
  const tokenizerPath = join(dir, PREPARED_TOKENIZER_FILE);
  let tokenizer: Tokenizer;
  try {
    tokenizer = tokenizerFromJSON<Tokenizer>(readFileSync(tokenizerPath, 'utf8'));
  } catch (error) {
    throw new InputError(`${tokenizerPath}: ${(error as Error).message}`, tokenizerPath, { cause: error });
  }
  const splits = Object.fromEntries(PREPARED_SPLITS.map((name) => [name, options.readSplit(dir, name)])) as {
    [name in PreparedSplit]: Split[];
  };
  return { dir, record, tokenizer, splits };
}
