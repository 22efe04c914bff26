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
  writeOutputFile,
} from '@seqgen/app-kit';
import { type Command, Option } from 'commander';
import { captionFiles } from './caption-files.js';
import { loadCaptioner, PRETRAINED_CHECKPOINT } from './captioner-checkpoint.js';
import { runDemo } from './demo-run.js';
import { evaluate } from './eval.js';
import { explainImage } from './explain.js';
import { readImageFile } from './image-input.js';
import { EVAL_SPLITS } from './scene-data.js';
import { resumeTraining, type TrainSummary, train } from './train.js';

const NAME = 'seqgen-caption';

/** What `--resume` takes from the run itself. */
const RUN_SETTINGS = [
  'attention',
  'encoder',
  'encoderLr',
  'hidden',
  'embedding',
  'attentionPenalty',
  'scenes',
  ...TRAINING_SETTINGS,
];

function summaryJson(s: TrainSummary): Record<string, unknown> {
  return trainSummaryJson(
    s,
    s.valid
      ? {
          examples: s.valid.scenes,
          metrics: { cider_d: s.valid.ciderD, bleu_4: s.valid.bleu4, nats_per_token: s.valid.loss },
        }
      : undefined,
  );
}

export function buildProgram(): Command {
  const program = createProgram(
    NAME,
    'Train, run and evaluate Show-Attend-and-Tell image captioners on scenes composed from Fashion-MNIST and MNIST.',
  );

  const trainCommand = addTrainingOptions(
    program
      .command('train')
      .description('compose scenes, train a captioner (or continue an interrupted run with --resume)')
      .addOption(
        new Option('--attention <kind>', 'soft attention over the feature map, or none')
          .choices(['bahdanau', 'none'])
          .default('bahdanau'),
      )
      .addOption(
        new Option('--encoder <init>', "the CNN's starting weights: the shipped Fashion-MNIST CNN or random")
          .choices(['pretrained', 'scratch'])
          .default('pretrained'),
      )
      .option('--encoder-lr <factor>', "the CNN's learning-rate factor (0: frozen)", numberOption(0, 10), 0)
      .option('--hidden <n>', 'decoder LSTM units', integerOption(4, 4096), 128)
      .option('--embedding <n>', 'word embedding width', integerOption(2, 4096), 64)
      .option('--attention-penalty <λ>', 'doubly stochastic attention regularization', numberOption(0, 100), 1)
      .option('--scenes <n>', 'training scenes to compose', integerOption(10, 1_000_000), 20_000),
    { batch: { default: 32, description: 'scenes per batch' }, steps: 1500, lr: 3e-3 },
  );
  addCommonOptions(trainCommand, {
    seed: { default: 1, description: 'seed of the scenes, weights and batches' },
    out: { description: 'run folder: checkpoint, train-log.jsonl, loss.svg (default: runs/caption)' },
    progress: true,
  }).action(async (flags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.resume) refuseOptions(command, RUN_SETTINGS, 'with --resume (the run continues with its own settings)');
    await startBackend(flags);
    let summary: TrainSummary;
    if (flags.resume) {
      summary = await resumeTraining(flags.resume, { ...resumeSettings(flags), output });
    } else {
      const { resume: _r, json: _j, backend: _b, ...rest } = flags;
      summary = await train({ ...rest, out: flags.out ?? 'runs/caption', output });
    }
    output.printJson(summaryJson(summary));
    if (summary.interrupted) throw interruptedTrainingError(summary);
  });

  addCommonOptions(
    program
      .command('caption')
      .description('caption PNG or JPEG images; with --out, one attention-overlay PNG per word')
      .argument('<images...>', 'image files (gray or color, any size: read as 56×56 gray)')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder)', PRETRAINED_CHECKPOINT)
      .option('--beams <n>', 'beam width (1: greedy)', integerOption(1, 64), 3),
    { seed: false, out: { description: 'folder for the attention overlays', placeholder: 'dir' } },
  ).action(async (images: string[], flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    // Every file is read and checked before the model is loaded or anything written.
    const files = images.map((name) => ({ name, ...readImageFile(name) }));
    await startBackend(flags);
    const run = await loadCaptioner(flags.checkpoint);
    try {
      const results = await captionFiles(run, files, { beams: flags.beams, overlayDir: flags.out, force: flags.force });
      for (const r of results) output.write(`${images.length > 1 ? `${r.image}\t` : ''}${r.caption}\n`);
      if (flags.out) {
        const n = results.reduce((k, r) => k + r.overlays.length, 0);
        output.info(
          run.model.config.attention === 'none'
            ? 'this captioner has no attention: no overlays written'
            : `${n} attention overlays → ${flags.out}`,
        );
      }
      output.printJson({ checkpoint: flags.checkpoint, beams: flags.beams, captions: results });
    } finally {
      run.model.dispose();
    }
  });

  addCommonOptions(
    program
      .command('explain')
      .description(
        'caption one image and show, per word, where the decoder attended over the 7×7 feature map, and the decoder units that track position and object words',
      )
      .argument('<image>', 'a PNG or JPEG image (read as 56×56 gray)')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder)', PRETRAINED_CHECKPOINT)
      .option('--beams <n>', 'beam width (1: greedy)', integerOption(1, 64), 3),
    {
      seed: false,
      out: {
        description: 'folder for attention.png (words × positions) and the per-word overlays',
        placeholder: 'dir',
      },
    },
  ).action(async (image: string, flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    const file = { name: image, ...readImageFile(image) };
    await startBackend(flags);
    const found = await explainImage({
      checkpoint: flags.checkpoint,
      image: file,
      beams: flags.beams,
      out: flags.out,
      force: flags.force,
    });
    output.result(found.caption);
    for (const w of found.words) {
      output.info(
        `  ${w.word.padEnd(10)} looked at row ${w.row}, column ${w.column} of ${found.grid.join('×')} (weight ${w.weight.toFixed(3)})`,
      );
    }
    for (const [feature, units] of Object.entries(found.units)) {
      const list = units.map((u) => `${u.unit} (r = ${u.correlation.toFixed(2)})`).join(', ');
      output.info(`${feature}: ${list || 'not in this caption, or every word is one'}`);
    }
    if (found.files.length > 0) output.info(`${found.files.length} pictures → ${flags.out}`);
    output.printJson(found);
  });

  addCommonOptions(
    program
      .command('eval')
      .description(
        'BLEU-1…4 and CIDEr-D on held-out scenes, beside the most-frequent-caption and nearest-neighbour baselines',
      )
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .addOption(
        new Option(
          '--split <name>',
          'test: new images of seen combinations; held-out: unseen object/position combinations',
        )
          .choices([...EVAL_SPLITS])
          .default('test'),
      )
      .option('--beams <n>', 'beam width (1: greedy)', integerOption(1, 64), 3)
      .option('--limit <n>', 'only the first N scenes', integerOption(1)),
    { seed: false, out: { description: 'also write the JSON report to this file', placeholder: 'file' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await evaluate(flags);
    const line = (m: typeof report.metrics) =>
      `BLEU-1 ${m.bleu_1.toFixed(3)} | BLEU-4 ${m.bleu_4.toFixed(3)} | CIDEr-D ${m.cider_d.toFixed(3)}`;
    output.result(`${line(report.metrics)} | ${report.examples} ${report.split} scenes (${report.decoding})`);
    for (const [name, b] of Object.entries(report.baselines)) output.result(`baseline ${name}: ${line(b)}`);
    for (const s of report.samples.slice(0, 3)) output.info(`  "${s.caption}"  (reference: "${s.references[0]}")`);
    const json = { ...report, seconds: Math.round(report.seconds * 10) / 10 };
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(json, null, 2)}\n`, { force: flags.force });
    output.printJson(json);
  });

  addCommonOptions(
    program
      .command('demo')
      .description(
        'train a small captioner briefly, caption test scenes with attention overlays, evaluate (≤ 3 minutes)',
      )
      .option('--minutes <m>', 'training budget', numberOption(0, 10, { openMin: true }), 1.5),
    { seed: false, out: { description: 'folder for the demo run and pictures (default: runs/demo)' } },
  ).action(async (flags) => {
    await startBackend(flags);
    await runDemo({ minutes: flags.minutes, out: flags.out ?? 'runs/demo', force: flags.force });
  });
  return program;
}

/** Runs the CLI; errors are one line on stderr and an exit code from the app kit's table. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}

await main(process.argv);
