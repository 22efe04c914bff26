import type { DataSource, RecurrentState, TrainableModel, TrainerConfig } from '@seqgen/trainer';
import type { Output } from './output.js';
import { stepsForBudget, type TimeBudget } from './time-budget.js';

/** What {@link sizeRun} needs to decide a run's length and validation interval. */
export type RunSizeOptions<Batch, State extends RecurrentState> = {
  model: TrainableModel<Batch, State>;
  /** The run's trainer settings (the calibration steps use its optimizer). */
  config: TrainerConfig;
  data: DataSource<Batch>;
  budget: TimeBudget;
  /** `--steps`: the run's length without a budget. */
  steps: number;
  /** With a budget, never more than `--steps` (default false: the budget alone decides). */
  capAtSteps?: boolean;
  /** `--validate-every`, when given. */
  validateEvery?: number;
  /** Validations a run gets when `validateEvery` is not given (default 5). */
  validations?: number;
  /** A resumed run's recorded length and interval: kept as they were. */
  resumed?: { maxSteps: number; validateEvery: number };
  output: Pick<Output, 'info'>;
};

/**
 * An app's run length: a resumed run keeps its recorded one; under a time
 * budget, a few calibration steps say how many fit (and the user is told);
 * otherwise `--steps`. Validation comes every `validateEvery` steps, or so
 * that the run validates `validations` times.
 */
export async function sizeRun<Batch, State extends RecurrentState>(
  o: RunSizeOptions<Batch, State>,
): Promise<{ maxSteps: number; validateEvery: number }> {
  if (o.resumed) return { maxSteps: o.resumed.maxSteps, validateEvery: o.resumed.validateEvery };
  let maxSteps = o.steps;
  if (o.budget.limited) {
    const sized = await stepsForBudget(o.model, o.config, o.data, o.budget);
    maxSteps = o.capAtSteps ? Math.min(o.steps, sized.maxSteps) : sized.maxSteps;
    o.output.info(
      `budget ${o.budget.minutes} min (${o.budget.clock} clock): ~${sized.secondsPerStep.toFixed(2)} s per step → up to ${maxSteps} steps`,
    );
  }
  const validateEvery = o.validateEvery ?? Math.max(1, Math.round(maxSteps / (o.validations ?? 5)));
  return { maxSteps, validateEvery };
}
