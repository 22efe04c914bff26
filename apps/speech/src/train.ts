import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  clockMs,
  fitInRun,
  InputError,
  type Output,
  plainLines,
  RunFolder,
  resumeRun,
  stepsForBudget,
  TimeBudget,
  type TrainingRunOptions,
  type TrainRunSummary,
  writeRunInfo,
} from '@seqgen/app-kit';
import {
  Tacotron,
  type TacotronBatch,
  TacotronBatchSource,
  type TacotronConfig,
  type TacotronUtterance,
  tacotronBatches,
} from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, type TrainerConfig } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { espeakPhonemes } from './espeak.js';
import { matrixToFrames, SPEECH_FEATURES } from './features.js';
import { type PrepareOptions, prepareCorpus } from './prepared-corpus.js';
import { openSpeechFolder, readClips, type SpeechClip, type SpeechFolder } from './speech-folder.js';
import { loadSpeechModel, type SpeechMetadata } from './speech-model.js';
import { characterTable, encodeSymbols, phonemeTable } from './symbols.js';

/** The Tacotron's size, as `train` options. */
export type SpeechModelOptions = {
  embedding: number;
  encoderUnits: number;
  decoderUnits: number;
  prenetUnits: number;
  attentionUnits: number;
  postnetChannels: number;
  reduction: number;
  guidedAttention: number;
};

/** Everything `train` needs. */
export type TrainOptions = SpeechModelOptions &
  TrainingRunOptions & {
    /** An LJSpeech-format folder; prepared from Moby-Dick with `prepare` when it has no metadata.csv yet. */
    data: string;
    prepare?: Omit<PrepareOptions, 'out' | 'force'>;
    phonemes: boolean;
    /** Longest training clip in frames (longer ones are left out). */
    maxFrames: number;
    /** Start from this speech checkpoint (its architecture and symbols) instead of new weights: fine-tuning. */
    from?: string;
    /** Scheduled sampling: the probability, reached by the end of the ramp, that a decoder step reads its own frames (0: off). */
    scheduledSampling?: number;
    /** Steps over which that probability rises linearly from 0 (default: half the run). */
    scheduledSamplingSteps?: number;
  };

/** What `train` reports. */
export type TrainSummary = TrainRunSummary & {
  /** Teacher-forced figures on the validation clips (null when interrupted). */
  valid: { melL1: number; stopAccuracy: number; guidedCost: number; clips: number } | null;
};

type RunRecord = {
  app: '@seqgen/app-speech';
  command: 'train';
  data: string;
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress' | 'prepare' | 'data'>;
  maxSteps: number;
  validateEvery: number;
};

const APP = '@seqgen/app-speech';
const CLI = 'seqgen-speech';

/** The clips a run trains and validates on, as symbol ids and frames. */
type Prepared = {
  folder: SpeechFolder;
  symbols: SeqgenTokenizer;
  train: TacotronUtterance[];
  valid: TacotronUtterance[];
  test: SpeechClip[];
};

function utterances(clips: readonly SpeechClip[], symbols: SeqgenTokenizer, phonemes: boolean): TacotronUtterance[] {
  return clips.map((c) => ({
    ids: encodeSymbols(
      symbols,
      phonemes ? espeakPhonemes(c.normalized) : c.normalized,
      phonemes ? 'phoneme' : 'character',
    ),
    mel: matrixToFrames(c.mel),
  }));
}

function prepareClips(folder: SpeechFolder, o: TrainOptions, symbols?: SeqgenTokenizer): Prepared {
  const longEnough = (c: SpeechClip) => c.mel.rows <= o.maxFrames && c.normalized.length > 0;
  const train = readClips(folder, folder.split.train, SPEECH_FEATURES).filter(longEnough);
  const valid = readClips(folder, folder.split.valid, SPEECH_FEATURES).filter(longEnough);
  const test = folder.split.test.map((id) => {
    const e = folder.entries.get(id) as { text: string; normalized: string };
    return { id, ...e, mel: { data: new Float32Array(0), rows: 0, cols: 0 } };
  });
  if (train.length === 0) throw new InputError(`${folder.dir}: no training clip is at most ${o.maxFrames} frames long`);
  const table =
    symbols ??
    (o.phonemes ? phonemeTable([...train, ...valid].map((c) => espeakPhonemes(c.normalized))) : characterTable());
  return {
    folder,
    symbols: table,
    train: utterances(train, table, o.phonemes),
    valid: utterances(valid, table, o.phonemes),
    test,
  };
}

