import { type Seq2Seq, type Seq2SeqBatch, Seq2SeqBatchSource, type Seq2SeqPair, seq2seqBatches } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import type { TrainerConfig } from '@seqgen/trainer';
import { type FitInRunResult, fitInRun } from './fit-in-run.js';
import { specialTokenIds } from './joint-seq2seq.js';
import type { Output } from './output.js';
import type { RunFolder } from './run-folder.js';
import { stepsForBudget, type TimeBudget } from './time-budget.js';

/** What {@link fitSeq2SeqInRun} needs: the model, its token-id pairs and the run it writes into. */
export type Seq2SeqRunOptions = {
  /** The CLI's name (`seqgen-chat`): resume hints and the special-token check. */
  cli: string;
  /** The `--out` folder as the user gave it. */
  out: string;
  model: Seq2Seq;
  /** One vocabulary on both sides: the tokenizer saved as the source and the target preprocessor. */
  tokenizer: SeqgenTokenizer;
  train: readonly Seq2SeqPair[];
  /** Validation pairs (none: no validation, no best-weights restore). */
  valid: readonly Seq2SeqPair[];
  /** The app's line about its data; the number of batches per epoch is added to it. */
  describeData: string;
  batch: number;
  lr: number;
  /** Steps when no budget limits the run. */
  steps: number;
  seed: number;
  /** Validate every this many steps (default: five validations a run). */
  validateEvery?: number;
  /** A resumed run's step count and validation interval, from its `run.json`. */
  resumed?: { maxSteps: number; validateEvery: number };
  run: RunFolder;
  budget: TimeBudget;
  output: Pick<Output, 'info' | 'result'>;
  quiet?: boolean;
  progress?: boolean;
  /** Called once the run is sized, before the first step: write `run.json` here. */
  record: (sized: { maxSteps: number; validateEvery: number }) => void;
};

/** How {@link fitSeq2SeqInRun} ended, and the validation batches for the caller's final figures. */
export type Seq2SeqRunResult = FitInRunResult & {
  validation?: Seq2SeqBatch[];
};

/** Target tokens a batch trains on (its mask's sum: EOS included, padding not). */
function tokensOf(batch: Seq2SeqBatch): number {
  let n = 0;
  for (const m of batch.targetMask) n += m;
  return n;
}

/**
 * The encoder-decoder apps' training run (translation, chat): length-bucketed shuffled batches,
 * Adam with global-norm clipping at 5, a time budget sized per target token, validation five
 * times a run, then {@link fitInRun} (best weights, Ctrl-C → resumable checkpoint).
 */
export async function fitSeq2SeqInRun(o: Seq2SeqRunOptions): Promise<Seq2SeqRunResult> {
  const ids = specialTokenIds(o.tokenizer, o.cli);
  const batches = seq2seqBatches(o.train, {
    batchSize: o.batch,
    bucketByLength: true,
    shuffle: true,
    seed: o.seed,
    ...ids,
  });
  const source = new Seq2SeqBatchSource(batches, { shuffle: true, seed: o.seed });
  const validation = o.valid.length > 0 ? seq2seqBatches(o.valid, { batchSize: 64, ...ids }) : undefined;
  o.output.info(`${o.describeData}; ${batches.length} batches per epoch`);
  const tokenizer = o.tokenizer.toJSON();
  const config: TrainerConfig = {
    optimizer: { type: 'adam', learningRate: o.lr },
    maxSteps: o.steps,
    seed: o.seed,
    clip: { type: 'norm', maxNorm: 5 },
    preprocessors: { source: tokenizer, target: tokenizer },
  };
  let maxSteps = o.resumed?.maxSteps ?? o.steps;
  if (!o.resumed && o.budget.limited) {
    // Length buckets make batches differ tenfold in size: size the run by time per target token, from the
    // three batches the calibration times (after a warm-up pass over them), not by the time of those steps.
    const cursor = source.getState();
    const timed = [source.next(), source.next(), source.next()];
    source.setState(cursor);
    const sized = await stepsForBudget(o.model, config, source, o.budget);
    const perToken = (sized.secondsPerStep * timed.length) / timed.reduce((n, b) => n + tokensOf(b), 0);
    const meanTokens = batches.reduce((n, b) => n + tokensOf(b), 0) / batches.length;
    maxSteps = o.budget.stepsFor(perToken * meanTokens);
    o.output.info(
      `budget ${o.budget.minutes} min (${o.budget.clock} clock): ~${(perToken * 1000).toFixed(1)} ms per target token, ` +
        `~${(perToken * meanTokens).toFixed(2)} s for a mean batch → up to ${maxSteps} steps`,
    );
  }
  // Five validations per run: each costs a pass over the validation split, dear on a small budget.
  const validateEvery = o.resumed?.validateEvery ?? o.validateEvery ?? Math.max(1, Math.round(maxSteps / 5));
  o.record({ maxSteps, validateEvery });
  const fit = await fitInRun({
    cli: o.cli,
    out: o.out,
    model: o.model,
    config,
    maxSteps,
    data: source,
    ...(validation ? { validation } : {}),
    validateEvery,
    run: o.run,
    budget: o.budget,
    output: o.output,
    resume: o.resumed !== undefined,
    quiet: o.quiet,
    progress: o.progress,
  });
  return { ...fit, ...(validation ? { validation } : {}) };
}
