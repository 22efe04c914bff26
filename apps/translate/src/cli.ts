import { readFileSync } from 'node:fs';
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
  writeOutputFile,
} from '@seqgen/app-kit';
import type { Command } from 'commander';
import { checkDirection, DEFAULT_MAX_SOURCE_TOKENS, loadTranslator } from './checkpoint.js';
import { runDemo } from './demo-run.js';
import { evaluate, PRETRAINED_CHECKPOINT } from './eval.js';
import { explainSentence } from './explain.js';
import { prepareData } from './prepared-data.js';
import { resumeTraining, type TrainOptions, type TrainSummary, train } from './train.js';
import { translateLines } from './translate.js';

const NAME = 'seqgen-translate';

/** Options that choose and split the pairs (`prepare`, and `train` without `--data`). */
function pairOptions(command: Command): Command {
  return command
    .option(
      '--lang <code>',
      'target language: of the gettext catalogs installed here (English → it), or of --pairs',
      'de',
    )
    .option('--locale-root <dir>', 'folder of <lang>/LC_MESSAGES/*.mo catalogs', '/usr/share/locale')
    .option('--pairs <file.tsv>', 'tab-separated source<TAB>target lines to use instead of the catalogs')
    .option('--test <n>', 'pairs held out for the test set', integerOption(1), 1000)
    .option('--valid <n>', 'pairs held out for validation', integerOption(1), 500)
    .option('--vocab <n>', 'byte-level BPE vocabulary, one for both languages', integerOption(260, 65_536), 2000);
}

type TrainFlags = Omit<TrainOptions, 'out' | 'output' | 'prepare' | 'data'> & {
  data?: string;
  lang: string;
  localeRoot: string;
  pairs?: string;
  test: number;
  valid: number;
  vocab: number;
  out?: string;
  resume?: string;
  json?: boolean;
  backend?: 'node' | 'wasm' | 'cpu';
};

/** The prepared pairs: `--data` or the options that prepare them. */
const DATA_SETTINGS = ['lang', 'localeRoot', 'pairs', 'test', 'valid', 'vocab'];
/** What `--resume` takes from the run itself. */
const RUN_SETTINGS = ['data', ...DATA_SETTINGS, ...SEQ2SEQ_MODEL_SETTINGS, 'maxLen', ...TRAINING_SETTINGS];

function summaryJson(s: TrainSummary): Record<string, unknown> {
  return trainSummaryJson(
    s,
    s.valid
      ? {
          examples: s.valid.sentences,
          metrics: {
            bleu: s.valid.bleu,
            chrf: s.valid.chrf,
            nats_per_token: s.valid.loss,
            perplexity: s.valid.perplexity,
          },
        }
      : undefined,
  );
}

