import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RecurrentLanguageModel, type RecurrentLMOptions } from '@seqgen/models';
import { generate } from '@seqgen/samplers';
import {
  BEST_CHECKPOINT,
  LAST_CHECKPOINT,
  loadPretrained,
  StreamBatcher,
  streamBatches,
  Trainer,
  type TrainerConfig,
  type VocabularyReport,
} from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { loadLanguageModel } from './checkpoint.js';
import { CliError } from './cli-error.js';
import { countChars, HELD_OUT_FRACTION, readCorpus, splitHeldOut } from './corpus.js';
import { type HeldOutMetrics, heldOutMetrics } from './evaluate.js';
import { checkOutDir, makeStagingDir, publishRun } from './out-dir.js';
import { buildTokenizer, type TokenizerKind, tokenizerKind, UNK, vocabulary } from './tokenizer-choice.js';

export interface TrainOptions {
  corpus: string;
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
  /** Fine-tuning: the pretrained checkpoint to start from (its architecture and tokenizer type are kept). */
  from?: string;
  /** Where progress lines, samples and the summary go (default stderr / stdout). */
  log?: (line: string) => void;
  print?: (line: string) => void;
}

export interface TrainSummary {
  steps: number;
  seconds: number;
  heldOut: HeldOutMetrics;
  vocabulary?: VocabularyReport;
  out: string;
}

/** Held-out tokens used by each periodic validation (the final one uses all of them). */
const PERIODIC_VALIDATION_TOKENS = 20_000;
/** Milliseconds on the chosen clock: wall-clock, or CPU time (user + system) of this process. */
function clockMs(clock: 'wall' | 'cpu'): number {
  if (clock === 'wall') return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Steps timed to size a run given in minutes. */
const CALIBRATION_STEPS = 3;

/** Rows of each token-indexed weight, for carrying a model over to a new vocabulary. */
function tokenRowAxes(model: RecurrentLanguageModel): Record<string, number> {
  const axes: Record<string, number> = { embedding: 0, 'output/bias': 0 };
  if ('output/kernel' in model.variables) axes['output/kernel'] = 1;
  return axes;
}

async function buildModel(options: TrainOptions, trainText: string) {
  if (!options.from) {
    const tokenizer = buildTokenizer(options.tokenizer, trainText);
    const lm: RecurrentLMOptions = {
      vocabSize: tokenizer.vocabSize,
      embeddingSize: options.embedding,
      hiddenSize: options.hidden,
      numLayers: options.layers,
      cell: options.cell,
      dropout: options.layers > 1 ? options.dropout : 0,
      seed: options.seed,
    };
    return { model: new RecurrentLanguageModel(lm), tokenizer, vocabulary: undefined };
  }
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
    const report = await loadPretrained(model.variables, pretrained.path, {
      vocabulary: {
        oldVocab: vocabulary(pretrained.tokenizer),
        newVocab: vocabulary(tokenizer),
        rowAxisByName: tokenRowAxes(model),
        seed: options.seed,
        init: 'mean',
      },
    });
    return { model, tokenizer, vocabulary: report.vocabulary };
  } finally {
    pretrained.model.dispose();
  }
}

/** Times a few steps of a throwaway trainer, then puts the initial weights back: seconds per step. */
async function secondsPerStep(
  model: RecurrentLanguageModel,
  config: TrainerConfig,
  data: StreamBatcher,
  clock: 'wall' | 'cpu',
): Promise<number> {
  const initial = Object.entries(model.variables).map(([name, v]) => [name, v.clone()] as const);
  const probe = new Trainer(model, {
    ...config,
    maxSteps: CALIBRATION_STEPS + 1,
    checkpointDir: undefined,
    progressBar: false,
  });
  try {
    await probe.trainStep(data.next()); // the first step also compiles kernels
    const started = clockMs(clock);
    for (let i = 0; i < CALIBRATION_STEPS; i++) await probe.trainStep(data.next());
    return (clockMs(clock) - started) / 1000 / CALIBRATION_STEPS;
  } finally {
    probe.dispose();
    for (const [name, value] of initial) {
      model.variables[name]?.assign(value);
      value.dispose();
    }
  }
}

