import { InputError } from '@seqgen/app-kit';
import { SeqgenError } from '@seqgen/core';
import { type SeqgenTokenizer, tokenizerFromJSON } from '@seqgen/tokenizers';
import { openTokenShards, TokenShardBatcher, type TokenShards } from '@seqgen/trainer';
import { countChars } from './corpus.js';
import { assertFitsBatch, PERIODIC_VALIDATION_TOKENS, type TrainingCorpus } from './training-corpus.js';

/**
 * Held-out tokens the final evaluation of a shard run reads (from the start of
 * the held-out split): a multi-GB corpus holds far more than a run can score.
 */
export const SHARD_FINAL_EVAL_TOKENS = 200_000;

/** Opens a shard set, turning its typed errors into the app's one-line input errors. */
export function openShards(dir: string): TokenShards {
  try {
    return openTokenShards(dir);
  } catch (error) {
    if (error instanceof SeqgenError) throw new InputError(`cannot read shards: ${error.message}`, dir);
    throw error;
  }
}

/** The tokenizer a shard set was written with (its manifest carries the JSON). */
export function shardTokenizer(shards: TokenShards): SeqgenTokenizer {
  let tokenizer: SeqgenTokenizer;
  try {
    tokenizer = tokenizerFromJSON(shards.manifest.tokenizer);
  } catch (error) {
    throw new InputError(`shards ${shards.dir}: the manifest's tokenizer cannot be read: ${(error as Error).message}`);
  }
  if (tokenizer.vocabSize !== shards.manifest.vocabSize) {
    throw new InputError(
      `shards ${shards.dir}: the manifest says vocabSize ${shards.manifest.vocabSize} but its tokenizer has ${tokenizer.vocabSize} tokens`,
    );
  }
  return tokenizer;
}

/**
 * Training from a shard set on disk (`train --shards DIR`): batches are read
 * with positioned file reads, so memory stays bounded whatever the corpus size.
 */
export function shardCorpus(options: { shards: string; batch: number; seqLen: number; seed: number }): TrainingCorpus {
  const shards = openShards(options.shards);
  try {
    assertFitsBatch(shards.tokenCount('train'), options, options.shards);
    const data = new TokenShardBatcher({
      shards,
      batchSize: options.batch,
      seqLength: options.seqLen,
      seed: options.seed,
    });
    const heldOut = shards.tokenCount('heldout');
    const read = (n: number) => Array.from(shards.read('heldout', 0, Math.min(n, heldOut)));
    return {
      data,
      periodicValidation: read(PERIODIC_VALIDATION_TOKENS + 1),
      samplePrime: Array.from(shards.read('train', 0, 1)),
      finalHeldOut(tokenizer) {
        const ids = read(SHARD_FINAL_EVAL_TOKENS);
        return { ids, chars: countChars(tokenizer.decode(ids)) };
      },
      close: () => shards.close(),
    };
  } catch (error) {
    shards.close();
    throw error;
  }
}
