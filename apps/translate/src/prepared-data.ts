import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InputError,
  isPreparedDir,
  PREPARED_SPLITS,
  type PreparedSplit,
  RunFolder,
  readPreparedFolder,
  writePreparedFiles,
} from '@seqgen/app-kit';
import { protectPlaceholders } from '@seqgen/text';
import type { ByteBpeTokenizer } from '@seqgen/tokenizers';
import { loadPairs, type Pair, type PairOrigin, splitForTraining } from './sentence-pairs.js';
import { trainJointTokenizer } from './tokenizer-choice.js';

const APP = '@seqgen/app-translate';
const CLI = 'seqgen-translate';

export interface PrepareOptions extends PairOrigin {
  /** Folder to write (refused if it holds anything but a previous prepared folder, unless --force). */
  out: string;
  force?: boolean;
  /** Held-out pairs for the test set and the validation set. */
  test: number;
  valid: number;
  /** Byte-level BPE vocabulary size (one vocabulary for both languages). */
  vocab: number;
  seed: number;
}

export interface PreparedRecord {
  app: '@seqgen/app-translate';
  source: string;
  target: string;
  origin: string;
  pairsRead: number;
  counts: Record<PreparedSplit, number>;
  tokenizer: 'joint byte-level BPE';
  sourceVocabSize: number;
  targetVocabSize: number;
  seed: number;
}

/** A prepared folder read back: the splits as text, and the tokenizer trained on the training split. */
export interface PreparedData {
  dir: string;
  record: PreparedRecord;
  tokenizer: ByteBpeTokenizer;
  splits: Record<PreparedSplit, Pair[]>;
}

/** A pair as the model sees it: printf placeholders replaced by the markers `@seqgen/text` protects them with. */
export function protectPair(pair: Pair): Pair {
  return { source: protectPlaceholders(pair.source).text, target: protectPlaceholders(pair.target).text };
}

function tsv(pairs: readonly Pair[]): string {
  // Cleaned pairs hold no tab or newline (cleanPairs collapses whitespace), so a line is a pair.
  return pairs.map((p) => `${p.source}\t${p.target}\n`).join('');
}

function idLines(pairs: readonly Pair[], tokenizer: ByteBpeTokenizer): string {
  return pairs
    .map(protectPair)
    .map((p) => `${tokenizer.encode(p.source).join(' ')}\t${tokenizer.encode(p.target).join(' ')}\n`)
    .join('');
}

/** Each token's bytes in hex (special tokens: empty), so a peer in another language can detokenize. */
function tokenBytesHex(tokenizer: ByteBpeTokenizer): string[] {
  const special = new Set([tokenizer.padId, tokenizer.unkId, tokenizer.bosId, tokenizer.eosId]);
  return Array.from({ length: tokenizer.vocabSize }, (_, id) =>
    special.has(id) ? '' : Buffer.from(tokenizer.tokenBytes(id) ?? new Uint8Array()).toString('hex'),
  );
}

/**
 * `prepare`: reads, cleans, deduplicates and splits the pairs, trains the
 * joint BPE on the training split only, and writes `{train,valid,test}.tsv`,
 * `{train,valid,test}.ids` (placeholder-protected token ids, `src<TAB>tgt`),
 * `tokenizer.json`, `target-tokens.json` and `prepared.json` — all at once,
 * through a staging folder.
 */
export function prepareData(options: PrepareOptions, info: (line: string) => void = () => {}): PreparedData {
  const run = RunFolder.create(options.out, { force: options.force, isRun: isPreparedDir });
  try {
    const loaded = loadPairs(options);
    info(
      `read ${loaded.read} pairs from ${loaded.description}; ${loaded.pairs.length} after cleaning and deduplication`,
    );
    const splits = splitForTraining(loaded.pairs, { test: options.test, valid: options.valid, seed: options.seed });
    const tokenizer = trainJointTokenizer(splits.train.map(protectPair), options.vocab);
    const record: PreparedRecord = {
      app: APP,
      source: 'en',
      target: options.lang ?? 'de',
      origin: loaded.description,
      pairsRead: loaded.read,
      counts: { train: splits.train.length, valid: splits.valid.length, test: splits.test.length },
      tokenizer: 'joint byte-level BPE',
      sourceVocabSize: tokenizer.vocabSize,
      targetVocabSize: tokenizer.vocabSize,
      seed: options.seed,
    };
    for (const name of PREPARED_SPLITS) {
      writeFileSync(run.path(`${name}.tsv`), tsv(splits[name]));
      writeFileSync(run.path(`${name}.ids`), idLines(splits[name], tokenizer));
    }
    writeFileSync(run.path('target-tokens.json'), `${JSON.stringify(tokenBytesHex(tokenizer))}\n`);
    writePreparedFiles(run, record, tokenizer);
    run.publish();
    return { dir: options.out, record, tokenizer, splits };
  } finally {
    run.discard();
  }
}

/** Reads a TSV split written by `prepare` (or any `source<TAB>target` file); a line without a tab is an error naming it. */
export function readPairsTsv(path: string): Pair[] {
  if (!existsSync(path)) throw new InputError(`${path}: no such file`, path);
  const pairs: Pair[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '' && i === lines.length - 1) break;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new InputError(`${path}:${i + 1}: expected source<TAB>target`, path);
    pairs.push({ source: line.slice(0, tab), target: line.slice(tab + 1) });
  }
  return pairs;
}

/** Reads a folder written by `prepare`; anything missing or malformed is an {@link InputError} naming the file. */
export function readPrepared(dir: string, flag = '--data'): PreparedData {
  return readPreparedFolder<PreparedRecord, ByteBpeTokenizer, Pair>(dir, {
    app: APP,
    cli: CLI,
    flag,
    readSplit: (folder, name) => readPairsTsv(join(folder, `${name}.tsv`)),
  });
}
