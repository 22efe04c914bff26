import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  buildJointSeq2Seq,
  clockMs,
  fitSeq2SeqInRun,
  InputError,
  type JointSeq2SeqOptions,
  type Output,
  plainLines,
  RunFolder,
  resumeRun,
  TimeBudget,
  type TrainingRunOptions,
  type TrainRunSummary,
  writeRunInfo,
} from '@seqgen/app-kit';
import type { Seq2Seq, Seq2SeqEncoderType } from '@seqgen/models';
import type { ContextFormat } from '@seqgen/text';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { BEST_CHECKPOINT, LAST_CHECKPOINT } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { type ChatbotMetadata, loadChatbot } from './checkpoint.js';
import { encodeExamples } from './examples.js';
import { type PreparedData, type PrepareOptions, prepareData, readPrepared } from './prepared-data.js';

/** The encoder-decoder's settings (the app kit's joint-vocabulary model; input feeding always on). */
export type ModelOptions = Omit<JointSeq2SeqOptions, 'seed' | 'inputFeeding' | 'encoderType' | 'turnSeparatorId'> & {
  /**
   * `flat` (default): one encoder over the context's tokens; `hierarchical`: each turn (a line of the
   * context) encoded on its own, then a turn encoder over the turns.
   */
  encoder?: Seq2SeqEncoderType;
};

export interface TrainOptions extends ModelOptions, TrainingRunOptions {
  /** A folder written by `prepare`; without it the data are prepared into `<out>/data` from `prepare`. */
  data?: string;
  prepare?: Omit<PrepareOptions, 'out' | 'force'>;
  /** Context turns and how they are written. */
  turns: number;
  format: ContextFormat;
  maxContext: number;
  maxReply: number;
}

export interface TrainSummary extends TrainRunSummary {
  /** Teacher-forced loss on the validation split (null when interrupted or without one). */
  valid: { loss: number; perplexity: number; examples: number } | null;
}

interface RunRecord {
  app: '@seqgen/app-chat';
  command: 'train';
  data: string | null;
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress' | 'data' | 'prepare'>;
  maxSteps: number;
  validateEvery: number;
}

const APP = '@seqgen/app-chat';
const CLI = 'seqgen-chat';

/** Builds the model a run's options describe; one vocabulary (and so one BPE) on both sides. */
export function buildModel(o: ModelOptions & { seed: number }, tokenizer: SeqgenTokenizer): Seq2Seq {
  const { encoder = 'flat', ...rest } = o;
  const hierarchy =
    encoder === 'hierarchical' ? { encoderType: encoder, turnSeparatorId: turnSeparatorId(tokenizer) } : {};
  return buildJointSeq2Seq({ ...rest, inputFeeding: true, ...hierarchy }, tokenizer, CLI);
}

/** The context's turns are lines (`formatContext`): the newline is the turn separator, and must be one token. */
function turnSeparatorId(tokenizer: SeqgenTokenizer): number {
  const ids = tokenizer.encode('\n');
  if (ids.length !== 1) {
    throw new InputError(
      `--encoder hierarchical needs the newline to be one token; this tokenizer gives ${ids.length}`,
    );
  }
  return ids[0] as number;
}

