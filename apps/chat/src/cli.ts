import {
  addCommonOptions,
  addSeq2SeqModelOptions,
  addTrainingOptions,
  createProgram,
  integerOption,
  interruptedTrainingError,
  numberOption,
  Output,
  refuseOptions,
  resumeSettings,
  runProgram,
  SEQ2SEQ_MODEL_SETTINGS,
  startBackend,
  TRAINING_SETTINGS,
  trainSummaryJson,
  UsageError,
  uninstallInterruptHandler,
  writeOutputFile,
} from '@seqgen/app-kit';
import { type Command, Option } from 'commander';
import { DEFAULT_CONTEXT, loadChatbot } from './checkpoint.js';
import { runDemo } from './demo-run.js';
import { DEFAULT_GAMES_ROOT, parseSources } from './dialogue-sources.js';
import { evaluate, PRETRAINED_CHECKPOINT } from './eval.js';
import { explainReply } from './explain.js';
import { prepareData } from './prepared-data.js';
import { runRepl } from './repl.js';
import { DEFAULT_REPLY_SETTINGS, type HistoryTurn, type ReplySettings, streamReply } from './reply.js';
import { serveCheckpoint } from './serve.js';
import { resumeTraining, type TrainSummary, train } from './train.js';

const NAME = 'seqgen-chat';

/** Options that choose and split the dialogue (`prepare`, and `train` without `--data`). */
function dataOptions(command: Command): Command {
  return command
    .option(
      '--sources <list>',
      'offline dialogue to read, comma-separated: wesnoth, fortunes, endless-sky',
      'wesnoth,fortunes,endless-sky',
    )
    .option('--games-root <dir>', 'where the Debian game data lives', DEFAULT_GAMES_ROOT)
    .option('--jsonl <file>', 'chat JSONL ({"messages":[{"role","content"}]} per line) instead of --sources')
    .option(
      '--test <n>',
      'conversations held out for the test set (a fraction < 1 or a count)',
      numberOption(0, Number.POSITIVE_INFINITY),
      0.08,
    )
    .option(
      '--valid <n>',
      'conversations held out for validation (a fraction < 1 or a count)',
      numberOption(0, Number.POSITIVE_INFINITY),
      0.05,
    )
    .option('--vocab <n>', 'byte-level BPE vocabulary', integerOption(260, 65_536), 2000);
}

/** Decoding options of `chat` and `ask` (defaults keep replies from going dull and repetitive). */
function replyOptions(command: Command): Command {
  const d = DEFAULT_REPLY_SETTINGS;
  return command
    .option('--checkpoint <dir>', 'checkpoint folder (or a run folder)', PRETRAINED_CHECKPOINT)
    .option('--temperature <x>', 'sampling temperature (0: greedy)', numberOption(0, 5), d.temperature)
    .option('--top-p <x>', 'nucleus sampling mass', numberOption(0, 1, { openMin: true }), d.topP)
    .option(
      '--repetition-penalty <x>',
      'CTRL penalty on tokens already in the reply (1: none)',
      numberOption(0, 10, { openMin: true }),
      d.repetitionPenalty,
    )
    .option(
      '--no-repeat-ngram <n>',
      'never repeat an n-gram of this size within a reply (0: off)',
      integerOption(0, 16),
      d.noRepeatNgramSize,
    )
    .option(
      '--max-tokens <n>',
      'longest reply in tokens (default: the longest the model trained on)',
      integerOption(1, 100_000),
    );
}

interface ReplyFlags {
  checkpoint: string;
  temperature: number;
  topP: number;
  repetitionPenalty: number;
  noRepeatNgram: number;
  maxTokens?: number;
  seed?: number;
}

function replySettings(flags: ReplyFlags): ReplySettings {
  return {
    temperature: flags.temperature,
    topP: flags.topP,
    repetitionPenalty: flags.repetitionPenalty,
    noRepeatNgramSize: flags.noRepeatNgram,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
  };
}

async function loadBot(flags: ReplyFlags) {
  const bot = await loadChatbot(flags.checkpoint);
  if (flags.maxTokens !== undefined) bot.metadata.maxReplyTokens = flags.maxTokens;
  return bot;
}

