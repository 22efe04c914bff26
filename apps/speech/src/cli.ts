import {
  addCommonOptions,
  addTrainingOptions,
  createProgram,
  integerOption,
  interruptedTrainingError,
  numberOption,
  Output,
  refuseOptions,
  resumeSettings,
  runProgram,
  startBackend,
  TRAINING_SETTINGS,
  trainSummaryJson,
  UsageError,
  writeOutputFile,
} from '@seqgen/app-kit';
import type { Command } from 'commander';
import { runDemo } from './demo-run.js';
import { evaluate, PRETRAINED_CHECKPOINT } from './eval.js';
import { explainSpeech } from './explain.js';
import { prepareCorpus } from './prepared-corpus.js';
import { speakToFiles } from './speak-files.js';
import { loadSpeechModel } from './speech-model.js';
import { resumeTraining, type TrainSummary, train } from './train.js';

const NAME = 'seqgen-speech';

/** Options that choose and split the spoken corpus (`prepare`, and `train` when --data is not prepared yet). */
function corpusOptions(command: Command): Command {
  return command
    .option('--sentences <n>', 'training sentences (at most)', integerOption(1), 1200)
    .option('--valid <n>', 'sentences held out for validation', integerOption(1), 30)
    .option('--test <n>', 'sentences held out for the test set', integerOption(1), 30)
    .option('--min-chars <n>', 'shortest sentence, in normalized characters', integerOption(1), 12)
    .option('--max-chars <n>', 'longest sentence, in normalized characters', integerOption(2, 2000), 48);
}

type CorpusFlags = { sentences: number; valid: number; test: number; minChars: number; maxChars: number };

function prepareOptionsOf(flags: CorpusFlags & { seed: number }) {
  return {
    train: flags.sentences,
    valid: flags.valid,
    test: flags.test,
    minChars: flags.minChars,
    maxChars: flags.maxChars,
    seed: flags.seed,
  };
}

const CORPUS_SETTINGS = ['sentences', 'valid', 'test', 'minChars', 'maxChars'];
const MODEL_SETTINGS = [
  'phonemes',
  'embedding',
  'encoderUnits',
  'decoderUnits',
  'prenetUnits',
  'attentionUnits',
  'postnetChannels',
  'reduction',
  'guidedAttention',
  'maxFrames',
];
const SAMPLING_SETTINGS = ['scheduledSampling', 'scheduledSamplingSteps'];
const RUN_SETTINGS = [
  'data',
  'from',
  ...CORPUS_SETTINGS,
  ...MODEL_SETTINGS,
  ...SAMPLING_SETTINGS,
  ...TRAINING_SETTINGS,
];
/** What a fine-tuning run takes from its checkpoint. */
const ARCHITECTURE_SETTINGS = MODEL_SETTINGS.filter((s) => s !== 'maxFrames');

function summaryJson(s: TrainSummary): Record<string, unknown> {
  return trainSummaryJson(
    s,
    s.valid
      ? {
          examples: s.valid.clips,
          metrics: {
            mel_l1: s.valid.melL1,
            stop_accuracy: s.valid.stopAccuracy,
            guided_attention_cost: s.valid.guidedCost,
          },
        }
      : undefined,
  );
}

