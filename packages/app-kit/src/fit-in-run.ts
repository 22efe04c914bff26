import {
  BEST_CHECKPOINT,
  BestWeights,
  type BestWeightsReport,
  type DataSource,
  LAST_CHECKPOINT,
  type TrainableModel,
  Trainer,
  type TrainerConfig,
} from '@seqgen/trainer';
import { stopOnInterrupt } from './interrupt.js';
import type { Output } from './output.js';
import type { RunFolder } from './run-folder.js';
import type { TimeBudget } from './time-budget.js';

/** What {@link fitInRun} needs: the model, its data and the run it writes into. */
export type FitInRunOptions<Batch> = {
  /** The CLI's name, for the resume hint (`seqgen-chat`). */
  cli: string;
  /** The `--out` folder as the user gave it (named in messages). */
  out: string;
  model: TrainableModel<Batch>;
  /** Trainer settings (optimizer, clipping, seed…); `maxSteps`, the schedule and checkpointing are set here. */
  config: TrainerConfig;
  maxSteps: number;
  data: DataSource<Batch>;
  /** Held-out batches: enables validation every `validateEvery` steps and keeping the best weights. */
  validation?: Batch[];
  validateEvery: number;
  run: RunFolder;
  budget: TimeBudget;
  output: Pick<Output, 'info' | 'result'>;
  /** Continue from the run's `last/` checkpoint. */
  resume: boolean;
  quiet?: boolean;
  /** Draw the progress bar even when stderr is not a terminal. */
  progress?: boolean;
};

/** How {@link fitInRun} ended. */
export type FitInRunResult = {
  steps: number;
  /** Ctrl-C stopped it: the resumable checkpoint is published, `resume` is the command that continues. */
  interrupted: boolean;
  resume?: string;
  /** Set when validation ran: whether the best validated weights replaced the final ones. */
  best?: BestWeightsReport;
};

/**
 * The apps' training run: warmup-cosine schedule over `maxSteps`, resumable checkpoints in the
 * run's staging folder, validation with the best weights kept, the time budget and Ctrl-C both
 * stopping after the current step. On Ctrl-C the run is published as it stands so that
 * `<cli> train --resume <out>` continues it; otherwise the caller publishes after saving.
 */
export async function fitInRun<Batch>(o: FitInRunOptions<Batch>): Promise<FitInRunResult> {
  const validation = o.validation;
  const bestWeights = validation ? new BestWeights({ checkpoint: o.run.path(BEST_CHECKPOINT) }) : undefined;
  const trainer = new Trainer(
    o.model,
    {
      ...o.config,
      maxSteps: o.maxSteps,
      schedule: {
        type: 'warmup-cosine',
        warmupSteps: Math.min(100, Math.ceil(o.maxSteps / 20)),
        totalSteps: o.maxSteps,
        minFactor: 0.1,
      },
      checkpointDir: o.run.staging,
      ...(validation ? { validateEvery: o.validateEvery } : {}),
      progressBar: o.quiet ? false : o.progress ? { forceOutput: true } : undefined,
    },
    [
      ...(bestWeights ? [bestWeights] : []),
      {
        onStepEnd: () => {
          if (o.budget.expired()) trainer.stop();
        },
        onValidationEnd: (m) => {
          o.output.info(
            `\nstep ${m.step}: validation loss ${m.loss.toFixed(4)} nats/token, perplexity ${Math.exp(m.loss).toFixed(2)}${m.improved ? ' (best)' : ''}`,
          );
        },
      },
    ],
  );
  const interrupt = stopOnInterrupt(trainer);
  let steps: number;
  try {
    const result = await trainer.fit(o.data, {
      ...(validation ? { validation: () => validation } : {}),
      ...(o.resume ? { resumeFrom: o.run.path(LAST_CHECKPOINT) } : {}),
    });
    steps = result.steps;
  } finally {
    interrupt.close();
    trainer.dispose();
  }
  if (interrupt.interrupted) {
    o.run.publish();
    o.output.result(`interrupted at step ${steps}; resumable checkpoint saved in ${o.out}/${LAST_CHECKPOINT}`);
    return { steps, interrupted: true, resume: `${o.cli} train --resume ${o.out}` };
  }
  const best = bestWeights?.report;
  if (best?.restored) {
    o.output.info(
      `keeping the best validated weights (${best.bestLoss.toFixed(4)} < final ${best.finalLoss.toFixed(4)})`,
    );
  }
  return { steps, interrupted: false, ...(best ? { best } : {}) };
}
