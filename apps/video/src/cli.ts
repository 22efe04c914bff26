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
import { type Command, Option } from 'commander';
import { classifyClips } from './classify.js';
import { runDemo } from './demo-run.js';
import { type EvalTask, evaluate } from './eval.js';
import { explainClip } from './explain.js';
import { PRETRAINED_CLASSIFIER, PRETRAINED_FORECASTER } from './paths.js';
import { predictClip } from './predict.js';
import { summarizeClip } from './summarize.js';
import { resumeTraining, type TrainOptions, type TrainSummary, train } from './train.js';

const NAME = 'seqgen-video';

/** What `--resume` takes from the run itself. */
const RUN_SETTINGS = ['task', 'hidden', 'kernel', 'patch', 'valid', 'units', 'clips', ...TRAINING_SETTINGS];

function widths(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.length > 8 || !list.every((n) => Number.isInteger(n) && n >= 1 && n <= 512)) {
    throw new UsageError(`--hidden ${value}: expected 1 to 8 comma-separated widths in 1…512`);
  }
  return list;
}

type TrainFlags = Omit<TrainOptions, 'out' | 'output'> & {
  out?: string;
  resume?: string;
  json?: boolean;
  backend?: 'node' | 'wasm' | 'cpu';
};

function summaryJson(s: TrainSummary): Record<string, unknown> {
  return { task: s.task, ...trainSummaryJson(s, s.valid ?? undefined) };
}

