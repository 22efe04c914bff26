import { cpSync, existsSync, rmSync } from 'node:fs';
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
import type { Seq2Seq, seq2seqBatches } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { BEST_CHECKPOINT, LAST_CHECKPOINT } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { loadTranslator, type TranslatorMetadata } from './checkpoint.js';
import { type PreparedData, type PrepareOptions, prepareData, protectPair, readPrepared } from './prepared-data.js';
import { scoreTranslations } from './scoring.js';
import type { Pair } from './sentence-pairs.js';
import { PLACEHOLDER_TOKENS } from './tokenizer-choice.js';
import { translateLines } from './translate.js';

/** The encoder-decoder's settings (the app kit's joint-vocabulary model). */
export type ModelOptions = Omit<JointSeq2SeqOptions, 'seed'>;

export interface TrainOptions extends ModelOptions, TrainingRunOptions {
  /** A folder written by `prepare`; without it the pairs are prepared into `<out>/data` from `prepare`. */
  data?: string;
  prepare?: Omit<PrepareOptions, 'out' | 'force'>;
  /** Longest source/target in tokens trained on (longer pairs are left out; longer input is cut at translation). */
  maxLen: number;
}

export interface TrainSummary extends TrainRunSummary {
  /** Held-out figures on the validation split (null when interrupted). */
  valid: { loss: number; perplexity: number; bleu: number; chrf: number; sentences: number } | null;
}

interface RunRecord {
  app: '@seqgen/app-translate';
  command: 'train';
  /** The prepared folder (absolute), or null for the run's own `data/`. */
  data: string | null;
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress' | 'data' | 'prepare'>;
  maxSteps: number;
  validateEvery: number;
}

const CLI = 'seqgen-translate';

/** Validation sentences translated (greedy) for the BLEU printed after training. */
const VALID_BLEU_SENTENCES = 200;

/** Token-id pairs the model trains on: placeholder-protected, non-empty source, both sides within `maxLen`. */
function encodePairs(pairs: readonly Pair[], tokenizer: SeqgenTokenizer, maxLen: number) {
  const out: { source: number[]; target: number[] }[] = [];
  for (const pair of pairs.map(protectPair)) {
    const source = tokenizer.encode(pair.source);
    const target = tokenizer.encode(pair.target);
    if (source.length > 0 && source.length <= maxLen && target.length < maxLen) out.push({ source, target });
  }
  return out;
}

/** Ids of source tokens that no training source holds (byte pieces of scripts the data lacks): `translate` warns about them. */
function unseenSourceIds(pairs: readonly { source: number[] }[], vocabSize: number): number[] {
  const seen = new Uint8Array(vocabSize);
  for (const p of pairs) for (const id of p.source) seen[id] = 1;
  const unseen: number[] = [];
  // Special tokens (<pad>, <unk>, <bos>, <eos>, placeholder slots) come first; only text pieces count.
  for (let id = 4 + PLACEHOLDER_TOKENS.length; id < vocabSize; id++) if (!seen[id]) unseen.push(id);
  return unseen;
}

