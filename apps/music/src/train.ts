import { rmSync } from 'node:fs';
import {
  clockMs,
  fitInRun,
  InputError,
  plainLines,
  RunFolder,
  resumeRun,
  sizeRun,
  TimeBudget,
  type TrainingRunOptions,
  type TrainRunSummary,
  writeRunInfo,
} from '@seqgen/app-kit';
import { ConditionedLanguageModel, ConditionedStreamSource } from '@seqgen/models';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, StreamBatcher, type TrainerConfig } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { loadMusicModel, type MusicMetadata } from './checkpoint.js';
import { conditionedBatches, type EventNll, eventNll } from './event-batches.js';
import { augmentedDocuments, encodePiece, type MusicCodecs, musicCodecs } from './event-data.js';
import { readPieces } from './pieces.js';

/** The model's shape: a chord-conditioned recurrent language model over performance events. */
export type ModelOptions = {
  cell: 'lstm' | 'gru';
  layers: number;
  hidden: number;
  embedding: number;
  chordEmbedding: number;
  dropout: number;
};

/** Everything `train` takes. */
export type TrainOptions = ModelOptions &
  TrainingRunOptions & {
    /** Folder of MIDI files. */
    midi: string;
    seqLen: number;
    /** Transposition range in semitones (±). */
    transpose: number;
    /** Time-stretch amount (±, e.g. 0.05 for 5% slower and faster copies). */
    stretch: number;
    /** Share of training copies trained with no chords (N.C.), for generation without `--chords`. */
    noChordShare: number;
  };

/** What `train` reports. */
export type TrainSummary = TrainRunSummary & {
  /** Figures on the validation pieces after training (null when interrupted or when there are none). */
  valid: EventNll | null;
};

type RunRecord = {
  app: '@seqgen/app-music';
  command: 'train';
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress'>;
  maxSteps: number;
  validateEvery: number;
};

const CLI = 'seqgen-music';

/** The model a run's options describe. */
export function buildModel(o: ModelOptions & { seed: number }, codecs: MusicCodecs): ConditionedLanguageModel {
  return new ConditionedLanguageModel({
    vocabSize: codecs.events.vocabSize,
    conditionVocabSize: codecs.chords.vocabSize,
    embeddingSize: o.embedding,
    conditionEmbeddingSize: o.chordEmbedding,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    cell: o.cell,
    dropout: o.layers > 1 ? o.dropout : 0,
    // Magenta's Improv RNN reads the chord of the event it is about to play.
    conditionOn: 'next',
    seed: o.seed,
  });
}

/**
 * `train`: reads and splits the MIDI folder, augments the training pieces
 * (transposition, time stretch), trains in a staging folder beside `out` on
 * a time budget with validation, best weights and Ctrl-C → resumable
 * checkpoint, then publishes the checkpoint, its log and its loss curve.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const budget = new TimeBudget(options.minutes, options.clock ?? 'wall');
  const run = RunFolder.create(options.out, { force: options.force });
  try {
    const model = buildModel(options, musicCodecs());
    return await runTraining(options, run, model, budget, undefined);
  } finally {
    run.discard();
  }
}

/** `train --resume DIR`: continues an interrupted run exactly, from its `last/` checkpoint and `run.json`. */
export async function resumeTraining(
  dir: string,
  settings: { out?: string; force?: boolean; progress?: boolean; quiet?: boolean; output?: TrainOptions['output'] },
): Promise<TrainSummary> {
  return resumeRun<RunRecord, TrainSummary>(
    dir,
    settings,
    { name: '@seqgen/app-music', cli: CLI },
    async ({ record, run, out, last }) => {
      const loaded = await loadMusicModel(last, '--resume');
      const options: TrainOptions = {
        ...record.options,
        out,
        ...(settings.progress ? { progress: true } : {}),
        ...(settings.quiet ? { quiet: true } : {}),
        ...(settings.output ? { output: settings.output } : {}),
      };
      return await runTraining(options, run, loaded.model, new TimeBudget(undefined), record);
    },
  );
}

