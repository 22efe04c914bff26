import { InputError } from '@seqgen/app-kit';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { type DataSource, type StreamBatch, StreamBatcher } from '@seqgen/trainer';
import { corpusLimit, countChars, readCorpus, splitHeldOut } from './corpus.js';

/** Held-out tokens used by each periodic validation (the final one uses more). */
export const PERIODIC_VALIDATION_TOKENS = 20_000;

/** Where `train` gets its batches, validation tokens and sample prime: a text in memory or shards on disk. */
export type TrainingCorpus = {
  /** Training batches (contiguous lanes, random epoch offsets, exact resume). */
  data: DataSource<StreamBatch>;
  /** The first held-out tokens, for periodic validation. */
  periodicValidation: number[];
  /** Token(s) each periodic sample starts from. */
  samplePrime: number[];
  /** Held-out tokens of the final evaluation and the characters they stand for. */
  finalHeldOut(tokenizer: SeqgenTokenizer): { ids: number[]; chars: number };
  /** Releases files. */
  close(): void;
};

/** Throws the app's error when the training tokens cannot fill one batch. */
export function assertFitsBatch(tokens: number, options: { batch: number; seqLen: number }, source: string): void {
  if (Math.floor((tokens - options.seqLen) / options.batch) < options.seqLen) {
    throw new InputError(
      `corpus ${source} is too small for --batch ${options.batch} --seq-len ${options.seqLen} (${tokens} training tokens)`,
      source,
    );
  }
}

/** A corpus read whole into memory (at most `--max-corpus-mb`), its last 10% held out. */
export function memoryCorpus(
  options: { corpus: string; maxCorpusMb?: number; batch: number; seqLen: number; seed: number },
  tokenizer: SeqgenTokenizer,
): TrainingCorpus {
  const text = readCorpus(options.corpus, corpusLimit(options.maxCorpusMb));
  const { train: trainText, heldOut } = splitHeldOut(text);
  const trainIds = tokenizer.encode(trainText);
  const valIds = tokenizer.encode(heldOut);
  assertFitsBatch(trainIds.length, options, options.corpus);
  return {
    data: new StreamBatcher({
      documents: [trainIds],
      batchSize: options.batch,
      seqLength: options.seqLen,
      seed: options.seed,
    }),
    periodicValidation: valIds.slice(0, PERIODIC_VALIDATION_TOKENS + 1),
    samplePrime: tokenizer.encode(trainText.slice(0, 1)),
    finalHeldOut: () => ({ ids: valIds, chars: countChars(heldOut) }),
    close: () => {},
  };
}