/**
 * `train`: prepares the data (or reads `--data`), builds (context, reply)
 * examples from the training conversations, trains a {@link Seq2Seq} in a
 * staging folder beside `out` with a time budget, validation, best-weights
 * restore and Ctrl-C → resumable checkpoint, then publishes the checkpoint
 * with its held-out `test.jsonl`.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const output = options.output ?? plainLines();
  const budget = new TimeBudget(options.minutes, options.clock ?? 'wall');
  const run = RunFolder.create(options.out, { force: options.force });
  try {
    let data: PreparedData;
    if (options.data) data = readPrepared(options.data);
    else {
      if (!options.prepare) throw new InputError('train needs --data DIR or dialogue to prepare');
      data = prepareData({ ...options.prepare, out: run.path('data') }, (line) => output.info(line));
    }
    const model = buildModel(options, data.tokenizer);
    return await runTraining(options, run, model, data, budget, undefined, output);
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
    { name: APP, cli: CLI },
    async ({ record, run, out, last }) => {
      const data = readPrepared(record.data ?? join(run.staging, 'data'));
      const loaded = await loadChatbot(last, '--resume');
      const options: TrainOptions = {
        ...record.options,
        out,
        ...(record.data ? { data: record.data } : {}),
        ...(settings.progress ? { progress: true } : {}),
        ...(settings.quiet ? { quiet: true } : {}),
      };
      return await runTraining(options, run, loaded.model, data, new TimeBudget(undefined), record, output);
    },
  );
}

async function runTraining(
  options: TrainOptions,
  run: RunFolder,
  model: Seq2Seq,
  data: PreparedData,
  budget: TimeBudget,
  resumed: RunRecord | undefined,
  output: Pick<Output, 'info' | 'result'>,
): Promise<TrainSummary> {
  const started = performance.now();
  const { tokenizer } = data;
  const settings = {
    turns: options.turns,
    format: options.format,
    maxContextTokens: options.maxContext,
    maxReplyTokens: options.maxReply,
  };
  try {
    const trainSet = encodeExamples(data.splits.train, tokenizer, settings);
    const validSet = encodeExamples(data.splits.valid, tokenizer, settings);
    if (trainSet.examples.length === 0) {
      throw new InputError(`${data.dir}: no training reply fits --max-reply ${options.maxReply}`, data.dir);
    }
    const fit = await fitSeq2SeqInRun({
      cli: CLI,
      out: options.out,
      model,
      tokenizer,
      train: trainSet.examples,
      valid: validSet.examples,
      describeData:
        `${trainSet.examples.length} training replies (${trainSet.tooLong} longer than ${options.maxReply} tokens left out), ` +
        `${validSet.examples.length} validation replies, context: last ${options.turns} turns, ${options.format}`,
      batch: options.batch,
      lr: options.lr,
      steps: options.steps,
      seed: options.seed,
      ...(options.validateEvery !== undefined ? { validateEvery: options.validateEvery } : {}),
      ...(resumed ? { resumed } : {}),
      run,
      budget,
      output,
      quiet: options.quiet,
      progress: options.progress,
      record: ({ maxSteps, validateEvery }) => {
        const { output: _o, out: _out, force: _f, quiet: _q, progress: _p, data: _d, prepare: _pr, ...kept } = options;
        const record: RunRecord = {
          app: APP,
          command: 'train',
          data: options.data ? resolve(options.data) : null,
          options: { ...kept, ...(options.minutes !== undefined ? { clock: budget.clock } : {}), validateEvery },
          maxSteps,
          validateEvery,
        };
        writeRunInfo(run.staging, record as unknown as Record<string, unknown>);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (fit.interrupted) {
      return { out: options.out, steps: fit.steps, seconds, interrupted: true, resume: fit.resume, valid: null };
    }
    const valid = fit.validation ? { ...model.evaluate(fit.validation), examples: validSet.examples.length } : null;
    const metadata: ChatbotMetadata = {
      app: APP,
      ...settings,
      data: data.record.origin,
      sources: data.record.sources,
      counts: data.record.counts,
      steps: fit.steps,
      seconds: Math.round(seconds),
      cpuSeconds: Math.round(clockMs('cpu') / 1000),
      backend: tf.getBackend(),
      ...(valid ? { valid: { loss: valid.loss, perplexity: valid.perplexity } } : {}),
    };
    await model.save(run.staging, {
      preprocessors: { source: tokenizer, target: tokenizer },
      metadata: metadata as never,
    });
    // The published run keeps the model and its held-out test split (what `eval` scores), not the trainer's state.
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    cpSync(join(data.dir, 'test.jsonl'), run.path('test.jsonl'));
    cpSync(join(data.dir, 'train.jsonl'), run.path('train.jsonl'));
    run.publish();
    output.result(
      `trained ${fit.steps} steps in ${seconds.toFixed(0)} s` +
        (valid ? `; validation: ${valid.loss.toFixed(3)} nats/token, perplexity ${valid.perplexity.toFixed(2)}` : ''),
    );
    output.result(`checkpoint written to ${options.out} (try: seqgen-chat chat --checkpoint ${options.out})`);
    return {
      out: options.out,
      steps: fit.steps,
      seconds,
      interrupted: false,
      valid: valid ? { loss: valid.loss, perplexity: valid.perplexity, examples: valid.examples } : null,
    };
  } finally {
    model.dispose();
  }
}
