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
import { type Conversation, DataError, readChatJsonl, splitConversations } from '@seqgen/text';
import { ByteBpeTokenizer, DEFAULT_SPECIAL_TOKENS } from '@seqgen/tokenizers';
import { type DialogueOrigin, loadDialogues } from './dialogue-sources.js';

const APP = '@seqgen/app-chat';
const CLI = 'seqgen-chat';

export interface PrepareOptions extends DialogueOrigin {
  /** Folder to write (refused if it holds anything but a prepared folder, unless `force`). */
  out: string;
  force?: boolean;
  /** Held-out conversations for test and validation (fractions or counts). */
  test: number;
  valid: number;
  /** Byte-level BPE vocabulary size. */
  vocab: number;
  seed: number;
}

export interface PreparedRecord {
  app: '@seqgen/app-chat';
  origin: string;
  /** Conversations read per source. */
  sources: Record<string, number>;
  counts: Record<PreparedSplit, { conversations: number; turns: number }>;
  tokenizer: 'byte-level BPE';
  vocabSize: number;
  seed: number;
}

export interface PreparedData {
  dir: string;
  record: PreparedRecord;
  tokenizer: ByteBpeTokenizer;
  splits: Record<PreparedSplit, Conversation[]>;
}

/** A split as chat JSONL (`role` = the speaker), the format `--jsonl` reads, so a split is a valid input. */
function toJsonl(conversations: readonly Conversation[]): string {
  return conversations
    .map(
      (c) => `${JSON.stringify({ id: c.id, messages: c.turns.map((t) => ({ role: t.speaker, content: t.text })) })}\n`,
    )
    .join('');
}

/** Trains the byte-level BPE on the training turns only (held-out text never shapes the vocabulary). */
export function trainTokenizer(train: readonly Conversation[], vocab: number): ByteBpeTokenizer {
  const corpus = train.flatMap((c) => c.turns.map((t) => t.text));
  return ByteBpeTokenizer.train([`A: B:`, ...corpus], { vocabSize: vocab, specialTokens: [...DEFAULT_SPECIAL_TOKENS] });
}

/**
 * `prepare`: reads the conversations, splits them by conversation (scenes of
 * one scenario and branches of one Endless Sky conversation stay together),
 * trains the BPE on the training split and writes `{train,valid,test}.jsonl`,
 * `tokenizer.json` and `prepared.json` at once, through a staging folder.
 */
export function prepareData(options: PrepareOptions, info: (line: string) => void = () => {}): PreparedData {
  const run = RunFolder.create(options.out, { force: options.force, isRun: isPreparedDir });
  try {
    const loaded = loadDialogues(options);
    const turns = loaded.conversations.reduce((n, c) => n + c.turns.length, 0);
    info(`read ${loaded.conversations.length} conversations (${turns} turns) from ${loaded.description}`);
    // Endless Sky repeats whole conversations across missions: a copy on both sides of the split would leak.
    const seen = new Set<string>();
    const unique = loaded.conversations.filter((c) => {
      const key = JSON.stringify(c.turns);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (unique.length < loaded.conversations.length) {
      info(`${loaded.conversations.length - unique.length} duplicate conversations left out`);
    }
    const splits = splitConversations(unique, {
      test: options.test,
      valid: options.valid,
      seed: options.seed,
    });
    const tokenizer = trainTokenizer(splits.train, options.vocab);
    const count = (cs: readonly Conversation[]) => ({
      conversations: cs.length,
      turns: cs.reduce((n, c) => n + c.turns.length, 0),
    });
    const record: PreparedRecord = {
      app: APP,
      origin: loaded.description,
      sources: loaded.counts,
      counts: { train: count(splits.train), valid: count(splits.valid), test: count(splits.test) },
      tokenizer: 'byte-level BPE',
      vocabSize: tokenizer.vocabSize,
      seed: options.seed,
    };
    for (const name of PREPARED_SPLITS) writeFileSync(run.path(`${name}.jsonl`), toJsonl(splits[name]));
    writePreparedFiles(run, record, tokenizer);
    run.publish();
    return { dir: options.out, record, tokenizer, splits };
  } finally {
    run.discard();
  }
}

/** Reads a chat JSONL split; a malformed line is an input error naming file and line. */
export function readSplit(path: string): Conversation[] {
  if (!existsSync(path)) throw new InputError(`${path}: no such file`, path);
  try {
    return readChatJsonl(readFileSync(path), { name: path });
  } catch (error) {
    if (error instanceof DataError) throw new InputError(error.message, path, { cause: error });
    throw error;
  }
}

/** Reads a folder written by `prepare`; anything missing or malformed is an input error naming the file. */
export function readPrepared(dir: string, flag = '--data'): PreparedData {
  return readPreparedFolder<PreparedRecord, ByteBpeTokenizer, Conversation>(dir, {
    app: APP,
    cli: CLI,
    flag,
    readSplit: (folder, name) => readSplit(join(folder, `${name}.jsonl`)),
  });
}
