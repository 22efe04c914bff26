import { type Command, Option } from 'commander';
import { integerOption, numberOption } from './options.js';
import type { Output } from './output.js';
import { CLOCKS, type Clock } from './time-budget.js';

/** What differs between apps in {@link addTrainingOptions}. */
export type TrainingOptionsSpec = {
  /** `--batch`: its default and what one holds (`pairs per batch (bucketed by length)`). */
  batch: { default: number; description: string };
  /** `--steps` default (2000). */
  steps?: number;
  /** `--lr` default (3e-3). */
  lr?: number;
};

/** The flags {@link addTrainingOptions} adds, as commander parses them. */
export type TrainingFlags = {
  minutes?: number;
  clock: Clock;
  steps: number;
  batch: number;
  lr: number;
  validateEvery?: number;
  resume?: string;
};

/**
 * What every app's `train` function takes besides its data and model: the
 * run folder, the budget and optimizer settings of {@link addTrainingOptions},
 * the seed and how to report. Apps extend it with their own fields.
 */
export type TrainingRunOptions = {
  /** Run folder (a new one beside it when it is taken, unless `force`). */
  out: string;
  /** Write into `out` even when it holds a run. */
  force?: boolean;
  /** Time budget in minutes (wins over `steps`). */
  minutes?: number;
  /** What the budget counts: wall time or this process's CPU time. */
  clock?: Clock;
  /** Optimizer steps. */
  steps: number;
  /** Examples per batch. */
  batch: number;
  /** Learning rate. */
  lr: number;
  /** Seed of initialization, batches and dropout. */
  seed: number;
  /** Validate every N steps (default: 5 times per run). */
  validateEvery?: number;
  /** Show a progress bar. */
  progress?: boolean;
  /** Print nothing but errors and results. */
  quiet?: boolean;
  /** Where lines go (default: the terminal). */
  output?: Pick<Output, 'info' | 'result'>;
};

/**
 * The settings of a run that `train --resume` takes from the run itself (flag attributes, for
 * {@link refuseOptions}); `seed` comes from the common options.
 */
export const TRAINING_SETTINGS = ['minutes', 'clock', 'steps', 'batch', 'lr', 'seed', 'validateEvery'] as const;

/**
 * A training time budget: `--minutes` (wins over `--steps`) counted on the
 * `--clock` of choice (`wall` by default, or this process's `cpu` time). Part
 * of {@link addTrainingOptions}, and for a `train` that lays out its other
 * options itself.
 */
export function addTimeBudgetOptions(command: Command): Command {
  return command
    .option(
      '--minutes <m>',
      'training time budget (wins over --steps; see --clock)',
      numberOption(0, Number.POSITIVE_INFINITY, { openMin: true }),
    )
    .addOption(
      new Option('--clock <clock>', "what --minutes counts: wall-clock or this process's CPU time")
        .choices(CLOCKS)
        .default('wall'),
    );
}

/**
 * The options of every app's `train` that runs on {@link fitInRun}: `--minutes` (wins over
 * `--steps`) on the `--clock` of choice, `--steps`, `--batch`, `--lr` (Adam's peak, warmup then
 * cosine decay), `--validate-every` and `--resume DIR`.
 */
export function addTrainingOptions(command: Command, spec: TrainingOptionsSpec): Command {
  return addTimeBudgetOptions(command)
    .option('--steps <n>', 'optimizer steps', integerOption(1), spec.steps ?? 2000)
    .option('--batch <n>', spec.batch.description, integerOption(1), spec.batch.default)
    .option(
      '--lr <x>',
      'peak learning rate (Adam, warmup then cosine decay)',
      numberOption(0, 1, { openMin: true }),
      spec.lr ?? 3e-3,
    )
    .option('--validate-every <n>', 'validate every N steps (default: 5 times per run)', integerOption(1))
    .option('--resume <dir>', 'continue the interrupted run in DIR exactly (its settings; output to DIR unless --out)');
}

/** What `train --resume` keeps of the common flags: where to publish, whether to replace, how to show progress. */
export function resumeSettings(flags: { out?: string; force?: boolean; progress?: boolean; quiet?: boolean }): {
  out?: string;
  force?: boolean;
  progress?: boolean;
  quiet?: boolean;
} {
  return {
    ...(flags.out !== undefined ? { out: flags.out } : {}),
    ...(flags.force ? { force: true } : {}),
    ...(flags.progress ? { progress: true } : {}),
    ...(flags.quiet ? { quiet: true } : {}),
  };
}