/** `train` and `finetune`: trains in a private folder, then publishes the checkpoint, log and loss curve to `out`. */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = options.clock ?? 'wall';
  const started = performance.now();
  const deadline = options.minutes !== undefined ? clockMs(clock) + options.minutes * 60_000 : Number.POSITIVE_INFINITY;
  checkOutDir(options.out);
  const text = readCorpus(options.corpus);
  const { train: trainText, heldOut } = splitHeldOut(text);
  const { model, tokenizer, vocabulary: vocabReport } = await buildModel(options, trainText);
  const staging = makeStagingDir();
  let published = false;
  try {
    if (vocabReport) {
      const { kept, added, dropped } = vocabReport;
      print(`vocabulary: kept ${kept.length}, added ${added.length}, dropped ${dropped.length} tokens`);
      const show = (tokens: string[]) => JSON.stringify(tokens.slice(0, 20).join(''));
      if (added.length) log(`  added: ${show(added)}${added.length > 20 ? ' …' : ''}`);
      if (dropped.length) log(`  dropped: ${show(dropped)}${dropped.length > 20 ? ' …' : ''}`);
    }
    const trainIds = tokenizer.encode(trainText);
    const valIds = tokenizer.encode(heldOut);
    if (Math.floor((trainIds.length - options.seqLen) / options.batch) < options.seqLen) {
      throw new CliError(
        `corpus ${options.corpus} is too small for --batch ${options.batch} --seq-len ${options.seqLen} (${trainIds.length} training tokens)`,
      );
    }
    const data = new StreamBatcher({
      documents: [trainIds],
      batchSize: options.batch,
      seqLength: options.seqLen,
      seed: options.seed,
    });
    const base: TrainerConfig = {
      optimizer: { type: 'adam', learningRate: options.lr },
      maxSteps: options.steps,
      seed: options.seed,
      clip: { type: 'norm', maxNorm: 5 },
      tokenizer: tokenizer.toJSON(),
    };
    let maxSteps = options.steps;
    if (options.minutes !== undefined) {
      const perStep = await secondsPerStep(model, base, data, clock);
      const remaining = (deadline - clockMs(clock)) / 1000;
      // Leave room for validations, samples and the final evaluation.
      maxSteps = Math.max(1, Math.floor((remaining * 0.9) / perStep));
      log(`budget ${options.minutes} min (${clock} clock): ~${perStep.toFixed(2)} s/step → up to ${maxSteps} steps`);
    }
    const validateEvery = options.validateEvery ?? Math.max(1, Math.round(maxSteps / 10));
    const periodicVal = valIds.slice(0, PERIODIC_VALIDATION_TOKENS + 1);
    const valBatch = Math.max(1, Math.min(16, Math.floor((periodicVal.length - 1) / (2 * options.seqLen))));
    const canValidate = Math.floor((periodicVal.length - 1) / valBatch) >= options.seqLen;
    const validation = canValidate
      ? streamBatches({ documents: [periodicVal], batchSize: valBatch, seqLength: options.seqLen })
      : undefined;
    const unk = tokenizer.tokenToId(UNK);
    const samplePrime = tokenizer.encode(trainText.slice(0, 1));
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
        checkpointDir: staging,
        ...(validation ? { validateEvery } : {}),
        progressBar: options.progress ? { forceOutput: true } : undefined,
      },
      {
        onStep: () => {
          if (clockMs(clock) > deadline) trainer.stop();
        },
        onValidation: async (m) => {
          log(
            `\nstep ${m.step}: held-out loss ${m.loss.toFixed(4)} nats/token, ${m.bitsPerToken.toFixed(3)} bits/token${m.improved ? ' (best)' : ''}`,
          );
          if (options.sampleLength > 0) {
            const out = await generate(model, samplePrime, {
              maxNewTokens: options.sampleLength,
              temperature: 0.8,
              seed: options.seed,
              bannedTokens: unk === undefined ? [] : [unk],
            });
            log(`sample: ${JSON.stringify(tokenizer.decode([...samplePrime, ...(out.sequences[0]?.tokens ?? [])]))}`);
          }
        },
      },
    );
    const onSigint = () => {
      log('\ninterrupted: stopping after this step and saving');
      trainer.stop();
    };
    process.once('SIGINT', onSigint);
    let result: Awaited<ReturnType<typeof trainer.fit>>;
    try {
      result = await trainer.fit(data, validation ? { validation: () => validation } : {});
    } finally {
      process.off('SIGINT', onSigint);
      trainer.dispose();
    }
    // The weights to keep: the best validated ones when they beat the final ones on the periodic set.
    if (validation && result.bestValidationLoss !== null) {
      const finalLoss = (await heldOutMetrics(model, periodicVal, countChars(heldOut))).loss;
      if (result.bestValidationLoss < finalLoss) {
        await loadPretrained(model.variables, join(staging, BEST_CHECKPOINT));
        log(
          `keeping the best validated weights (${result.bestValidationLoss.toFixed(4)} < final ${finalLoss.toFixed(4)})`,
        );
      }
    }
    const metrics = await heldOutMetrics(model, valIds, countChars(heldOut));
    const seconds = (performance.now() - started) / 1000;
    await model.save(staging, {
      tokenizer,
      metadata: {
        app: '@seqgen/app-text',
        corpus: options.corpus,
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
    for (const sub of [LAST_CHECKPOINT, BEST_CHECKPOINT]) rmSync(join(staging, sub), { recursive: true, force: true });
    publishRun(staging, options.out);
    published = true;
    print(
      `trained ${result.steps} steps in ${seconds.toFixed(0)} s; held-out: ${metrics.loss.toFixed(4)} nats/token, ` +
        `perplexity ${metrics.perplexity.toFixed(3)}, ${metrics.bitsPerChar.toFixed(3)} bits/char (${metrics.tokens} tokens)`,
    );
    print(`checkpoint written to ${options.out}`);
    return {
      steps: result.steps,
      seconds,
      heldOut: metrics,
      out: options.out,
      ...(vocabReport ? { vocabulary: vocabReport } : {}),
    };
  } finally {
    model.dispose();
    if (!published) rmSync(staging, { recursive: true, force: true });
  }
}
