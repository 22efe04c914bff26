import { assertPositiveInteger, ConfigError } from '@seqgen/core';
import {
  type DataSource,
  type RecurrentState,
  type TrainableModel,
  Trainer,
  type TrainerConfig,
} from '@seqgen/trainer';

/** What a time budget counts: wall-clock time, or this process's CPU time (steady on a busy machine). */
export const CLOCKS = ['wall', 'cpu'] as const;
export type Clock = (typeof CLOCKS)[number];

/** Milliseconds on `clock`: wall-clock, or the CPU time (user + system) of this process. */
export function clockMs(clock: Clock): number {
  if (clock === 'wall') return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A `--minutes` budget on one clock, started when constructed. Without minutes it never runs out. */
export class TimeBudget {
  readonly minutes: number | undefined;
  readonly clock: Clock;
  /** Deadline in {@link clockMs} units (Infinity without a budget). */
  readonly deadline: number;

  constructor(minutes: number | undefined, clock: Clock = 'wall') {
    if (minutes !== undefined && !(Number.isFinite(minutes) && minutes > 0)) {
      throw new ConfigError('minutes', `must be a positive number, got ${minutes}`);
    }
    this.minutes = minutes;
    this.clock = clock;
    this.deadline = minutes === undefined ? Number.POSITIVE_INFINITY : clockMs(clock) + minutes * 60_000;
  }

  get limited(): boolean {
    return this.minutes !== undefined;
  }

  expired(): boolean {
    return clockMs(this.clock) > this.deadline;
  }

  remainingSeconds(): number {
    return Math.max(0, (this.deadline - clockMs(this.clock)) / 1000);
  }

  /**
   * Steps that fit in what is left at `secondsPerStep`, keeping `reserve`
   * (default 10 %) for validations, samples and the final evaluation; at least 1.
   */
  stepsFor(secondsPerStep: number, reserve = 0.1): number {
    if (!(secondsPerStep > 0)) return 1;
    return Math.max(1, Math.floor((this.remainingSeconds() * (1 - reserve)) / secondsPerStep));
  }
}

export interface CalibrationOptions {
  clock?: Clock;
  /** Batches timed, each after an untimed warm-up step on the same batches. Default 3. */
  steps?: number;
}

/**
 * Seconds one training step of `model` takes on `clock`: a throwaway trainer
 * with `config`'s optimizer runs the first `steps` batches once untimed, then
 * the same batches again timed, then the model's weights and the data
 * source's cursor are put back as they were, so the real run starts exactly
 * where it would have without this. The warm-up is on the same batches
 * because the first step at a new shape is several times slower than the
 * next ones (the backends set up kernels per shape: a seq2seq step of batch
 * 128 took 1,241 ms the first time its lengths came up and 137 ms after), and
 * timing first sightings sized runs 2–3× too short.
 */
export async function secondsPerStep<Batch, State extends RecurrentState>(
  model: TrainableModel<Batch, State>,
  config: TrainerConfig,
  data: DataSource<Batch>,
  options: CalibrationOptions = {},
): Promise<number> {
  const clock = options.clock ?? 'wall';
  const steps = options.steps ?? 3;
  assertPositiveInteger('steps', steps);
  const initial = Object.entries(model.variables).map(([name, v]) => [name, v.clone()] as const);
  const cursor = data.getState();
  // Only what shapes a step: no checkpoints, log, progress bar or validation.
  const {
    checkpointDir: _dir,
    progressBar: _bar,
    validateEvery: _val,
    earlyStopping: _early,
    ...step
  } = config as TrainerConfig & Record<string, unknown>;
  const probe = new Trainer(model, { ...(step as TrainerConfig), maxSteps: 2 * steps, progressBar: false });
  try {
    for (let i = 0; i < steps; i++) await probe.trainStep(data.next());
    data.setState(cursor);
    const started = clockMs(clock);
    for (let i = 0; i < steps; i++) await probe.trainStep(data.next());
    return Math.max(1e-6, (clockMs(clock) - started) / 1000 / steps);
  } finally {
    probe.dispose();
    for (const [name, value] of initial) {
      model.variables[name]?.assign(value);
      value.dispose();
    }
    data.setState(cursor);
  }
}

/** Sizes a run to a budget: times a few steps and returns how many fit (see {@link TimeBudget.stepsFor}). */
export async function stepsForBudget<Batch, State extends RecurrentState>(
  model: TrainableModel<Batch, State>,
  config: TrainerConfig,
  data: DataSource<Batch>,
  budget: TimeBudget,
  options: Omit<CalibrationOptions, 'clock'> & { reserve?: number } = {},
): Promise<{ secondsPerStep: number; maxSteps: number }> {
  const perStep = await secondsPerStep(model, config, data, { ...options, clock: budget.clock });
  return { secondsPerStep: perStep, maxSteps: budget.stepsFor(perStep, options.reserve) };
}