/** The model a run's options describe. */
export function buildModel(o: SpeechModelOptions & { seed: number }, vocabSize: number): Tacotron {
  return Tacotron.create({
    vocabSize,
    melBins: SPEECH_FEATURES.nMels,
    reduction: o.reduction,
    embeddingSize: o.embedding,
    encoderConvLayers: 2,
    encoderUnits: o.encoderUnits,
    prenetUnits: o.prenetUnits,
    attentionUnits: o.attentionUnits,
    decoderUnits: o.decoderUnits,
    postnetLayers: 3,
    postnetChannels: o.postnetChannels,
    guidedAttentionWeight: o.guidedAttention,
    seed: o.seed,
  });
}

/** The `train` size options that rebuild `config` (what a fine-tuning run records). */
function modelOptionsOf(config: TacotronConfig): SpeechModelOptions {
  return {
    embedding: config.embeddingSize,
    encoderUnits: config.encoderUnits,
    decoderUnits: config.decoderUnits,
    prenetUnits: config.prenetUnits,
    attentionUnits: config.attentionUnits,
    postnetChannels: config.postnetChannels,
    reduction: config.reduction,
    guidedAttention: config.guidedAttentionWeight,
  };
}

/**
 * `train`: prepares (or reuses) the spoken corpus, trains a {@link Tacotron}
 * in a staging folder beside `out` with a time budget, validation,
 * best-weights restore and Ctrl-C → resumable checkpoint, then publishes the
 * checkpoint with the held-out test sentences in its metadata.
 */
export async function train(o: TrainOptions): Promise<TrainSummary> {
  const output = o.output ?? plainLines();
  const budget = new TimeBudget(o.minutes, o.clock ?? 'wall');
  const run = RunFolder.create(o.out, { force: o.force });
  try {
    // A folder with a metadata.csv is used as it is (a prepared corpus or the user's LJSpeech data).
    if (o.prepare && !existsSync(join(o.data, 'metadata.csv'))) {
      prepareCorpus({ ...o.prepare, out: o.data }, (line) => output.info(line));
    }
    const folder = openSpeechFolder(o.data);
    if (o.from) {
      const base = await loadSpeechModel(o.from, '--from');
      const phonemes = base.metadata.symbols === 'phoneme';
      const options = { ...o, ...modelOptionsOf(base.model.config), phonemes };
      let prepared: Prepared;
      try {
        prepared = prepareClips(folder, options, base.symbols);
      } catch (error) {
        base.model.dispose();
        throw error;
      }
      output.info(`fine-tuning ${base.path} (${base.metadata.steps} steps trained, ${base.metadata.symbols} symbols)`);
      return await runTraining(options, run, base.model, prepared, budget, undefined, output);
    }
    const prepared = prepareClips(folder, o);
    const model = buildModel(o, prepared.symbols.vocabSize);
    return await runTraining(o, run, model, prepared, budget, undefined, output);
  } finally {
    run.discard();
  }
}

/** `train --resume DIR`: continues an interrupted run exactly. */
export async function resumeTraining(
  dir: string,
  settings: { out?: string; force?: boolean; progress?: boolean; quiet?: boolean; output?: TrainOptions['output'] },
): Promise<TrainSummary> {
  const output = settings.output ?? plainLines();
  return resumeRun<RunRecord, TrainSummary>(
    dir,
    settings,
    { name: APP, cli: CLI },
    async ({ record, run, out, last }) => {
      const options: TrainOptions = {
        ...record.options,
        data: record.data,
        out,
        ...(settings.progress ? { progress: true } : {}),
        ...(settings.quiet ? { quiet: true } : {}),
      };
      // The trainer's last/ checkpoint holds the model and its symbol table; the speech metadata comes at the end.
      const loaded = await Tacotron.load(last);
      if (!loaded.tokenizer) {
        loaded.model.dispose();
        throw new InputError(`--resume ${dir}: its last/ checkpoint has no symbol table`, dir);
      }
      const prepared = prepareClips(openSpeechFolder(record.data), options, loaded.tokenizer);
      return await runTraining(options, run, loaded.model, prepared, new TimeBudget(undefined), record, output);
    },
  );
}

function validFigures(model: Tacotron, batches: TacotronBatch[] | undefined, clips: number): TrainSummary['valid'] {
  if (!batches) return null;
  return { ...model.evaluate(batches), clips };
}