/**
 * `train`: prepares the data (or reads `--data`), trains a {@link Seq2Seq} in
 * a staging folder beside `out` with a time budget, validation, best-weights
 * restore and Ctrl-C → resumable checkpoint, then publishes the checkpoint
 * with its test split, log and loss curve.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const output = options.output ?? plainLines();
  const budget = new TimeBudget(options.minutes, options.clock ?? 'wall');
  const run = RunFolder.create(options.out, { force: options.force });
  try {
    let data: PreparedData;
    if (options.data) data = readPrepared(options.data);
    else {
      if (!options.prepare) throw new InputError('train needs --data DIR or pairs to prepare');
      data = prepareData({ ...options.prepare, out: run.path('data') }, (line) => output.info(line));
    }
    const model = buildModel(options, data.tokenizer);
    return await runTraining(options, run, model, data, budget, undefined, output);
  } finally {
    run.discard();
  }
}

/** Builds the model a run's options describe, for the tokenizer's vocabulary. */
export function buildModel(o: ModelOptions & { seed: number }, tokenizer: SeqgenTokenizer): Seq2Seq {
  return buildJointSeq2Seq(o, tokenizer, CLI);
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
    { name: '@seqgen/app-translate', cli: 'seqgen-translate' },
    async ({ record, run, out, last }) => {
      const data = readPrepared(record.data ?? join(run.staging, 'data'));
      const loaded = await loadTranslator(last, '--resume');
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
  try {
    const trainPairs = encodePairs(data.splits.train, tokenizer, options.maxLen);
    const validPairs = encodePairs(data.splits.valid, tokenizer, options.maxLen);
    if (trainPairs.length === 0) {
      throw new InputError(`${data.dir}: no training pair fits --max-len ${options.maxLen}`, data.dir);
    }
    const fit = await fitSeq2SeqInRun({
      cli: CLI,
      out: options.out,
      model,
      tokenizer,
      train: trainPairs,
      valid: validPairs,
      describeData:
        `${trainPairs.length} training pairs (${data.splits.train.length - trainPairs.length} longer than ${options.maxLen} tokens left out), ` +
        `${validPairs.length} validation pairs, vocabulary ${tokenizer.vocabSize} (joint BPE)`,
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
        const record: RunRecord = {
          app: '@seqgen/app-translate',
          command: 'train',
          data: options.data ? resolve(options.data) : null,
          options: {
            cell: options.cell,
            attention: options.attention,
            layers: options.layers,
            hidden: options.hidden,
            embedding: options.embedding,
            bidirectional: options.bidirectional,
            inputFeeding: options.inputFeeding,
            dropout: options.dropout,
            labelSmoothing: options.labelSmoothing,
            ...(options.minutes !== undefined ? { minutes: options.minutes, clock: budget.clock } : {}),
            steps: options.steps,
            batch: options.batch,
            lr: options.lr,
            maxLen: options.maxLen,
            seed: options.seed,
            validateEvery,
          },
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
    const metadata: TranslatorMetadata = {
      app: '@seqgen/app-translate',
      source: data.record.source,
      target: data.record.target,
      maxSourceTokens: options.maxLen,
      unseenSourceIds: unseenSourceIds(trainPairs, tokenizer.vocabSize),
      data: data.record.origin,
      counts: data.record.counts,
      tokenizer: data.record.tokenizer,
      steps: fit.steps,
      seconds: Math.round(seconds),
      cpuSeconds: Math.round(clockMs('cpu') / 1000),
      backend: tf.getBackend(),
    };
    const validation = await validationFigures(model, tokenizer, metadata, fit.validation, data.splits.valid);
    await model.save(run.staging, {
      preprocessors: { source: tokenizer, target: tokenizer },
      metadata: { ...metadata, ...(validation ? { valid: validation } : {}) } as never,
    });
    // The published run keeps the model and its held-out test split (what `eval` scores), not the trainer's state.
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    if (!existsSync(run.path('test.tsv'))) cpSync(join(data.dir, 'test.tsv'), run.path('test.tsv'));
    run.publish();
    output.result(
      `trained ${fit.steps} steps in ${seconds.toFixed(0)} s` +
        (validation
          ? `; validation: loss ${validation.loss.toFixed(3)}, greedy BLEU ${validation.bleu.toFixed(2)}, chrF ${validation.chrf.toFixed(2)} (${validation.sentences} sentences)`
          : ''),
    );
    output.result(
      `checkpoint written to ${options.out} (try: seqgen-translate translate --checkpoint ${options.out} "Save file")`,
    );
    return { out: options.out, steps: fit.steps, seconds, interrupted: false, valid: validation };
  } finally {
    model.dispose();
  }
}

async function validationFigures(
  model: Seq2Seq,
  tokenizer: SeqgenTokenizer,
  metadata: TranslatorMetadata,
  batches: ReturnType<typeof seq2seqBatches> | undefined,
  pairs: readonly Pair[],
): Promise<TrainSummary['valid']> {
  if (!batches || pairs.length === 0) return null;
  const { loss, perplexity } = model.evaluate(batches);
  const sample = pairs.slice(0, VALID_BLEU_SENTENCES);
  const translations = await translateLines(
    { model, source: tokenizer, target: tokenizer, metadata, path: '' },
    sample.map((p) => p.source),
    { beams: 1, nBest: 1, warn: () => {} },
  );
  const scores = scoreTranslations(
    translations.map((t) => t.candidates[0]?.text ?? ''),
    sample.map((p) => p.target),
  );
  return { loss, perplexity, bleu: scores.bleu, chrf: scores.chrf, sentences: sample.length };
}