function readStdinLines(): string[] {
  if (process.stdin.isTTY) {
    throw new UsageError('give sentences as arguments, or pipe them on stdin (one per line)');
  }
  const text = readFileSync(0, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

export function buildProgram(): Command {
  const program = createProgram(
    NAME,
    'Prepare sentence pairs, train, translate with, evaluate and explain attention-based translation models.',
  );

  addCommonOptions(
    pairOptions(
      program
        .command('prepare')
        .description(
          'clean, deduplicate and split sentence pairs; train the joint byte-level BPE on the training split',
        ),
    ),
    {
      seed: { default: 1, description: 'seed of the split' },
      out: { description: 'folder for the splits and the tokenizer (default: data/en-<lang>)' },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    const out = flags.out ?? `data/en-${flags.lang}`;
    const prepared = prepareData(
      {
        out,
        force: flags.force,
        lang: flags.lang,
        localeRoot: flags.localeRoot,
        pairsFile: flags.pairs,
        test: flags.test,
        valid: flags.valid,
        vocab: flags.vocab,
        seed: flags.seed,
      },
      (line) => output.info(line),
    );
    const c = prepared.record.counts;
    output.result(
      `${c.train} training, ${c.valid} validation and ${c.test} test pairs; joint BPE of ${prepared.tokenizer.vocabSize} tokens → ${out}`,
    );
    output.printJson({ out, ...prepared.record });
  });

  const trainCommand = addTrainingOptions(
    addSeq2SeqModelOptions(
      pairOptions(
        program
          .command('train')
          .description('train an encoder-decoder on prepared pairs (or continue an interrupted run with --resume)')
          .option(
            '--data <dir>',
            'folder written by prepare (default: prepare the --lang/--pairs data into <out>/data)',
          ),
      ),
      { reads: 'the source', hidden: 160, dropout: 0, inputFeeding: true },
    ).option(
      '--max-len <n>',
      'longest source/target in tokens trained on; longer input is cut to it when translating',
      integerOption(2, 1024),
      DEFAULT_MAX_SOURCE_TOKENS,
    ),
    { batch: { default: 128, description: 'pairs per batch (bucketed by length)' } },
  );
  addCommonOptions(trainCommand, {
    seed: { default: 1, description: 'seed of the split, weights and batches' },
    out: { description: 'run folder: checkpoint, test.tsv, train-log.jsonl, loss.svg (default: runs/en-<lang>)' },
    progress: true,
  }).action(async (flags: TrainFlags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.resume) refuseOptions(command, RUN_SETTINGS, 'with --resume (the run continues with its own settings)');
    else if (flags.data) refuseOptions(command, DATA_SETTINGS, 'with --data (the folder is already prepared)');
    await startBackend(flags);
    let summary: TrainSummary;
    if (flags.resume) {
      summary = await resumeTraining(flags.resume, { ...resumeSettings(flags), output });
    } else {
      const { lang, localeRoot, pairs, test, valid, vocab, resume: _r, json: _j, backend: _b, ...rest } = flags;
      summary = await train({
        ...rest,
        out: flags.out ?? `runs/en-${lang}`,
        ...(flags.data ? { data: flags.data } : {}),
        prepare: { lang, localeRoot, pairsFile: pairs, test, valid, vocab, seed: flags.seed },
        output,
      });
    }
    output.printJson(summaryJson(summary));
    if (summary.interrupted) throw interruptedTrainingError(summary);
  });

  addCommonOptions(
    program
      .command('translate')
      .description('translate sentences given as arguments, or stdin line by line (default: the shipped en→de model)')
      .argument('[sentences...]', 'sentences to translate (default: read stdin, one per line)')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder with best/ or last/)', PRETRAINED_CHECKPOINT)
      .option('--beams <n>', 'beam width (1: greedy)', integerOption(1, 64), 5)
      .option(
        '--n-best <n>',
        'translations per sentence, best first, with scores (at most --beams)',
        integerOption(1, 64),
        1,
      )
      .option('--length-penalty <x>', 'beam ranking: log-probability / length^x', numberOption(0, 5), 1)
      .option('--direction <src-tgt>', 'refuse a checkpoint that does not translate this way (e.g. en-de)'),
    { seed: false, out: { description: 'also write the translations to this file', placeholder: 'file' } },
  ).action(async (sentences: string[], flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.nBest > flags.beams) throw new UsageError(`--n-best ${flags.nBest} needs --beams ≥ ${flags.nBest}`);
    const lines = sentences.length > 0 ? sentences : readStdinLines();
    await startBackend(flags);
    const translator = await loadTranslator(flags.checkpoint);
    let text = '';
    try {
      checkDirection(translator, flags.direction);
      const results = await translateLines(translator, lines, {
        beams: flags.beams,
        nBest: flags.nBest,
        lengthPenalty: flags.lengthPenalty,
        warn: (m) => output.warn(m),
      });
      for (const [i, r] of results.entries()) {
        if (flags.nBest === 1) text += `${r.candidates[0]?.text ?? ''}\n`;
        else for (const c of r.candidates) text += `${i + 1}\t${c.score.toFixed(4)}\t${c.text}\n`;
      }
      output.write(text);
      if (flags.out) writeOutputFile(flags.out, text, { force: flags.force });
      output.printJson({
        checkpoint: flags.checkpoint,
        direction: `${translator.metadata.source}-${translator.metadata.target}`,
        beams: flags.beams,
        translations: results.map((r) => ({
          source: r.source,
          truncated: r.truncated,
          candidates: r.candidates.map((c) => ({ text: c.text, score: c.score })),
        })),
      });
    } finally {
      translator.model.dispose();
    }
  });

  addCommonOptions(
    program
      .command('eval')
      .description('corpus BLEU and chrF on the held-out test set, beside the copy-the-source baseline')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .option('--test <file.tsv>', "source<TAB>reference pairs (default: the checkpoint's held-out test.tsv)")
      .option('--hypotheses <file>', 'score these translations (one per test line, e.g. the PyTorch peer) instead')
      .option('--beams <n>', 'beam width (1: greedy)', integerOption(1, 64), 5)
      .option('--limit <n>', 'only the first N test pairs', integerOption(1)),
    { seed: false, out: { description: 'also write the JSON report to this file', placeholder: 'file' } },
  ).action(async (flags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.hypotheses) refuseOptions(command, ['beams'], 'with --hypotheses (nothing is decoded)');
    if (!flags.hypotheses) await startBackend(flags);
    const report = await evaluate(flags);
    const m = report.metrics;
    output.result(
      `BLEU ${m.bleu.toFixed(2)} | chrF ${m.chrf.toFixed(2)} | ${report.examples} test pairs (${report.decoding})`,
    );
    for (const [name, b] of Object.entries(report.baselines)) {
      output.result(`baseline ${name}: BLEU ${b.bleu.toFixed(2)} | chrF ${b.chrf.toFixed(2)}`);
    }
    output.info(
      `(test set ${report.test}; ${report.checkpoint ? `checkpoint ${report.checkpoint}` : 'no checkpoint'}` +
        `${report.truncated ? `; ${report.truncated} sources cut to the model's maximum length` : ''}; ${report.seconds.toFixed(0)} s)`,
    );
    const json = { ...report, seconds: Math.round(report.seconds * 10) / 10 };
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(json, null, 2)}\n`, { force: flags.force });
    output.printJson(json);
  });

  addCommonOptions(
    program
      .command('explain')
      .description('translate one sentence and draw where each output token attended (an SVG heat map)')
      .argument('<sentence>', 'the sentence to translate')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)', PRETRAINED_CHECKPOINT)
      .option('--beams <n>', 'beam width (1: greedy)', integerOption(1, 64), 5)
      .option('--html <file>', 'also write an offline explorer page (@seqgen/interpret) with the attention matrix'),
    { seed: false, out: { description: 'the SVG to write', placeholder: 'file.svg' } },
  ).action(async (sentence: string, flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    const out = flags.out ?? 'attention.svg';
    await startBackend(flags);
    const result = await explainSentence({
      checkpoint: flags.checkpoint,
      sentence,
      beams: flags.beams,
      out,
      html: flags.html,
      force: flags.force,
      warn: (m) => output.warn(m),
    });
    output.result(result.translation);
    output.info(
      `attention of ${result.targetTokens.length} output × ${result.sourceTokens.length} source tokens → ${out}`,
    );
    if (flags.html) output.info(`explorer page → ${flags.html}`);
    output.printJson({ checkpoint: flags.checkpoint, sentence, svg: out, html: flags.html ?? null, ...result });
  });

  addCommonOptions(
    program
      .command('demo')
      .description('prepare the en→de catalog pairs, train briefly, translate and score (about 3 minutes)')
      .option('--minutes <m>', 'training budget', numberOption(0, 10, { openMin: true }), 1.5),
    { seed: false, out: false },
  ).action(async (flags) => {
    await startBackend(flags);
    await runDemo({ minutes: flags.minutes });
  });
  return program;
}

/** Runs the CLI; errors are one line on stderr and an exit code from the app kit's table. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}

await main(process.argv);
