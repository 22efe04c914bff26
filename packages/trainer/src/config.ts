import type { CodecJson } from '@seqgen/core';
import { assertFiniteNumber, assertOneOf, assertPositiveInteger, ConfigError } from '@seqgen/core';
import { type ClipConfig, DEFAULT_CLIP } from './clipping.js';
import { NonFiniteGuard, type NonFiniteOptions } from './non-finite-guard.js';
import { type OptimizerConfig, validateOptimizerConfig } from './optimizers/create-optimizer.js';
import type { NamePattern } from './patterns.js';
import type { ProgressBarOptions } from './progress-bar.js';
import { createSchedule, type ScheduleConfig } from './schedules/create-schedule.js';
import { type TeacherForcingConfig, validateTeacherForcing } from './schedules/teacher-forcing.js';

/** {@link TrainerConfig.earlyStopping}: when the added `EarlyStopping` callback ends the run. */
export type EarlyStoppingConfig = {
  /** Validations in a row without an improvement of more than `minDelta` before stopping (a positive integer). */
  patience: number;
  /** How much lower than the best a validation loss must be to count as an improvement, ≥ 0 (default 0). */
  minDelta?: number;
};

/** One entry of {@link TrainerConfig.learningRateGroups}: a learning-rate multiplier for the parameters it matches. */
export type LearningRateGroup = {
  /** Parameter names the group covers: a glob or RegExp, or a list of them (each must match some parameter). */
  match: NamePattern | NamePattern[];
  /** Multiplier of the scheduled learning rate for those parameters (e.g. 0.1 for pretrained weights; 0 freezes them in effect). */
  factor: number;
};

/**
 * Everything a {@link Trainer} run is configured by: optimizer, schedule, clipping, steps, validation, checkpoints,
 * callbacks.
 */
export interface TrainerConfig {
  /**
   * Optimizer and its hyperparameters (`sgd`, `adam`, `adamw`, `rmsprop`), e.g. `{ type: 'adam', learningRate: 1e-3 }`.
   */
  optimizer: OptimizerConfig;
  /** Learning-rate schedule (default constant). */
  schedule?: ScheduleConfig;
  /** Default `{ type: 'norm', maxNorm: 5 }`. */
  clip?: ClipConfig;
  /** Stop after this many steps (counting from step 0, also across resumes). */
  maxSteps: number;
  /** Seeds the trainer's RNG (handed to the model as `context.rng`). Default 0. */
  seed?: number;
  /**
   * `truncated` (default): the state a batch ends with starts the next batch,
   * detached so no gradient crosses batches. `full`: every batch starts from
   * fresh state and is backpropagated over its whole length.
   */
  bptt?: 'truncated' | 'full';
  /** Validate every N steps (needs `validation` data in `fit`). */
  validateEvery?: number;
  /** Stop when validation loss has not improved by `minDelta` for `patience` validations (adds an `EarlyStopping` callback). */
  earlyStopping?: EarlyStoppingConfig;
  /** At the end, put back the best validated weights when they beat the final ones (adds a `BestWeights` callback). */
  restoreBestWeights?: boolean;
  /**
   * Folder for `last/` and `best/` checkpoints, `train-log.jsonl` and
   * `loss.svg` (adds `ModelCheckpoint`, `JsonlLogger` and `LossPlot` callbacks).
   */
  checkpointDir?: string;
  /** Save `last/` every N steps (and at the end) when `checkpointDir` is set. */
  checkpointEvery?: number;
  /** Non-finite guard: skip the step and multiply the rate by `lrFactor` (default 0.5); stop after `maxConsecutive` (default 5) in a row. */
  nonFinite?: NonFiniteOptions;
  /** Scheduled sampling for decoders (default: constant ratio 1, i.e. full teacher forcing). */
  teacherForcing?: TeacherForcingConfig;
  /** Parameters not trained (glob or RegExp on names). */
  freeze?: NamePattern[];
  /** Per-parameter learning-rate multipliers, first match wins (e.g. pretrained 0.1×, new 1×). */
  learningRateGroups?: LearningRateGroup[];
  /**
   * Named preprocessors (codec JSON: `{ tokenizer }`, `{ source, target }`,
   * `{ events }`…) stored in every checkpoint, unchanged.
   */
  preprocessors?: Record<string, CodecJson>;
  /** Terminal progress bar (adds a `ProgressBarLogger` callback); default: on when stderr is a terminal. */
  progressBar?: boolean | ProgressBarOptions;
}

