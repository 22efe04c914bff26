import { initBackend, SeqgenError, WASM_THREADS_ENV } from '@seqgen/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { evaluateCheckpoint } from './eval.js';
import { generateText } from './generate.js';
import { defaultRunFolder } from './run-folder.js';
import { TOKENIZER_KINDS } from './tokenizer-choice.js';
import { type TrainOptions, train } from './train.js';

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= min))
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

function number(min: number, max = Number.POSITIVE_INFINITY, openMin = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isFinite(n) && (openMin ? n > min : n >= min) && n <= max)) {
      throw new InvalidArgumentError(`expected a number in ${openMin ? '(' : '['}${min}, ${max}], got "${value}"`);
    }
    return n;
  };
}

/** Options shared by `train` and `finetune`. */
function trainingOptions(command: Command): Command {
  return command
    .requiredOption('--corpus <path>', 'UTF-8 text file, or a folder of them (the last 10% is held out)')
    .option(
      '--minutes <m>',
      'training time budget (wins over --steps; see --clock)',
      number(0, Number.POSITIVE_INFINITY, true),
    )
    .addOption(
      new Option('--clock <clock>', "what --minutes counts: wall-clock or this process's CPU time")
        .choices(['wall', 'cpu'])
        .default('wall'),
    )
    .option('--steps <n>', 'optimizer steps', integer(1), 1000)
    .option('--seq-len <n>', 'truncated-BPTT length', integer(1), 64)
    .option('--batch <n>', 'sequences per batch', integer(1), 32)
    .option('--lr <x>', 'peak learning rate (Adam, warmup then cosine decay)', number(0, 1, true), 3e-3)
    .option('--seed <s>', 'seed of weights, batches and samples', integer(0), 1)
    .option('--validate-every <n>', 'validate and print a sample every N steps (default: 10 times per run)', integer(1))
    .option('--sample-length <n>', 'tokens in each periodic sample (0: none)', integer(0), 120)
    .option('--progress', 'draw the progress bar even when stderr is not a terminal')
    .option('--out <dir>', 'run folder: checkpoint, train-log.jsonl, loss.svg (default: runs/<corpus name>)');
}

type TrainFlags = Omit<TrainOptions, 'from' | 'log' | 'print' | 'out'> & { out?: string };

export function buildProgram(): Command {
  const program = new Command('seqgen-text')
    .description('Train, sample from, evaluate and fine-tune recurrent language models on text.')
    .showHelpAfterError('(run with --help for usage)');

  trainingOptions(
    program
      .command('train')
      .description('train a language model on a corpus')
      .addOption(new Option('--tokenizer <kind>', 'tokenization').choices(TOKENIZER_KINDS).default('char'))
      .addOption(new Option('--cell <type>', 'recurrent cell').choices(['lstm', 'gru', 'rnn']).default('lstm'))
      .option('--layers <n>', 'stacked recurrent layers', integer(1), 1)
      .option('--hidden <n>', 'units per layer', integer(1), 256)
      .option('--embedding <n>', 'token embedding size', integer(1), 64)
      .option('--dropout <x>', 'dropout between layers', number(0, 0.95), 0),
  ).action(async (flags: TrainFlags) => {
    await initBackend();
    await train({ ...flags, out: flags.out ?? defaultRunFolder(flags.corpus) });
  });

  trainingOptions(
    program
      .command('finetune')
      .description('continue training a pretrained checkpoint on a new corpus (vocabulary remapped)')
      .requiredOption('--from <dir>', 'pretrained checkpoint'),
  ).action(async (flags: TrainFlags & { from: string }) => {
    await initBackend();
    // The architecture comes from the checkpoint; these only satisfy the type.
    await train({
      ...flags,
      out: flags.out ?? defaultRunFolder(flags.corpus),
      tokenizer: 'char',
      cell: 'lstm',
      layers: 1,
      hidden: 1,
      embedding: 1,
      dropout: 0,
    });
  });

  program
    .command('generate')
    .description('stream text from a checkpoint')
    .requiredOption('--checkpoint <dir>', 'checkpoint folder (or a run folder with best/ or last/)')
    .option('--prime <text>', 'text to continue', '\n')
    .option('--length <n>', 'tokens to generate', integer(1), 300)
    .option('--temperature <t>', 'sampling temperature', number(0, 100, true), 0.8)
    .option('--top-k <k>', 'sample among the k most likely tokens', integer(1))
    .option('--top-p <p>', 'nucleus sampling mass', number(0, 1, true), 1)
    .option('--seed <s>', 'sampling seed (default: random)', integer(0))
    .addOption(new Option('--strategy <s>', 'decoding').choices(['greedy', 'sample', 'beam']).default('sample'))
    .option('--beams <n>', 'beam width for --strategy beam', integer(2), 4)
    .action(async (flags) => {
      // Token-by-token decoding issues tiny ops, for which the threaded wasm build only adds
      // dispatch cost (pure-tfjs LSTM: ~380 vs ~580 µs/char); SEQGEN_WASM_THREADS still wins.
      await initBackend(process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
      await generateText({ ...flags, checkpoint: flags.checkpoint });
    });

  program
    .command('eval')
    .description('held-out loss, perplexity and bits per character of a checkpoint on a corpus')
    .requiredOption('--checkpoint <dir>', 'checkpoint folder')
    .requiredOption('--corpus <path>', 'text file or folder; its last 10% is evaluated')
    .option('--whole', 'evaluate the whole corpus, not only its held-out tail')
    .action(async (flags) => {
      await initBackend();
      const m = await evaluateCheckpoint(flags);
      process.stdout.write(
        `held-out loss ${m.loss.toFixed(4)} nats/token | perplexity ${m.perplexity.toFixed(3)} | ` +
          `${m.bitsPerChar.toFixed(4)} bits/char | ${m.tokens} tokens\n`,
      );
    });
  return program;
}

/** Runs the CLI; user errors are one line on stderr and exit code 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const known = err instanceof CliError || err instanceof SeqgenError;
    process.stderr.write(`seqgen-text: error: ${message.split('\n')[0]}\n`);
    if (!known && process.env.SEQGEN_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
