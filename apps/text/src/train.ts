import { rmSync } from 'node:fs';
import {
  clockMs,
  describeVocabularyChange,
  InputError,
  type Output,
  plainLines,
  RunFolder,
  resumeRun,
  sizeRun,
  stopOnInterrupt,
  TimeBudget,
  type TrainRunSummary,
  transferVocabulary,
  writeRunInfo,
} from '@seqgen/app-kit';
import { RecurrentLanguageModel, type RecurrentLMOptions } from '@seqgen/models';
import { generate } from '@seqgen/samplers';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import {
  BEST_CHECKPOINT,
  BestWeights,
  LAST_CHECKPOINT,
  streamBatches,
  Trainer,
  type TrainerConfig,
  type VocabularyReport,
} from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { loadLanguageModel } from './checkpoint.js';
import { corpusLimit, HELD_OUT_FRACTION, readCorpus, splitHeldOut } from './corpus.js';
import { type HeldOutMetrics, heldOutMetrics } from './evaluate.js';
import { openShards, shardCorpus, shardTokenizer } from './shard-corpus.js';
import { buildTokenizer, type TokenizerKind, tokenizerKind, UNK, vocabulary } from './tokenizer-choice.js';
import { memoryCorpus, type TrainingCorpus } from './training-corpus.js';

export interface TrainOptions {
  /** Text corpus read into memory (one of `corpus` and `shards`). */
  corpus?: string;
  /** Token shard folder from `seqgen-text tokenize`, streamed from disk with bounded memory. */
  shards?: string;
  /** Most MiB the corpus may hold (default 512). */
  maxCorpusMb?: number;
  out: string;
  tokenizer: TokenizerKind;
  cell: 'lstm' | 'gru' | 'rnn';
  layers: number;
  hidden: number;
  embedding: number;
  dropout: number;
  /** Time budget in minutes; wins over `steps` when set. */
  minutes?: number;
  /** What `minutes` counts: wall-clock time (default) or this process's CPU time (steady on a busy machine). */
  clock?: 'wall' | 'cpu';
  steps: number;
  seqLen: number;
  batch: number;
  lr: number;
  seed: number;
  /** Validate (and print a sample) every N steps; default: ten times per run. */
  validateEvery?: number;
  /** Characters of each periodic sample (0: none). */
  sampleLength: number;
  /** Draw the trainer's progress bar even when stderr is not a terminal. */
  progress?: boolean;
  /** No progress bar or information lines. */
  quiet?: boolean;
  /** Replace an existing run at `out`. */
  force?: boolean;
  /** Fine-tuning: the pretrained checkpoint to start from (its architecture and tokenizer type are kept). */
  from?: string;
  /** Where progress lines and results go (default: stderr / stdout). */
  output?: Pick<Output, 'info' | 'result'>;
}

/** `train`'s result: the kit's run summary and the held-out figures. */
export type TrainSummary = TrainRunSummary & {
  /** Null when the run was interrupted (it saved a resumable checkpoint instead). */
  heldOut: HeldOutMetrics | null;
  vocabulary?: VocabularyReport;
};

/** What `run.json` records: every option, and the step count the run was sized to. */
interface RunRecord {
  app: '@seqgen/app-text';
  command: 'train' | 'finetune';
  options: Omit<TrainOptions, 'output' | 'out' | 'force' | 'quiet' | 'progress'>;
  maxSteps: number;
  validateEvery: number;
}

/** The architecture flags as the language model's options (dropout only between layers). */
export function lmOptions(
  options: Pick<TrainOptions, 'embedding' | 'hidden' | 'layers' | 'cell' | 'dropout' | 'seed'>,
  vocabSize: number,
): RecurrentLMOptions {
  return {
    vocabSize,
    embeddingSize: options.embedding,
    hiddenSize: options.hidden,
    numLayers: options.layers,
    cell: options.cell,
    dropout: options.layers > 1 ? options.dropout : 0,
    seed: options.seed,
  };
}

/** A new model of the flags' architecture for `tokenizer`'s vocabulary. */
function freshModel(options: TrainOptions, tokenizer: SeqgenTokenizer) {
  return {
    model: new RecurrentLanguageModel(lmOptions(options, tokenizer.vocabSize)),
    tokenizer,
    vocabulary: undefined,
  };
}

/** `train --shards`: the tokenizer comes from the shard manifest (so generate/eval work on the checkpoint). */
function shardModel(options: TrainOptions, dir: string) {
  const shards = openShards(dir);
  try {
    return freshModel(options, shardTokenizer(shards));
  } finally {
    shards.close();
  }
}

