import {
  addCommonOptions,
  addTimeBudgetOptions,
  createProgram,
  integerOption,
  interruptedTrainingError,
  numberOption,
  Output,
  refuseOptions,
  runProgram,
  startBackend,
  trainSummaryJson,
  UsageError,
  writeOutputFile,
} from '@seqgen/app-kit';
import { WASM_THREADS_ENV } from '@seqgen/core';
import { type Command, Option } from 'commander';
import { describeSplit, evaluateCheckpoint, PRETRAINED_CHECKPOINT } from './eval.js';
import { registerExplain } from './explain-command.js';
import { generateText } from './generate.js';
import { defaultRunFolder } from './run-folder.js';
import { serveCheckpoint } from './serve.js';
import { registerTokenize } from './tokenize-command.js';
import { TOKENIZER_KINDS } from './tokenizer-choice.js';
import { trainTorchDdp } from './torch-ddp.js';
import { resumeTraining, type TrainOptions, type TrainSummary, train } from './train.js';

const NAME = 'seqgen-text';

const MAX_CORPUS_FLAG = '--max-corpus-mb <n>';
const MAX_CORPUS_HELP = 'most MiB of text the corpus may hold, read in all (default 512)';

/** Options shared by `train` and `finetune`. */
function trainingOptions(command: Command): Command {
  command
    .option('--corpus <path>', 'UTF-8 text file, or a folder of them (the last 10% is held out)')
    .option(MAX_CORPUS_FLAG, MAX_CORPUS_HELP, numberOption(0, Number.POSITIVE_INFINITY, { openMin: true }));
  addTimeBudgetOptions(command)
    .option('--steps <n>', 'optimizer steps', integerOption(1), 1000)
    .option('--seq-len <n>', 'truncated-BPTT length', integerOption(1), 64)
    .option('--batch <n>', 'sequences per batch', integerOption(1), 32)
    .option(
      '--lr <x>',
      'peak learning rate (Adam, warmup then cosine decay)',
      numberOption(0, 1, { openMin: true }),
      3e-3,
    )
    .option(
      '--validate-every <n>',
      'validate and print a sample every N steps (default: 10 times per run)',
      integerOption(1),
    )
    .option('--sample-length <n>', 'tokens in each periodic sample (0: none)', integerOption(0), 120);
  return addCommonOptions(command, {
    seed: { default: 1, description: 'seed of weights, batches and samples' },
    out: { description: 'run folder: checkpoint, train-log.jsonl, loss.svg (default: runs/<corpus name>)' },
    progress: true,
  });
}

type Flags = Omit<TrainOptions, 'from' | 'output' | 'out'> & {
  out?: string;
  resume?: string;
  json?: boolean;
  backend?: 'node' | 'wasm' | 'cpu';
};

/** The flags of `train --engine torch-ddp`. */
type TorchFlags = { engine: 'seqgen' | 'torch-ddp'; nproc: number; device: 'cpu' | 'cuda' };

/** Options that describe a new run: refused with --resume, which continues the run's own settings. */
const RUN_SETTINGS = [
  'corpus',
  'shards',
  'maxCorpusMb',
  'tokenizer',
  'cell',
  'layers',
  'hidden',
  'embedding',
  'dropout',
  'minutes',
  'clock',
  'steps',
  'seqLen',
  'batch',
  'lr',
  'seed',
  'validateEvery',
  'sampleLength',
];

function summaryJson(s: TrainSummary): Record<string, unknown> {
  const heldOut = s.heldOut && {
    examples: s.heldOut.tokens,
    metrics: { nats_per_token: s.heldOut.loss, bits_per_char: s.heldOut.bitsPerChar, perplexity: s.heldOut.perplexity },
  };
  return {
    ...trainSummaryJson(s, heldOut ?? undefined),
    ...(s.vocabulary
      ? { vocabulary: { kept: s.vocabulary.kept.length, added: s.vocabulary.added, dropped: s.vocabulary.dropped } }
      : {}),
  };
}

async function finish(summary: TrainSummary, output: Output): Promise<void> {
  output.printJson(summaryJson(summary));
  if (summary.interrupted) throw interruptedTrainingError(summary);
}

