import { rmSync } from 'node:fs';
import {
  clockMs,
  fitInRun,
  type Output,
  plainLines,
  RunFolder,
  resumeRun,
  sizeRun,
  TimeBudget,
  type TrainingRunOptions,
  type TrainRunSummary,
  writeRunInfo,
} from '@seqgen/app-kit';
import { CaptionBatchSource, Captioner, captionBatches } from '@seqgen/models';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, type TrainerConfig } from '@seqgen/trainer';
import { loadPretrainedEncoder } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { captionScenes } from './caption-scenes.js';
import { type CaptionerMetadata, loadCaptioner } from './captioner-checkpoint.js';
import { captionTokenizer, MODEL_INPUT_SIZE, toCaptionedImages, trainingScenes } from './scene-data.js';

/** The captioner's settings on the command line. */
export type ModelOptions = {
  /** `bahdanau` (soft attention) or `none`. */
  attention: 'bahdanau' | 'none';
  /** Start the encoder from the shipped Fashion-MNIST CNN or from random weights. */
  encoder: 'pretrained' | 'scratch';
  /** The encoder's learning-rate factor: 0 freezes it, 0.1 fine-tunes it gently, 1 trains it like the rest. */
  encoderLr: number;
  hidden: number;
  embedding: number;
  /** λ of the doubly stochastic attention penalty. */
  attentionPenalty: number;
};

/** Everything `train` takes. */
export type TrainOptions = ModelOptions &
  TrainingRunOptions & {
    /** Training scenes composed for the run. */
    scenes: number;
  };

/** How a run went: the trainer's summary and the validation figures. */
export type TrainSummary = TrainRunSummary & {
  /** Validation (greedy captions of the validation scenes); null when interrupted. */
  valid: { loss: number; ciderD: number; bleu4: number; scenes: number } | null;
};

type RunRecord = {
  app: '@seqgen/app-caption';
  command: 'train';
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress'>;
  maxSteps: number;
  validateEvery: number;
};

const CLI = 'seqgen-caption';
/** Validation scenes: for the best-weights choice and the figures printed after training. */
const VALID_SCENES = 100;

/** Builds the captioner a run's options describe (the pretrained encoder's weights copied in when asked). */
export async function buildCaptioner(o: ModelOptions & { seed: number }): Promise<Captioner> {
  const tokenizer = captionTokenizer();
  const model = Captioner.create({
    vocabSize: tokenizer.vocabSize,
    encoder: { inputHeight: MODEL_INPUT_SIZE, inputWidth: MODEL_INPUT_SIZE, inputChannels: 1, filters: [32, 64, 128] },
    embeddingSize: o.embedding,
    hiddenSize: o.hidden,
    attention: o.attention,
    attentionPenalty: o.attentionPenalty,
    padId: tokenizer.padId ?? 0,
    bosId: tokenizer.bosId ?? 2,
    eosId: tokenizer.eosId ?? 3,
    seed: o.seed,
  });
  if (o.encoder === 'pretrained') {
    const pretrained = await loadPretrainedEncoder();
    try {
      model.loadEncoderWeights(pretrained);
    } finally {
      pretrained.dispose();
    }
  }
  return model;
}

/**
 * `train`: composes the scenes, trains a {@link Captioner} in a staging
 * folder beside `out` with a time budget, validation, best-weights restore
 * and Ctrl-C → resumable checkpoint, then publishes the checkpoint, log and
 * loss curve.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const budget = new TimeBudget(options.minutes, options.clock ?? 'wall');
  const run = RunFolder.create(options.out, { force: options.force });
  try {
    const model = await buildCaptioner(options);
    return await runTraining(options, run, model, budget, undefined, options.output ?? plainLines());
  } finally {
    run.discard();
  }
}

/** `train --resume DIR`: continues an interrupted run exactly, from its `last/` checkpoint and `run.json`. */
export async function resumeTraining(
  dir: string,
  settings: { out?: string; force?: boolean; progress?: boolean; quiet?: boolean; output?: TrainOptions['output'] },
): Promise<TrainSummary> {
  const output = settings.output ?? plainLines();
  return resumeRun<RunRecord, TrainSummary>(
    dir,
    settings,
    { name: '@seqgen/app-caption', cli: CLI },
    async ({ record, run, out, last }) => {
      const loaded = await loadCaptioner(last, '--resume');
      const options: TrainOptions = {
        ...record.options,
        out,
        ...(settings.progress ? { progress: true } : {}),
        ...(settings.quiet ? { quiet: true } : {}),
      };
      return await runTraining(options, run, loaded.model, new TimeBudget(undefined), record, output);
    },
  );
}