async function runTraining(
  options: TrainOptions,
  run: RunFolder,
  model: ConditionedLanguageModel,
  budget: TimeBudget,
  resumed: RunRecord | undefined,
): Promise<TrainSummary> {
  const output = options.output ?? plainLines();
  const started = performance.now();
  const codecs = musicCodecs();
  try {
    const split = readPieces(options.midi);
    if (split.train.length === 0)
      throw new InputError(`--midi ${options.midi}: no piece left to train on`, options.midi);
    const docs = augmentedDocuments(split.train, codecs, {
      transpose: options.transpose,
      stretch: options.stretch,
      noChordShare: options.noChordShare,
      seed: options.seed,
    });
    const lanes = Math.floor((docs.events - 1) / options.batch);
    if (lanes < options.seqLen) {
      throw new InputError(
        `--midi ${options.midi}: ${docs.events} training events are too few for --batch ${options.batch} --seq-len ${options.seqLen}`,
        options.midi,
      );
    }
    const validPieces = split.valid.map((p) => encodePiece(p.sequence, codecs));
    output.info(
      `${split.train.length} training pieces → ${docs.tokens.length} augmented copies, ${docs.events} events ` +
        `(transpose ±${options.transpose}, stretch ±${options.stretch}); ${split.valid.length} validation, ${split.heldOut.length} held-out pieces`,
    );
    const cut = { batchSize: options.batch, seqLength: options.seqLen, seed: options.seed };
    const data = new ConditionedStreamSource(
      new StreamBatcher({ documents: docs.tokens, ...cut }),
      new StreamBatcher({ documents: docs.conditions, ...cut }),
      { conditionOn: model.config.conditionOn },
    );
    const base: TrainerConfig = {
      optimizer: { type: 'adam', learningRate: options.lr },
      maxSteps: options.steps,
      seed: options.seed,
      clip: { type: 'norm', maxNorm: 5 },
      preprocessors: { events: codecs.events.toJSON(), chords: codecs.chords.toJSON() },
    };
    const { maxSteps, validateEvery } = await sizeRun({
      model: model,
      config: base,
      data: data,
      budget,
      steps: options.steps,
      ...(options.validateEvery !== undefined ? { validateEvery: options.validateEvery } : {}),
      ...(resumed ? { resumed } : {}),
      output,
    });
    const record: RunRecord = {
      app: '@seqgen/app-music',
      command: 'train',
      options: {
        midi: split.dir,
        cell: options.cell,
        layers: options.layers,
        hidden: options.hidden,
        embedding: options.embedding,
        chordEmbedding: options.chordEmbedding,
        dropout: options.dropout,
        ...(options.minutes !== undefined ? { minutes: options.minutes, clock: budget.clock } : {}),
        steps: options.steps,
        batch: options.batch,
        seqLen: options.seqLen,
        lr: options.lr,
        seed: options.seed,
        transpose: options.transpose,
        stretch: options.stretch,
        noChordShare: options.noChordShare,
        validateEvery,
      },
      maxSteps,
      validateEvery,
    };
    writeRunInfo(run.staging, record as unknown as Record<string, unknown>);
    const validation =
      validPieces.length > 0 ? conditionedBatches(model, validPieces, 8, Math.min(128, options.seqLen * 2)) : [];
    const fit = await fitInRun({
      cli: CLI,
      out: options.out,
      model,
      config: base,
      maxSteps,
      data,
      ...(validation.length > 0 ? { validation } : {}),
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
    const valid = validPieces.length > 0 ? await eventNll(model, validPieces) : null;
    const metadata: MusicMetadata = {
      app: '@seqgen/app-music',
      midi: split.dir,
      train: split.train.map((p) => p.file),
      heldOut: split.heldOut.map((p) => p.file),
      steps: fit.steps,
      seconds: Math.round(seconds),
      cpuSeconds: Math.round(clockMs('cpu') / 1000),
      backend: tf.getBackend(),
      ...(valid ? { validNllPerEvent: valid.nllPerEvent } : {}),
    };
    await model.save(run.staging, {
      preprocessors: { events: codecs.events, chords: codecs.chords },
      metadata: metadata as never,
    });
    // The published run keeps the model, not the trainer's resumable state.
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    run.publish();
    output.result(
      `trained ${fit.steps} steps in ${seconds.toFixed(0)} s` +
        (valid ? `; validation: ${valid.nllPerEvent.toFixed(4)} nats/event (${valid.events} events)` : ''),
    );
    output.result(
      `checkpoint written to ${options.out} (try: ${CLI} generate --checkpoint ${options.out} --chords "C G Am F")`,
    );
    return { out: options.out, steps: fit.steps, seconds, interrupted: false, valid };
  } finally {
    model.dispose();
  }
}