function summaryJson(s: TrainSummary): Record<string, unknown> {
  return trainSummaryJson(
    s,
    s.valid
      ? { examples: s.valid.examples, metrics: { nats_per_token: s.valid.loss, perplexity: s.valid.perplexity } }
      : undefined,
  );
}

/** The prepared dialogue: `--data` or the options that prepare it. */
const DATA_SETTINGS = ['sources', 'gamesRoot', 'jsonl', 'test', 'valid', 'vocab'];
/** What `--resume` takes from the run itself. */
const RUN_SETTINGS = [
  'data',
  ...DATA_SETTINGS,
  ...SEQ2SEQ_MODEL_SETTINGS,
  'turns',
  'format',
  'encoder',
  'maxContext',
  'maxReply',
  ...TRAINING_SETTINGS,
];

export function buildProgram(): Command {
  const program = createProgram(
    NAME,
    'Prepare dialogue, train, chat with and evaluate multi-turn encoder-decoder chatbots.',
  );

  addCommonOptions(
    dataOptions(
      program
        .command('prepare')
        .description('read dialogue, split it by conversation, train the BPE on the training split'),
    ),
    {
      seed: { default: 1, description: 'seed of the split' },
      out: { description: 'folder for the splits and the tokenizer (default: data/dialogue)' },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    const out = flags.out ?? 'data/dialogue';
    const prepared = prepareData(
      {
        out,
        force: flags.force,
        sources: parseSources(flags.sources),
        gamesRoot: flags.gamesRoot,
        jsonl: flags.jsonl,
        test: flags.test,
        valid: flags.valid,
        vocab: flags.vocab,
        seed: flags.seed,
      },
      (line) => output.info(line),
    );
    const c = prepared.record.counts;
    output.result(
      `${c.train.conversations} training, ${c.valid.conversations} validation and ${c.test.conversations} test conversations (${c.train.turns}/${c.valid.turns}/${c.test.turns} turns); BPE of ${prepared.tokenizer.vocabSize} tokens → ${out}`,
    );
    output.printJson({ out, ...prepared.record });
  });

  const trainCommand = addTrainingOptions(
    addSeq2SeqModelOptions(
      dataOptions(
        program
          .command('train')
          .description('train a chatbot on prepared dialogue (or continue an interrupted run with --resume)')
          .option('--data <dir>', 'folder written by prepare (default: prepare into <out>/data)')
          .option(
            '--turns <n>',
            'turns before the reply that the model reads',
            integerOption(1, 16),
            DEFAULT_CONTEXT.turns,
          )
          .addOption(
            new Option('--format <format>', 'how the context turns are written')
              .choices(['speaker-markers', 'plain'])
              .default('speaker-markers'),
          )
          .addOption(
            new Option(
              '--encoder <type>',
              'flat: one encoder over the context; hierarchical: each turn encoded alone, then a turn encoder',
            )
              .choices(['flat', 'hierarchical'])
              .default('flat'),
          )
          .option(
            '--max-context <n>',
            'context tokens kept (the most recent)',
            integerOption(4, 1024),
            DEFAULT_CONTEXT.maxContextTokens,
          )
          .option(
            '--max-reply <n>',
            'replies longer than this many tokens are left out',
            integerOption(2, 1024),
            DEFAULT_CONTEXT.maxReplyTokens,
          ),
      ),
      { reads: 'the context', hidden: 192, dropout: 0.1 },
    ),
    { batch: { default: 64, description: 'examples per batch (bucketed by length)' } },
  );
  addCommonOptions(trainCommand, {
    seed: { default: 1, description: 'seed of the split, weights and batches' },
    out: { description: 'run folder: checkpoint, test.jsonl, train.jsonl, train-log.jsonl (default: runs/chat)' },
    progress: true,
  }).action(async (flags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.resume) refuseOptions(command, RUN_SETTINGS, 'with --resume (the run continues with its own settings)');
    else if (flags.data) refuseOptions(command, DATA_SETTINGS, 'with --data (the folder is already prepared)');
    await startBackend(flags);
    let summary: TrainSummary;
    if (flags.resume) {
      summary = await resumeTraining(flags.resume, { ...resumeSettings(flags), output });
    } else {
      summary = await train({
        ...(flags.data ? { data: flags.data } : {}),
        prepare: {
          sources: parseSources(flags.sources),
          gamesRoot: flags.gamesRoot,
          jsonl: flags.jsonl,
          test: flags.test,
          valid: flags.valid,
          vocab: flags.vocab,
          seed: flags.seed,
        },
        out: flags.out ?? 'runs/chat',
        force: flags.force,
        turns: flags.turns,
        format: flags.format,
        encoder: flags.encoder,
        maxContext: flags.maxContext,
        maxReply: flags.maxReply,
        cell: flags.cell,
        attention: flags.attention,
        layers: flags.layers,
        hidden: flags.hidden,
        embedding: flags.embedding,
        bidirectional: Boolean(flags.bidirectional),
        dropout: flags.dropout,
        labelSmoothing: flags.labelSmoothing,
        ...(flags.minutes !== undefined ? { minutes: flags.minutes } : {}),
        clock: flags.clock,
        steps: flags.steps,
        batch: flags.batch,
        lr: flags.lr,
        seed: flags.seed,
        ...(flags.validateEvery !== undefined ? { validateEvery: flags.validateEvery } : {}),
        progress: flags.progress,
        quiet: flags.quiet,
        output,
      });
    }
    output.printJson(summaryJson(summary));
    if (summary.interrupted) throw interruptedTrainingError(summary);
  });

  addCommonOptions(
    replyOptions(
      program
        .command('chat')
        .description('chat in the terminal: replies stream token by token; /help lists the commands'),
    ),
    { seed: { description: 'seed of the sampler (default: random)' }, out: false },
  ).action(async (flags) => {
    await startBackend(flags);
    const bot = await loadBot(flags);
    // The REPL owns Ctrl-C: it stops a reply, and leaves at an empty prompt.
    uninstallInterruptHandler();
    try {
      const notes = flags.quiet ? { write: () => true } : process.stderr;
      await runRepl(bot, replySettings(flags), {
        input: process.stdin,
        output: process.stdout,
        notes: notes as NodeJS.WritableStream,
      });
    } finally {
      bot.model.dispose();
    }
  });

  addCommonOptions(
    replyOptions(
      program
        .command('ask')
        .description(
          "one reply, for scripts: the last argument is the user's turn, earlier ones alternate user/bot before it",
        )
        .argument('<turns...>', "the conversation so far, ending with the user's turn"),
    ),
    { seed: { description: 'seed of the sampler (default: random)' }, out: false },
  ).action(async (turns: string[], flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (turns.some((t) => t.trim() === '')) throw new UsageError('a turn is empty');
    await startBackend(flags);
    const bot = await loadBot(flags);
    try {
      // Counted back from the last argument, which is the user's.
      const history: HistoryTurn[] = turns.map((text, i) => ({
        role: (turns.length - 1 - i) % 2 === 0 ? 'user' : 'bot',
        text,
      }));
      const stream = !flags.json && process.stdout.isTTY;
      const reply = await streamReply(
        bot,
        history,
        replySettings(flags),
        stream ? { onText: (d) => void process.stdout.write(d) } : {},
      );
      if (stream) process.stdout.write('\n');
      else output.result(reply);
      output.printJson({ checkpoint: flags.checkpoint, history, reply });
    } finally {
      bot.model.dispose();
    }
  });

  addCommonOptions(
    program
      .command('eval')
      .description(
        'held-out perplexity and distinct-1/2 of sampled replies, beside the BM25 retrieval baseline and the references',
      )
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .option('--test <file.jsonl>', "held-out conversations (default: the checkpoint's test.jsonl)")
      .option(
        '--train <file.jsonl>',
        "conversations the retrieval baseline answers from (default: the checkpoint's train.jsonl)",
      )
      .option('--limit <n>', 'test contexts replied to for distinct-n (perplexity uses all)', integerOption(1), 300)
      .option('--samples <n>', 'sample conversations to show', integerOption(0, 100), 4),
    {
      seed: { default: 1, description: 'seed of the sampled replies' },
      out: { description: 'also write the JSON report to this file', placeholder: 'file' },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await evaluate({
      ...(flags.checkpoint ? { checkpoint: flags.checkpoint } : {}),
      ...(flags.test ? { test: flags.test } : {}),
      ...(flags.train ? { train: flags.train } : {}),
      limit: flags.limit,
      samples: flags.samples,
      settings: { ...DEFAULT_REPLY_SETTINGS, seed: flags.seed },
    });
    const m = report.metrics;
    const row = (
      name: string,
      f: { distinct_1: number; distinct_2: number; bleu?: number; mean_reply_words: number },
    ) =>
      `${name}: distinct-1 ${f.distinct_1.toFixed(3)} | distinct-2 ${f.distinct_2.toFixed(3)}${f.bleu === undefined ? '' : ` | BLEU ${f.bleu.toFixed(2)}`} | ${f.mean_reply_words.toFixed(1)} words/reply`;
    output.result(
      `perplexity ${m.perplexity.toFixed(2)} (${m.nats_per_token.toFixed(3)} nats/token) on ${report.examples} held-out replies`,
    );
    output.result(row('model', m));
    for (const [name, b] of Object.entries(report.baselines)) output.result(row(name, b));
    for (const s of report.samples) {
      output.info(
        `\n${s.context.replace(/\n/g, '\n  ')}\n  → reference: ${s.reference}\n  → model:     ${s.model}\n  → retrieval: ${s.retrieval}`,
      );
    }
    output.info(`(${report.replied} contexts replied to, ${report.decoding}; ${report.seconds.toFixed(0)} s)`);
    const json = { ...report, seconds: Math.round(report.seconds * 10) / 10 };
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(json, null, 2)}\n`, { force: flags.force });
    output.printJson(json);
  });

  addCommonOptions(
    program
      .command('serve')
      .description('serve the chatbot over an OpenAI-compatible HTTP API (chat completions, streaming)')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder)', PRETRAINED_CHECKPOINT)
      .option('--port <n>', 'TCP port (0: any free one)', integerOption(0, 65535), 8080)
      .option('--host <address>', 'interface to listen on', '127.0.0.1')
      .option('--max-batch <n>', 'requests decoded together in one batch', integerOption(1), 32)
      .option('--max-queue <n>', 'requests waiting beyond the batch before 429', integerOption(0), 256),
    { seed: false },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const { server } = await serveCheckpoint({ ...flags, output });
    output.result(`serving at ${server.url} (Ctrl-C stops)`);
  });

  addCommonOptions(
    program
      .command('explain')
      .description('reply to one message (greedy) and draw where each reply token looked in it: an attention heat map')
      .argument('<message...>', 'what the user says')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)', PRETRAINED_CHECKPOINT)
      .option('--html <file>', "also write @seqgen/interpret's self-contained explorer page"),
    {
      seed: false,
      out: {
        description: 'the SVG to write (default: attention.svg; never overwritten without --force)',
        placeholder: 'file.svg',
      },
    },
  ).action(async (words: string[], flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const bot = await loadChatbot(flags.checkpoint);
    try {
      const out = flags.out ?? 'attention.svg';
      const report = await explainReply(bot, words.join(' '), {
        out,
        ...(flags.html ? { html: flags.html } : {}),
        force: flags.force,
      });
      output.result(`reply: ${report.reply}`);
      report.replyTokens.forEach((token, t) => {
        const row = report.weights[t] ?? [];
        let peak = 0;
        for (let s = 1; s < row.length; s++) if ((row[s] as number) > (row[peak] as number)) peak = s;
        output.result(
          `${JSON.stringify(token)} looked most at ${JSON.stringify(report.contextTokens[peak] ?? '')} (${((row[peak] ?? 0) * 100).toFixed(0)}%)`,
        );
      });
      output.info(`attention heat map → ${out}${flags.html ? `; explorer page → ${flags.html}` : ''}`);
      output.printJson({ checkpoint: flags.checkpoint, ...report });
    } finally {
      bot.model.dispose();
    }
  });

  addCommonOptions(
    program
      .command('demo')
      .description('prepare the offline dialogue, train briefly, reply to a few lines and evaluate (about 3 minutes)')
      .option('--minutes <m>', 'training budget', numberOption(0, 10, { openMin: true }), 1.5)
      .option('--games-root <dir>', 'where the Debian game data lives', DEFAULT_GAMES_ROOT),
    { seed: false, out: false },
  ).action(async (flags) => {
    await startBackend(flags);
    await runDemo({ minutes: flags.minutes, gamesRoot: flags.gamesRoot });
  });
  return program;
}

/** Runs the CLI; errors are one line on stderr and an exit code from the app kit's table. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}

await main(process.argv);