async function buildModel(options: TrainOptions, trainText: string) {
  if (!options.from) return freshModel(options, buildTokenizer(options.tokenizer, trainText));
  // Transfer: same architecture, a vocabulary built from the new corpus, shared token rows carried over.
  const pretrained = await loadLanguageModel(options.from);
  try {
    const kind = tokenizerKind(pretrained.tokenizer);
    // Byte-level BPE covers every text: keep its vocabulary; char/word vocabularies follow the new corpus.
    const tokenizer = kind === 'bpe' ? pretrained.tokenizer : buildTokenizer(kind, trainText);
    const model = RecurrentLanguageModel.fromConfig({
      ...pretrained.model.getConfig(),
      vocabSize: tokenizer.vocabSize,
      seed: options.seed,
    });
    const report = await transferVocabulary(model, {
      checkpoint: pretrained.path,
      from: vocabulary(pretrained.tokenizer),
      to: vocabulary(tokenizer),
      seed: options.seed,
      init: 'mean',
    });
    return { model, tokenizer, vocabulary: report.vocabulary };
  } finally {
    pretrained.model.dispose();
  }
}

/**
 * `train` and `finetune`: trains in a staging folder beside `out`, then
 * publishes the checkpoint, log and loss curve there. Ctrl-C publishes a
 * resumable run instead (see {@link resumeTraining}).
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const budget = new TimeBudget(options.minutes, options.clock ?? 'wall');
  const run = RunFolder.create(options.out, { force: options.force });
  try {
    if (options.shards) return await runTraining(options, run, shardModel(options, options.shards), budget, undefined);
    const text = readCorpus(corpusPath(options), corpusLimit(options.maxCorpusMb));
    const { train: trainText } = splitHeldOut(text);
    const built = await buildModel(options, trainText);
    return await runTraining(options, run, built, budget, undefined);
  } finally {
    run.discard(); // no-op once published
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
    { name: '@seqgen/app-text', cli: 'seqgen-text' },
    async ({ record, run, out, last }) => {
      const loaded = await loadLanguageModel(last);
      const options: TrainOptions = {
        ...record.options,
        out,
        ...(settings.progress ? { progress: true } : {}),
        ...(settings.quiet ? { quiet: true } : {}),
        ...(settings.output ? { output: settings.output } : {}),
      };
      const built = { model: loaded.model, tokenizer: loaded.tokenizer, vocabulary: undefined };
      return await runTraining(options, run, built, new TimeBudget(undefined), record);
    },
  );
}

function corpusPath(options: TrainOptions): string {
  if (!options.corpus) throw new InputError('a corpus (--corpus) or a shard set (--shards) is needed');
  return options.corpus;
}

/** The run's batches and held-out tokens: from shards on disk, or from the corpus text in memory. */
function trainingCorpus(options: TrainOptions, tokenizer: SeqgenTokenizer): TrainingCorpus {
  if (options.shards) return shardCorpus({ ...options, shards: options.shards });
  return memoryCorpus({ ...options, corpus: corpusPath(options) }, tokenizer);
}

