import { integerOption, numberOption, Output } from '@seqgen/app-kit';
import { type Command, Option } from 'commander';
import { tokenizeCorpus } from './tokenize.js';
import { TOKENIZER_KINDS, type TokenizerKind } from './tokenizer-choice.js';

type TokenizeFlags = {
  corpus: string;
  out: string;
  tokenizer: TokenizerKind;
  threads?: number;
  sampleMb: number;
  shardMb: number;
  pieceKb: number;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
};

/** Adds `tokenize`: a corpus of any size → a token shard folder that `train --shards` streams. */
export function registerTokenize(program: Command, name: string): void {
  program
    .command('tokenize')
    .description(
      'tokenize a corpus of any size on worker threads into binary token shards (for train --shards and the DDP trainer)',
    )
    .requiredOption('--corpus <path>', 'UTF-8 text file, or a folder of them (streamed; the last ~10% is held out)')
    .requiredOption('--out <dir>', 'new shard folder (manifest.json + train-*.bin, heldout-*.bin)')
    .addOption(new Option('--tokenizer <kind>', 'tokenization').choices(TOKENIZER_KINDS).default('char'))
    .option('--threads <n>', 'tokenizer threads (default: the CPU count)', integerOption(1, 256))
    .option(
      '--sample-mb <n>',
      'MiB of training text the vocabulary is built from',
      numberOption(0, 4096, { openMin: true }),
      8,
    )
    .option('--shard-mb <n>', 'MiB per shard file', numberOption(0, 1 << 20, { openMin: true }), 128)
    .option(
      '--piece-kb <n>',
      'KiB of text per piece handed to a thread',
      numberOption(0, 1 << 20, { openMin: true }),
      1024,
    )
    .option('--force', 'replace an existing --out')
    .addOption(new Option('--quiet', 'print no progress or information lines (warnings and results still)'))
    .option('--json', 'print one JSON object on stdout (human-readable lines go to stderr)')
    .action(async (flags: TokenizeFlags) => {
      const output = new Output({ name, json: flags.json, quiet: flags.quiet });
      const summary = await tokenizeCorpus({ ...flags, output });
      output.printJson({
        out: summary.out,
        bytes: summary.bytes,
        seconds: summary.seconds,
        mb_per_second: summary.mbPerSecond,
        threads: summary.threads,
        tokens: summary.tokens,
        shards: summary.shards,
        vocab_size: summary.vocabSize,
      });
    });
}