async function runTraining(
  o: TrainOptions,
  run: RunFolder,
  model: Tacotron,
  data: Prepared,
  budget: TimeBudget,
  resumed: RunRecord | undefined,
  output: Pick<Output, 'info' | 'result'>,
): Promise<TrainSummary> {
  const started = performance.now();
  try {
    const c = model.config;
    const batches = tacotronBatches(data.train, { batchSize: o.batch, reduction: c.reduction, melBins: c.melBins });
    const source = new TacotronBatchSource(batches, { shuffle: true, seed: o.seed });
    const validBatches =
      data.valid.length > 0
        ? tacotronBatches(data.valid, { batchSize: 32, reduction: c.reduction, melBins: c.melBins })
        : undefined;
    const frames = data.train.reduce((n, u) => n + u.mel.length, 0);
    output.info(
      `${data.train.length} training clips (${((frames * SPEECH_FEATURES.hopLength) / SPEECH_FEATURES.sampleRate / 60).toFixed(1)} min of audio), ` +
        `${data.valid.length} validation, ${data.test.length} test; ${data.symbols.vocabSize} ${o.phonemes ? 'phoneme' : 'character'} symbols; ${batches.length} batches per epoch`,
    );
    const base: TrainerConfig = {
      optimizer: { type: 'adam', learningRate: o.lr },
      maxSteps: o.steps,
      seed: o.seed,
      bptt: 'full',
      clip: { type: 'norm', maxNorm: 1 },
      preprocessors: { tokenizer: data.symbols.toJSON() },
    };
    let maxSteps = resumed?.maxSteps ?? o.steps;
    if (!resumed && budget.limited) {
      const sized = await stepsForBudget(model, base, source, budget);
      maxSteps = sized.maxSteps;
      output.info(
        `budget ${o.minutes} min (${budget.clock} clock): ~${sized.secondsPerStep.toFixed(2)} s per step → up to ${maxSteps} steps`,
      );
    }
    const validateEvery = resumed?.validateEvery ?? o.validateEvery ?? Math.max(1, Math.round(maxSteps / 5));
    const sampling = o.scheduledSampling ?? 0;
    const samplingSteps = o.scheduledSamplingSteps ?? Math.max(1, Math.round(maxSteps / 2));
    if (sampling > 0) {
      // Exposure bias: free-running, the decoder reads its own blurred frames; train it on them too, more and more.
      base.teacherForcing = { type: 'linear', start: 1, end: 1 - sampling, steps: samplingSteps };
    }
    const record: RunRecord = {
      app: APP,
      command: 'train',
      data: resolve(o.data),
      options: {
        phonemes: o.phonemes,
        maxFrames: o.maxFrames,
        embedding: o.embedding,
        encoderUnits: o.encoderUnits,
        decoderUnits: o.decoderUnits,
        prenetUnits: o.prenetUnits,
        attentionUnits: o.attentionUnits,
        postnetChannels: o.postnetChannels,
        reduction: o.reduction,
        guidedAttention: o.guidedAttention,
        ...(o.from ? { from: resolve(o.from) } : {}),
        scheduledSampling: sampling,
        ...(sampling > 0 ? { scheduledSamplingSteps: samplingSteps } : {}),
        ...(o.minutes !== undefined ? { minutes: o.minutes, clock: budget.clock } : {}),
        steps: o.steps,
        batch: o.batch,
        lr: o.lr,
        seed: o.seed,
        validateEvery,
      },
      maxSteps,
      validateEvery,
    };
    writeRunInfo(run.staging, record as unknown as Record<string, unknown>);
    const fit = await fitInRun({
      cli: CLI,
      out: o.out,
      model,
      config: base,
      maxSteps,
      data: source,
      ...(validBatches ? { validation: validBatches } : {}),
      validateEvery,
      run,
      budget,
      output,
      resume: resumed !== undefined,
      quiet: o.quiet,
      progress: o.progress,
    });
    const seconds = (performance.now() - started) / 1000;
    if (fit.interrupted) {
      return { out: o.out, steps: fit.steps, seconds, interrupted: true, resume: fit.resume, valid: null };
    }
    const valid = validFigures(model, validBatches, data.valid.length);
    const metadata: SpeechMetadata = {
      app: APP,
      features: SPEECH_FEATURES,
      symbols: o.phonemes ? 'phoneme' : 'character',
      test: data.test.map(({ id, text, normalized }) => ({ id, text, normalized })),
      data: resolve(o.data),
      counts: { train: data.train.length, valid: data.valid.length, test: data.test.length },
      steps: fit.steps,
      seconds: Math.round(seconds),
      cpuSeconds: Math.round(clockMs('cpu') / 1000),
      backend: tf.getBackend(),
    };
    await model.save(run.staging, {
      tokenizer: data.symbols,
      metadata: { ...metadata, ...(valid ? { valid } : {}) } as never,
    });
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    run.publish();
    output.result(
      `trained ${fit.steps} steps in ${seconds.toFixed(0)} s` +
        (valid
          ? `; validation (teacher-forced): mel L1 ${valid.melL1.toFixed(3)}, stop accuracy ${valid.stopAccuracy.toFixed(3)}, guided-attention cost ${valid.guidedCost.toFixed(3)}`
          : ''),
    );
    output.result(
      `checkpoint written to ${o.out} (try: ${CLI} speak --checkpoint ${o.out} --text "Call me Ishmael." --out ishmael.wav)`,
    );
    return { out: o.out, steps: fit.steps, seconds, interrupted: false, valid };
  } finally {
    model.dispose();
  }
}