export function buildProgram(): Command {
  const program = createProgram(NAME, 'Train, sample from, evaluate and fine-tune recurrent language models on text.');

  const trainCommand = program
    .command('train')
    .description('train a language model on a corpus (or continue an interrupted run with --resume)')
    .addOption(new Option('--tokenizer <kind>', 'tokenization').choices(TOKENIZER_KINDS).default('char'))
    .addOption(new Option('--cell <type>', 'recurrent cell').choices(['lstm', 'gru', 'rnn']).default('lstm'))
    .option('--layers <n>', 'stacked recurrent layers', integerOption(1), 1)
    .option('--hidden <n>', 'units per layer', integerOption(1), 256)
    .option('--embedding <n>', 'token embedding size', integerOption(1), 64)
    .option('--dropout <x>', 'dropout between layers', numberOption(0, 0.95), 0)
    .option('--resume <dir>', 'continue the interrupted run in DIR exactly (its settings; output to DIR unless --out)')
    .option('--shards <dir>', 'train from a token shard folder made by `tokenize` (instead of --corpus; any size)')
    .addOption(
      new Option(
        '--engine <name>',
        'training engine: seqgen (tfjs, this process) or torch-ddp (PyTorch DistributedDataParallel)',
      )
        .choices(['seqgen', 'torch-ddp'])
        .default('seqgen'),
    )
    .option(
      '--nproc <n>',
      'torch-ddp: processes (ranks) on this machine; --batch is split over them',
      integerOption(1),
      1,
    )
    .addOption(
      new Option('--device <kind>', 'torch-ddp: cpu (gloo) or cuda (NCCL)').choices(['cpu', 'cuda']).default('cpu'),
    );
  trainingOptions(trainCommand).action(async (flags: Flags & TorchFlags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.engine === 'torch-ddp') {
      if (flags.resume) throw new UsageError('--resume is not supported with --engine torch-ddp');
      if (!flags.shards && !flags.corpus) {
        throw new UsageError('--engine torch-ddp needs --corpus PATH (tokenized first) or --shards DIR');
      }
      if (flags.shards)
        refuseOptions(command, ['corpus', 'tokenizer'], 'with --shards (the shards carry the tokenizer)');
      const unused = ['maxCorpusMb', 'minutes', 'clock', 'validateEvery', 'sampleLength'];
      refuseOptions(
        command,
        unused,
        'with --engine torch-ddp (the PyTorch job runs --steps and evaluates once at the end)',
      );
      await startBackend(flags);
      const source = (flags.shards ?? flags.corpus) as string;
      const summary = await trainTorchDdp({ ...flags, out: flags.out ?? defaultRunFolder(source), output });
      await finish(summary, output);
      return;
    }
    refuseOptions(command, ['nproc', 'device'], 'without --engine torch-ddp');
    if (flags.resume) {
      refuseOptions(command, RUN_SETTINGS, `with --resume (the run continues with its own settings)`);
    } else if (flags.shards) {
      refuseOptions(command, ['corpus', 'maxCorpusMb', 'tokenizer'], 'with --shards (the shards carry the tokenizer)');
    } else if (!flags.corpus) {
      throw new UsageError("required option '--corpus <path>' not specified (or --shards DIR, or --resume DIR)");
    }
    await startBackend(flags);
    const source = flags.shards ?? flags.corpus ?? '';
    const summary = flags.resume
      ? await resumeTraining(flags.resume, { ...pick(flags), output })
      : await train({ ...flags, out: flags.out ?? defaultRunFolder(source), output });
    await finish(summary, output);
  });

  trainingOptions(
    program
      .command('finetune')
      .description('continue training a pretrained checkpoint on a new corpus (vocabulary remapped)')
      .requiredOption('--from <dir>', 'pretrained checkpoint'),
  ).action(async (flags: Flags & { from: string }) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (!flags.corpus) throw new UsageError("required option '--corpus <path>' not specified");
    await startBackend(flags);
    // The architecture comes from the checkpoint; these only satisfy the type.
    const summary = await train({
      ...flags,
      out: flags.out ?? defaultRunFolder(flags.corpus),
      tokenizer: 'char',
      cell: 'lstm',
      layers: 1,
      hidden: 1,
      embedding: 1,
      dropout: 0,
      output,
    });
    await finish(summary, output);
  });

  addCommonOptions(
    program
      .command('generate')
      .description('stream text from a checkpoint (default: the shipped pretrained model)')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder with best/ or last/)', PRETRAINED_CHECKPOINT)
      .option('--prime <text>', 'text to continue', '\n')
      .option('--length <n>', 'tokens to generate', integerOption(1), 300)
      .option('--temperature <t>', 'sampling temperature', numberOption(0, 100, { openMin: true }), 0.8)
      .option('--top-k <k>', 'sample among the k most likely tokens', integerOption(1))
      .option('--top-p <p>', 'nucleus sampling mass', numberOption(0, 1, { openMin: true }), 1)
      .addOption(new Option('--strategy <s>', 'decoding').choices(['greedy', 'sample', 'beam']).default('sample'))
      .option('--beams <n>', 'beam width for --strategy beam', integerOption(2), 4)
      .option('--strict', "refuse a --prime with characters outside the model's vocabulary (default: warn)"),
    {
      seed: { description: 'sampling seed (default: random)' },
      out: { description: 'also write the text to this file (never overwritten without --force)', placeholder: 'file' },
    },
  ).action(async (flags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.strategy === 'greedy') {
      refuseOptions(command, ['temperature', 'topK', 'topP'], 'to --strategy greedy (it takes the most likely token)');
    }
    if (flags.strategy !== 'beam') refuseOptions(command, ['beams'], `to --strategy ${flags.strategy}`);
    // Token-by-token decoding issues tiny ops, for which the threaded wasm build only adds
    // dispatch cost (pure-tfjs LSTM: ~380 vs ~580 µs/char); SEQGEN_WASM_THREADS still wins.
    await startBackend(flags, process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
    const result = await generateText({
      ...flags,
      command,
      write: (text) => output.write(text),
      warn: (message) => output.warn(message),
    });
    if (flags.out) writeOutputFile(flags.out, `${result.text}\n`, { force: flags.force });
    output.printJson({
      checkpoint: flags.checkpoint,
      prime: flags.prime,
      text: result.text,
      tokens: result.tokens,
      strategy: flags.strategy,
      seed: result.config.seed,
    });
  });

  addCommonOptions(
    program
      .command('eval')
      .description('held-out loss, perplexity and bits per character of a checkpoint, beside an n-gram baseline')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .option('--corpus <path>', "text file or folder; its last 10% is evaluated (default: the checkpoint's corpus)")
      .option('--whole', 'evaluate the whole corpus, not only its held-out tail (no baseline then)')
      .option(
        '--baseline-order <n>',
        'order of the character Kneser-Ney n-gram baseline (0: none)',
        integerOption(0, 12),
        5,
      )
      .option(
        '--exclude-unknown',
        'leave tokens outside the vocabulary (<unk>) out of the figures: score only known tokens',
      )
      .option(MAX_CORPUS_FLAG, MAX_CORPUS_HELP, numberOption(0, Number.POSITIVE_INFINITY, { openMin: true })),
    { seed: false, out: { description: 'also write the JSON report to this file', placeholder: 'file' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await evaluateCheckpoint(flags);
    const m = report.heldOut;
    output.result(
      `held-out loss ${m.loss.toFixed(4)} nats/token | perplexity ${m.perplexity.toFixed(3)} | ` +
        `${m.bitsPerChar.toFixed(4)} bits/char | ${m.tokens} tokens`,
    );
    if (report.unknown_excluded) {
      output.result(
        `unknown tokens: ${report.unknown_tokens} outside the vocabulary, excluded (only known tokens scored)`,
      );
    } else {
      output.result(
        `unknown tokens: ${report.unknown_tokens} outside the vocabulary` +
          (report.unknown_tokens > 0 ? ', scored as <unk> (--exclude-unknown leaves them out)' : ''),
      );
    }
    for (const [name, b] of Object.entries(report.baselines)) {
      output.result(
        `baseline ${name}: ${b.nats_per_token.toFixed(4)} nats/char | perplexity ${b.perplexity.toFixed(3)} | ${b.bits_per_char.toFixed(4)} bits/char`,
      );
    }
    output.info(`(${describeSplit(report)}: ${report.corpus}; checkpoint ${report.checkpoint})`);
    const { heldOut: _h, ...json } = report;
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(json, null, 2)}\n`, { force: flags.force });
    output.printJson(json);
  });

  addCommonOptions(
    program
      .command('serve')
      .description('serve a checkpoint over an OpenAI-compatible HTTP API (completions, chat, streaming)')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder with best/ or last/)', PRETRAINED_CHECKPOINT)
      .option('--port <n>', 'TCP port (0: any free one)', integerOption(0, 65535), 8080)
      .option('--host <address>', 'interface to listen on', '127.0.0.1')
      .option('--max-batch <n>', 'requests decoded together in one batch', integerOption(1), 32)
      .option('--max-queue <n>', 'requests waiting beyond the batch before 429', integerOption(0), 256),
    { seed: false },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags, process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
    const server = await serveCheckpoint({ ...flags, output });
    output.result(`serving at ${server.url} (Ctrl-C stops)`);
  });
  registerExplain(program, NAME);
  registerTokenize(program, NAME);
  return program;
}

function pick(flags: Flags) {
  return {
    ...(flags.out !== undefined ? { out: flags.out } : {}),
    ...(flags.force ? { force: true } : {}),
    ...(flags.progress ? { progress: true } : {}),
    ...(flags.quiet ? { quiet: true } : {}),
  };
}

/** Runs the CLI; errors are one line on stderr and an exit code from the app kit's table. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}

await main(process.argv);