async function runTraining(
  options: TrainOptions,
  run: RunFolder,
  built: { model: RecurrentLanguageModel; tokenizer: SeqgenTokenizer; vocabulary: VocabularyReport | undefined },
  budget: TimeBudget,
  resumed: RunRecord | undefined,
): Promise<TrainSummary> {
  const output = options.output ?? plainLines();
  const started = performance.now();
  const { model, tokenizer, vocabulary: vocabReport } = built;
  let corpus: TrainingCorpus | undefined;
  try {
    corpus = trainingCorpus(options, tokenizer);
    const data = corpus.data;
    if (vocabReport) {
      const { summary, details } = describeVocabularyChange(vocabReport);
      output.result(summary);
      for (const line of details) output.info(line);
    }
    const base: TrainerConfig = {
      optimizer: { type: 'adam', learningRate: options.lr },
      maxSteps: options.steps,
      seed: options.seed,
      clip: { type: 'norm', maxNorm: 5 },
      preprocessors: { tokenizer: tokenizer.toJSON() },
    };
    const { maxSteps, validateEvery } = await sizeRun({
      model: model,
      config: base,
      data: data,
      budget,
      steps: options.steps,
      ...(options.validateEvery !== undefined ? { validateEvery: options.validateEvery } : {}),
      validations: 10,
      ...(resumed ? { resumed } : {}),
      output,
    });
    const record: RunRecord = {
      app: '@seqgen/app-text',
      command: options.from ? 'finetune' : 'train',
      options: {
        ...(options.corpus !== undefined ? { corpus: options.corpus } : {}),
        ...(options.shards !== undefined ? { shards: options.shards } : {}),
        tokenizer: options.tokenizer,
        cell: options.cell,
        layers: options.layers,
        hidden: options.hidden,
        embedding: options.embedding,
        dropout: options.dropout,
        ...(options.minutes !== undefined ? { minutes: options.minutes, clock: budget.clock } : {}),
        steps: options.steps,
        seqLen: options.seqLen,
        batch: options.batch,
        lr: options.lr,
        seed: options.seed,
        validateEvery,
        sampleLength: options.sampleLength,
        ...(options.from ? { from: options.from } : {}),
      },
      maxSteps,
      validateEvery,
    };
    writeRunInfo(run.staging, record as unknown as Record<string, unknown>);
    const periodicVal = corpus.periodicValidation;
    const valBatch = Math.max(1, Math.min(16, Math.floor((periodicVal.length - 1) / (2 * options.seqLen))));
    const canValidate = Math.floor((periodicVal.length - 1) / valBatch) >= options.seqLen;
    const validation = canValidate
      ? streamBatches({ documents: [periodicVal], batchSize: valBatch, seqLength: options.seqLen })
      : undefined;
    const unk = tokenizer.tokenToId(UNK);
    const samplePrime = corpus.samplePrime;
    // The best validated weights are kept when they beat the final ones (from best/ after a resume).
    const bestWeights = validation ? new BestWeights({ checkpoint: run.path(BEST_CHECKPOINT) }) : undefined;
    const trainer = new Trainer(
      model,
      {
        ...base,
        maxSteps,
        schedule: {
          type: 'warmup-cosine',
          warmupSteps: Math.min(100, Math.ceil(maxSteps / 20)),
          totalSteps: maxSteps,
          minFactor: 0.1,
        },
        checkpointDir: run.staging,
        ...(validation ? { validateEvery } : {}),
        progressBar: options.quiet ? false : options.progress ? { forceOutput: true } : undefined,
      },
      [
        ...(bestWeights ? [bestWeights] : []),
        {
          onStepEnd: () => {
            if (budget.expired()) trainer.stop();
          },
          onValidationEnd: async (m) => {
            output.info(
              `\nstep ${m.step}: held-out loss ${m.loss.toFixed(4)} nats/token, ${bitsOf(m.loss).toFixed(3)} bits/token${m.improved ? ' (best)' : ''}`,
            );
            if (options.sampleLength > 0) {
              const out = await generate(model, samplePrime, {
                maxNewTokens: options.sampleLength,
                temperature: 0.8,
                seed: options.seed,
                bannedTokens: unk === undefined ? [] : [unk],
              });
              output.info(
                `sample: ${JSON.stringify(tokenizer.decode([...samplePrime, ...(out.sequences[0]?.tokens ?? [])]))}`,
              );
            }
          },
        },
      ],
    );
    const interrupt = stopOnInterrupt(trainer);
    let result: Awaited<ReturnType<typeof trainer.fit>>;
    try {
      result = await trainer.fit(data, {
        ...(validation ? { validation: () => validation } : {}),
        ...(resumed ? { resumeFrom: run.path(LAST_CHECKPOINT) } : {}),
      });
    } finally {
      interrupt.close();
      trainer.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    if (interrupt.interrupted) {
      // The trainer saved last/ (weights, optimizer, schedule, RNG, data cursor, state): publish it to resume from.
      run.publish();
      const resume = `seqgen-text train --resume ${options.out}`;
      output.result(
        `interrupted at step ${result.steps}; resumable checkpoint saved in ${options.out}/${LAST_CHECKPOINT}`,
      );
      return {
        steps: result.steps,
        seconds,
        heldOut: null,
        out: options.out,
        interrupted: true,
        resume,
        ...(vocabReport ? { vocabulary: vocabReport } : {}),
      };
    }
    const best = bestWeights?.report;
    if (best?.restored) {
      output.info(
        `keeping the best validated weights (${best.bestLoss.toFixed(4)} < final ${best.finalLoss.toFixed(4)})`,
      );
    }
    const finalHeldOut = corpus.finalHeldOut(tokenizer);
    const metrics = await heldOutMetrics(model, finalHeldOut.ids, finalHeldOut.chars);
    await model.save(run.staging, {
      tokenizer,
      metadata: {
        app: '@seqgen/app-text',
        ...(options.corpus !== undefined ? { corpus: options.corpus } : {}),
        ...(options.shards !== undefined ? { shards: options.shards } : {}),
        heldOutFraction: HELD_OUT_FRACTION,
        steps: result.steps,
        seconds: Math.round(seconds),
        cpuSeconds: Math.round(clockMs('cpu') / 1000),
        backend: tf.getBackend(),
        heldOut: { ...metrics },
        ...(options.from ? { finetunedFrom: options.from } : {}),
      },
    });
    // The trainer's resumable checkpoints hold optimizer state: the published run keeps only the model.
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(run.path(sub), { recursive: true, force: true });
    run.publish();
    output.result(
      `trained ${result.steps} steps in ${seconds.toFixed(0)} s; held-out: ${metrics.loss.toFixed(4)} nats/token, ` +
        `perplexity ${metrics.perplexity.toFixed(3)}, ${metrics.bitsPerChar.toFixed(3)} bits/char (${metrics.tokens} tokens)`,
    );
    output.result(`checkpoint written to ${options.out}`);
    return {
      steps: result.steps,
      seconds,
      heldOut: metrics,
      out: options.out,
      interrupted: false,
      ...(vocabReport ? { vocabulary: vocabReport } : {}),
    };
  } finally {
    corpus?.close();
    model.dispose();
  }
}

function bitsOf(nats: number): number {
  return nats / Math.LN2;
}