/** Refuses a bad configuration before any work, naming the field. */
export function validateTrainerConfig(config: TrainerConfig): void {
  if (!config || typeof config !== 'object') throw new ConfigError('config', 'must be an object');
  if ((config as { tokenizer?: unknown }).tokenizer !== undefined)
    throw new ConfigError(
      'tokenizer',
      'was replaced by "preprocessors": pass { preprocessors: { tokenizer: tokenizer.toJSON() } }',
    );
  validateOptimizerConfig(config.optimizer);
  createSchedule(config.schedule);
  assertPositiveInteger('maxSteps', config.maxSteps);
  if (config.seed !== undefined) assertFiniteNumber('seed', config.seed);
  if (config.bptt !== undefined) assertOneOf('bptt', config.bptt, ['truncated', 'full']);
  const clip = config.clip ?? DEFAULT_CLIP;
  assertOneOf('clip.type', clip.type, ['norm', 'value', 'none']);
  if (clip.type === 'norm') assertPositive('clip.maxNorm', clip.maxNorm);
  else if (clip.type === 'value') assertPositive('clip.value', clip.value);
  if (config.validateEvery !== undefined) assertPositiveInteger('validateEvery', config.validateEvery);
  if (config.checkpointEvery !== undefined) {
    assertPositiveInteger('checkpointEvery', config.checkpointEvery);
    if (!config.checkpointDir) throw new ConfigError('checkpointDir', 'is required when checkpointEvery is set');
  }
  if (config.earlyStopping) {
    assertPositiveInteger('earlyStopping.patience', config.earlyStopping.patience);
    if (config.earlyStopping.minDelta !== undefined) {
      assertFiniteNumber('earlyStopping.minDelta', config.earlyStopping.minDelta);
      if (config.earlyStopping.minDelta < 0)
        throw new ConfigError('earlyStopping.minDelta', `must be ≥ 0, got ${config.earlyStopping.minDelta}`);
    }
    if (!config.validateEvery) throw new ConfigError('validateEvery', 'is required for earlyStopping');
  }
  if (config.restoreBestWeights && !config.validateEvery)
    throw new ConfigError('validateEvery', 'is required for restoreBestWeights');
  NonFiniteGuard.validate(config.nonFinite);
  if (config.teacherForcing) validateTeacherForcing(config.teacherForcing);
  config.learningRateGroups?.forEach((g, i) => {
    assertFiniteNumber(`learningRateGroups[${i}].factor`, g.factor);
    if (g.factor < 0) throw new ConfigError(`learningRateGroups[${i}].factor`, `must be ≥ 0, got ${g.factor}`);
  });
  if (config.preprocessors !== undefined) {
    const p = config.preprocessors;
    if (!p || typeof p !== 'object' || Array.isArray(p))
      throw new ConfigError('preprocessors', 'must be an object of named codec JSON ({ tokenizer: {...} })');
    for (const [name, json] of Object.entries(p)) {
      if (!(json && typeof json.type === 'string' && json.type !== '' && typeof json.version === 'number'))
        throw new ConfigError(
          `preprocessors.${name}`,
          'must be codec JSON with a string "type" and a number "version"',
        );
    }
  }
}

/** A finite number > 0. */
function assertPositive(field: string, value: unknown): void {
  assertFiniteNumber(field, value);
  if (value <= 0) throw new ConfigError(field, `must be a positive number, got ${value}`);
}