export function buildProgram(): Command {
  const program = createProgram(
    NAME,
    'Speak a real corpus with espeak-ng, train a Tacotron-style text-to-speech model, speak text to WAV and evaluate it.',
  );

  addCommonOptions(
    corpusOptions(
      program
        .command('prepare')
        .description(
          'speak Moby-Dick sentences with espeak-ng into an LJSpeech-format folder (metadata.csv, wavs/, split.json)',
        ),
    ),
    {
      seed: { default: 1, description: 'seed of the split' },
      out: { description: 'the corpus folder (default: data/moby-espeak)' },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    const out = flags.out ?? 'data/moby-espeak';
    const record = prepareCorpus({ ...prepareOptionsOf(flags), out, force: flags.force }, (line) => output.info(line));
    output.result(
      `${record.train.length} training, ${record.valid.length} validation and ${record.test.length} test sentences → ${out}`,
    );
    output.printJson({ out, train: record.train.length, valid: record.valid.length, test: record.test.length });
  });

  const trainCommand = addTrainingOptions(
    corpusOptions(
      program
        .command('train')
        .description('train a Tacotron on a speech folder (or continue an interrupted run with --resume)')
        .option(
          '--data <dir>',
          'an LJSpeech-format folder (metadata.csv + wavs/); a missing one is prepared from Moby-Dick with espeak-ng',
          'data/moby-espeak',
        )
        .option('--phonemes', 'read espeak-ng phonemes (-x) of the text instead of its characters', false)
        .option(
          '--embedding <n>',
          'symbol embedding width (and encoder convolution channels)',
          integerOption(1, 4096),
          96,
        )
        .option('--encoder-units <n>', 'units per direction of the encoder BiLSTM', integerOption(1, 4096), 64)
        .option('--decoder-units <n>', 'decoder LSTM units', integerOption(1, 4096), 192)
        .option('--prenet-units <n>', 'pre-net units', integerOption(1, 4096), 96)
        .option('--attention-units <n>', 'location-sensitive attention units', integerOption(1, 4096), 64)
        .option('--postnet-channels <n>', 'post-net channels', integerOption(1, 4096), 64)
        .option('--reduction <r>', 'mel frames per decoder step', integerOption(1, 8), 3)
        .option('--guided-attention <w>', 'weight of the guided-attention loss (0: off)', numberOption(0, 100), 2)
        .option('--max-frames <n>', 'longest training clip in frames (longer ones are left out)', integerOption(2), 400)
        .option('--from <checkpoint>', 'fine-tune this speech checkpoint (its size and symbols) instead of new weights')
        .option(
          '--scheduled-sampling <p>',
          'probability that a decoder step reads its own previous frames instead of the recorded ones, reached by the end of the ramp (0: teacher forcing)',
          numberOption(0, 1),
          0,
        )
        .option(
          '--scheduled-sampling-steps <n>',
          'steps over which that probability rises linearly from 0 (default: half the run)',
          integerOption(1),
        ),
    ),
    { batch: { default: 16, description: 'clips per batch (bucketed by length)' }, steps: 600, lr: 2e-3 },
  );
  addCommonOptions(trainCommand, {
    seed: { default: 1, description: 'seed of the split, weights and batches' },
    out: { description: 'run folder: checkpoint, train-log.jsonl, loss.svg (default: runs/speech)' },
    progress: true,
  }).action(async (flags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.resume) refuseOptions(command, RUN_SETTINGS, 'with --resume (the run continues with its own settings)');
    if (flags.from)
      refuseOptions(command, ARCHITECTURE_SETTINGS, 'with --from (the model and its symbols come from the checkpoint)');
    await startBackend(flags);
    let summary: TrainSummary;
    if (flags.resume) summary = await resumeTraining(flags.resume, { ...resumeSettings(flags), output });
    else {
      summary = await train({
        ...flags,
        out: flags.out ?? 'runs/speech',
        prepare: prepareOptionsOf(flags),
        output,
      });
    }
    output.printJson(summaryJson(summary));
    if (summary.interrupted) throw interruptedTrainingError(summary);
  });

  addCommonOptions(
    program
      .command('speak')
      .description('speak text to a WAV, with mel-spectrogram and attention-alignment PNGs beside it')
      .requiredOption(
        '--text <text>',
        'what to say (numbers and abbreviations are spelled out; long text is split into sentences)',
      )
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)', PRETRAINED_CHECKPOINT)
      .option('--max-frames-per-symbol <n>', 'the maximum-length guard (default: the model’s)', numberOption(1, 10_000))
      .option('--iterations <n>', 'Griffin-Lim iterations', integerOption(1, 1000), 32),
    {
      seed: false,
      out: { description: 'the WAV to write (also <name>.mel.png and <name>.alignment.png)', placeholder: 'file.wav' },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (!flags.out) throw new UsageError('speak needs --out FILE.wav');
    await startBackend(flags);
    const result = await speakToFiles({
      checkpoint: flags.checkpoint,
      text: flags.text,
      out: flags.out,
      force: flags.force,
      iterations: flags.iterations,
      ...(flags.maxFramesPerSymbol !== undefined ? { maxFramesPerSymbol: flags.maxFramesPerSymbol } : {}),
    });
    for (const i of result.guarded)
      output.warn(`piece ${i + 1} ("${result.pieces[i]}") hit the maximum-length guard before its stop token`);
    output.result(
      `${result.audioSeconds.toFixed(2)} s of speech (${result.pieces.length} piece${result.pieces.length === 1 ? '' : 's'}) in ${result.seconds.toFixed(2)} s (real-time factor ${result.realTimeFactor.toFixed(2)}; ${result.cpuRealTimeFactor.toFixed(2)} per CPU second) → ${flags.out}`,
    );
    output.info(`mel spectrogram → ${result.melPng}; attention alignment → ${result.alignmentPngs.join(', ')}`);
    output.printJson({ checkpoint: flags.checkpoint, ...result });
  });

  addCommonOptions(
    program
      .command('eval')
      .description(
        'mel L1, MCD, stop accuracy, alignment and pocketsphinx WER on held-out sentences, beside the espeak-ng reference and its Griffin-Lim vocoder floor',
      )
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .option('--limit <n>', 'only the first N test sentences', integerOption(1))
      .option('--max-frames-per-symbol <n>', 'the maximum-length guard (default: the model’s)', numberOption(1, 10_000))
      .option('--iterations <n>', 'Griffin-Lim iterations', integerOption(1, 1000), 32),
    { seed: false, out: { description: 'also write the JSON report to this file', placeholder: 'file' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await evaluate({
      checkpoint: flags.checkpoint,
      limit: flags.limit,
      iterations: flags.iterations,
      maxFramesPerSymbol: flags.maxFramesPerSymbol,
    });
    const m = report.metrics;
    output.result(
      `mel L1 ${m.mel_l1.toFixed(3)} | MCD ${m.mcd_db.toFixed(2)} dB (teacher-forced ${m.mcd_db_teacher_forced.toFixed(2)}) | stop accuracy ${m.stop_accuracy.toFixed(3)} | diagonal ${m.alignment_diagonality.toFixed(3)} | WER ${m.wer.toFixed(3)} | RTF ${m.real_time_factor.toFixed(2)} | ${report.examples} test sentences`,
    );
    for (const [name, b] of Object.entries(report.baselines)) {
      output.result(
        `baseline ${name}: mel L1 ${b.mel_l1.toFixed(3)} | MCD ${b.mcd_db.toFixed(2)} dB | WER ${b.wer.toFixed(3)}`,
      );
    }
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(report, null, 2)}\n`, { force: flags.force });
    output.printJson(report);
  });

  addCommonOptions(
    program
      .command('explain')
      .description(
        "speak the first sentence of --text, trace the decoder over it and list the units that follow the attention's progress through the text, the attended symbol, its sharpness and the stop token",
      )
      .requiredOption('--text <text>', 'what to say (its first sentence is traced)')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)', PRETRAINED_CHECKPOINT)
      .option('--top <n>', 'units listed per feature', integerOption(1, 100), 3),
    { seed: false, out: false },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const sm = await loadSpeechModel(flags.checkpoint);
    try {
      const report = await explainSpeech(sm, flags.text, flags.top);
      output.result(`"${report.text}": ${report.symbols} symbols, ${report.steps} decoder steps`);
      for (const f of report.features) {
        output.result(`${f.feature}: ${f.units.map((u) => `${u.name} (r = ${u.correlation.toFixed(3)})`).join(', ')}`);
      }
      output.printJson({ checkpoint: flags.checkpoint, ...report });
    } finally {
      sm.model.dispose();
    }
  });

  addCommonOptions(
    program
      .command('demo')
      .description(
        'speak a small Moby-Dick corpus, train briefly, speak with it and with the shipped model, evaluate (about 3 minutes)',
      )
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