async function runTraining(
  options: TrainOptions,
  run: RunFolder,
  model: Captioner,
  budget: TimeBudget,
  resumed: RunRecord | undefined,
  output: Pick<Output, 'info' | 'result'>,
): Promise<TrainSummary> {
  const started = performance.now();
  try {
    const tokenizer = captionTokenizer();
    const data = { seed: options.seed, train: options.scenes, valid: Math.min(VALID_SCENES, options.scenes) };
    const scenes = await trainingScenes(data);
    const ids = { padId: model.config.padId, bosId: model.config.bosId, eosId: model.config.eosId };
    const source = new CaptionBatchSource(toCaptionedImages(scenes.train, tokenizer), {
      batchSize: options.batch,
      seed: options.seed,
      ...ids,
    });
    const validBatches = captionBatches(toCaptionedImages(scenes.valid, tokenizer), { batchSize: 50, ...ids });
    output.info(
      `${scenes.train.count} training scenes (3 captions each), ${scenes.valid.count} validation scenes; ` +
        `encoder ${options.encoder}${options.encoderLr === 0 ? ', frozen' : `, learning rate ×${options.encoderLr}`}; attention ${options.attention}`,
    );
    const base: TrainerConfig = {
      optimizer: { type: 'adam', learningRate: options.lr },
      maxSteps: options.steps,
      seed: options.seed,
      clip: { type: 'norm', maxNorm: 5 },
      preprocessors: { tokenizer: tokenizer.toJSON() },
      ...(options.encoderLr === 0
        ? { freeze: ['encoder/**'] }
        : options.encoderLr !== 1
          ? { learningRateGroups: [{ match: 'encoder/**', factor: options.encoderLr }] }
          : {}),
    };
    const { maxSteps, validateEvery } = await sizeRun({
      model: model,
      config: base,
      data: source,
      budget,
      steps: options.steps,
      capAtSteps: true,
      ...(options.validateEvery !== undefined ? { validateEvery: options.validateEvery } : {}),
      ...(resumed ? { resumed } : {}),
      output,
    });
    const { output: _o, out: _out, force: _f, quiet: _q, progress: _p, ...settings } = options;
    const record: RunRecord = {
      app: '@seqgen/app-caption',
      command: 'train',
      options: settings,
      maxSteps,
      validateEvery,
    };
    writeRunInfo(run.staging, record as unknown as Record<string, unknown>);
    const fit = await fitInRun({
      cli: CLI,
      out: options.out,
      model,
      config: base,
      maxSteps,
      data: source,
      validation: validBatches,
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
      return { out: options.out, steps: fit.steps, seconds, interrupted: true, resume: fit.resume, valid: null };
    }
    const metadata: CaptionerMetadata = {
      app: '@seqgen/app-caption',
      encoderInit: options.encoder,
      encoderLr: options.encoderLr,
      data,
      steps: fit.steps,
      seconds: Math.round(seconds),
      cpuSeconds: Math.round(clockMs('cpu') / 1000),
      backend: tf.getBackend(),
    };
    const { loss } = model.evaluate(validBatches);
    const captioned = await captionScenes(model, tokenizer, scenes.valid, { beams: 1 });
    const valid = { loss, ciderD: captioned.scores.ciderD, bleu4: captioned.scores.bleu4, scenes: scenes.valid.count };
    await model.save(run.staging, { tokenizer, metadata: { ...metadata, valid } as never });
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    run.publish();
    output.result(
      `trained ${fit.steps} steps in ${seconds.toFixed(0)} s; validation: loss ${loss.toFixed(3)} nats/word, ` +
        `greedy CIDEr-D ${valid.ciderD.toFixed(3)}, BLEU-4 ${valid.bleu4.toFixed(3)} (${valid.scenes} scenes)`,
    );
    output.result(`checkpoint written to ${options.out} (try: ${CLI} eval --checkpoint ${options.out})`);
    return { out: options.out, steps: fit.steps, seconds, interrupted: false, valid };
  } finally {
    model.dispose();
  }
}