/** The `seqgen-video` program. */
export function buildProgram(): Command {
  const program = createProgram(
    NAME,
    'Predict the next frames of a video with a ConvLSTM, classify motion with a bidirectional GRU over CNN frame features, and summarize clips by keyframes.',
  );

  const trainCommand = addTrainingOptions(
    program
      .command('train')
      .description(
        'train the frame forecaster (--task predict) or the motion classifier and its baseline (--task classify) on Moving MNIST',
      )
      .addOption(new Option('--task <task>', 'what to learn').choices(['predict', 'classify']).default('predict'))
      .option('--hidden <widths>', 'predict: ConvLSTM channels per layer, comma-separated', widths, [32, 32])
      .option('--kernel <k>', 'predict: convolution kernel size (odd)', integerOption(1, 15), 5)
      .option('--patch <p>', 'predict: space-to-depth patch size (divides 64)', integerOption(1, 16), 4)
      .option('--units <n>', 'classify: GRU units per direction', integerOption(1, 1024), 32)
      .option('--clips <n>', 'classify: labelled training clips (encoded once)', integerOption(1, 100_000), 1024)
      .option('--valid <n>', 'held-out validation sequences or clips', integerOption(1, 10_000), 64),
    { batch: { default: 8, description: 'sequences (predict) or clips (classify) per batch' }, steps: 1000, lr: 3e-3 },
  );
  addCommonOptions(trainCommand, {
    seed: { default: 1, description: 'seed of the weights and of the training stream' },
    out: { description: 'run folder: checkpoint, run.json, train-log.jsonl, loss.svg (default: runs/<task>)' },
    progress: true,
  }).action(async (flags: TrainFlags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.resume) refuseOptions(command, RUN_SETTINGS, 'with --resume (the run continues with its own settings)');
    if (flags.kernel % 2 === 0) throw new UsageError(`--kernel ${flags.kernel}: must be odd`);
    if (64 % flags.patch !== 0) throw new UsageError(`--patch ${flags.patch}: must divide 64`);
    await startBackend(flags);
    let summary: TrainSummary;
    if (flags.resume) summary = await resumeTraining(flags.resume, { ...resumeSettings(flags), output });
    else {
      const { resume: _r, json: _j, backend: _b, ...rest } = flags;
      summary = await train({ ...rest, out: flags.out ?? `runs/${flags.task}`, output });
    }
    output.printJson(summaryJson(summary));
    if (summary.interrupted) throw interruptedTrainingError(summary);
  });

  addCommonOptions(
    program
      .command('predict')
      .description('continue a clip: read its first frames, predict the next ones, write a GIF (truth | prediction)')
      .requiredOption(
        '--input <gif|dir>',
        'an animated GIF or a folder of PNG/JPEG frames (made gray, resized to 64×64)',
      )
      .option('--frames <n>', 'frames to predict', integerOption(1, 100), 10)
      .option(
        '--context <n>',
        'frames read; later input frames are the ground truth shown beside',
        integerOption(1, 100),
        10,
      )
      .option('--checkpoint <dir>', 'forecaster checkpoint or run folder', PRETRAINED_FORECASTER),
    { seed: false, out: { description: 'the GIF to write', placeholder: 'file.gif' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (!flags.out) throw new UsageError('--out <file.gif> is required');
    await startBackend(flags);
    const result = await predictClip({ ...flags, out: flags.out });
    if (result.resizedFrom) output.warn(`input frames of ${result.resizedFrom.join('×')} were resized to 64×64`);
    output.result(
      `${result.contextFrames} context + ${result.predictedFrames} predicted frames → ${result.out}` +
        (result.metrics
          ? ` (beside ${result.truthFrames} true frames: MSE per frame ${result.metrics.msePerFrame.toFixed(1)}, SSIM ${(result.metrics.ssim ?? 0).toFixed(3)})`
          : ''),
    );
    output.printJson({ ...result, checkpoint: flags.checkpoint, input: flags.input });
  });

  addCommonOptions(
    program
      .command('explain')
      .description(
        "which input frames the forecaster's first predicted frame comes from (integrated gradients), and the ConvLSTM channels that track the clip's motion",
      )
      .requiredOption(
        '--input <gif|dir>',
        'an animated GIF or a folder of PNG/JPEG frames (made gray, resized to 64×64)',
      )
      .option('--context <n>', 'frames read; the prediction after the last is explained', integerOption(2, 100), 10)
      .option('--ig-steps <n>', 'points on the integrated-gradients path', integerOption(1, 256), 32)
      .option('--checkpoint <dir>', 'forecaster checkpoint or run folder', PRETRAINED_FORECASTER),
    { seed: false, out: { description: 'folder for saliency.png (one cell per input frame)', placeholder: 'dir' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const found = await explainClip({ ...flags, steps: flags.igSteps });
    if (found.resizedFrom) output.warn(`input frames of ${found.resizedFrom.join('×')} were resized to 64×64`);
    const strip = found.attributions.map((a) => a.toFixed(4)).join(' ');
    output.result(`attribution of the first predicted frame's mean to frames 1–${found.context}: ${strip}`);
    output.result(
      `output ${found.output.toFixed(4)}, after black frames ${found.baselineOutput.toFixed(4)}, completeness gap ${found.completenessGap.toExponential(2)}`,
    );
    const units = found.units.map((u) => `${u.unit} (r = ${u.correlation.toFixed(2)})`).join(', ');
    output.result(`channels tracking the frame-to-frame change: ${units}`);
    if (found.files.length > 0) output.info(`saliency strip → ${found.files.join(', ')}`);
    output.printJson({ ...found, checkpoint: flags.checkpoint, input: flags.input });
  });

  addCommonOptions(
    program
      .command('classify')
      .description('classify the motion in clips (direction and bounce) with the BiGRU over pretrained CNN features')
      .argument('<clips...>', 'animated GIFs or folders of frames (64×64 gray after conversion)')
      .option('--checkpoint <dir>', 'classifier run folder or checkpoint', PRETRAINED_CLASSIFIER),
    { seed: false, out: false },
  ).action(async (clips: string[], flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const results = await classifyClips(clips, flags.checkpoint);
    for (const r of results) output.result(`${r.input}\t${r.label}\t${r.probability.toFixed(3)}`);
    output.printJson({ checkpoint: flags.checkpoint, clips: results });
  });

  addCommonOptions(
    program
      .command('summarize')
      .description(
        'pick the keyframes where the pretrained CNN features change direction most; write them as a contact-sheet PNG',
      )
      .requiredOption('--input <gif|dir>', 'an animated GIF or a folder of frames')
      .option('--keyframes <n>', 'keyframes to pick', integerOption(1, 100), 4)
      .option(
        '--checkpoint <dir>',
        'classifier run folder or checkpoint (its learned features)',
        PRETRAINED_CLASSIFIER,
      ),
    { seed: false, out: { description: 'the PNG to write', placeholder: 'file.png' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (!flags.out) throw new UsageError('--out <file.png> is required');
    await startBackend(flags);
    const s = await summarizeClip({ ...flags, out: flags.out, count: flags.keyframes });
    output.result(`keyframes ${s.keyframes.join(', ')} of ${s.frames} frames → ${s.out}`);
    output.printJson({ ...s });
  });

  addCommonOptions(
    program
      .command('eval')
      .description('score a checkpoint on held-out Moving MNIST beside simple baselines computed by the same command')
      .addOption(
        new Option('--task <task>', 'what to score').choices(['predict', 'classify', 'summarize']).default('predict'),
      )
      .option('--checkpoint <dir>', 'checkpoint or run folder (default: the shipped model of the task)')
      .option('--examples <n>', 'held-out sequences or clips', integerOption(1, 10_000), 256),
    { seed: false, out: { description: 'also write the JSON report to this file', placeholder: 'file' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await evaluate({
      task: flags.task as EvalTask,
      checkpoint: flags.checkpoint,
      examples: flags.examples,
    });
    const line = (m: Record<string, number>) =>
      Object.entries(m)
        .map(([k, v]) => `${k} ${v.toFixed(k === 'mse_per_frame' || k === 'mae_per_frame' ? 1 : 3)}`)
        .join(' | ');
    output.result(
      `${line(report.metrics)} (${report.examples} held-out ${report.task === 'predict' ? 'sequences' : 'clips'})`,
    );
    for (const [name, m] of Object.entries(report.baselines)) output.result(`baseline ${name}: ${line(m)}`);
    const json = { ...report, seconds: Math.round(report.seconds * 10) / 10 };
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(json, null, 2)}\n`, { force: flags.force });
    output.printJson(json);
  });

  addCommonOptions(
    program
      .command('demo')
      .description(
        'train a small forecaster briefly, predict a GIF, classify and summarize clips, and score (≤ 3 minutes)',
      )
      .option('--minutes <m>', 'forecaster training budget', numberOption(0, 10, { openMin: true }), 1.5),
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
