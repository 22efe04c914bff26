import type { TokenizerJson } from '@seqgen/core';
import { ConfigError } from '@seqgen/core';
import { type ClipConfig, DEFAULT_CLIP } from './clipping.js';
import { type OptimizerConfig, validateOptimizerConfig } from './optimizers/create-optimizer.js';
import type { NamePattern } from './patterns.js';
import type { ProgressBarOptions } from './progress-bar.js';
import { createSchedule, type ScheduleConfig } from './schedules/create-schedule.js';
import { type TeacherForcingConfig, validateTeacherForcing } from './schedules/teacher-forcing.js';

export interface TrainerConfig {
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
  /** Stop when validation loss has not improved by `minDelta` for `patience` validations. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Folder for `last/` and `best/` checkpoints, `train-log.jsonl` and `loss.svg`. */
  checkpointDir?: string;
  /** Save `last/` every N steps (and at the end) when `checkpointDir` is set. */
  checkpointEvery?: number;
  /** Non-finite guard: skip the step and multiply the rate by `lrFactor` (default 0.5); stop after `maxConsecutive` (default 5) in a row. */
  nonFinite?: { maxConsecutive?: number; lrFactor?: number };
  /** Scheduled sampling for decoders (default: constant ratio 1, i.e. full teacher forcing). */
  teacherForcing?: TeacherForcingConfig;
  /** Parameters not trained (glob or RegExp on names). */
  freeze?: NamePattern[];
  /** Per-parameter learning-rate multipliers, first match wins (e.g. pretrained 0.1×, new 1×). */
  learningRateGroups?: Array<{ match: NamePattern | NamePattern[]; factor: number }>;
  /** Tokenizer JSON stored in every checkpoint, unchanged. */
  tokenizer?: TokenizerJson | null;
  /** Terminal progress bar; default: on when stderr is a terminal. */
  progressBar?: boolean | ProgressBarOptions;
}

const positiveInt = (field: string, v: unknown) => {
  if (!(typeof v === 'number' && Number.isInteger(v) && v > 0))
    throw new ConfigError(field, `must be a positive integer, got ${JSON.stringify(v)}`);
};

/** Refuses a bad configuration before any work, naming the field. */
export function validateTrainerConfig(config: TrainerConfig): void {
  if (!config || typeof config !== 'object') throw new ConfigError('config', 'must be an object');
  validateOptimizerConfig(config.optimizer);
  createSchedule(config.schedule);
  positiveInt('maxSteps', config.maxSteps);
  if (config.seed !== undefined && !Number.isFinite(config.seed))
    throw new ConfigError('seed', `must be a finite number, got ${config.seed}`);
  if (config.bptt !== undefined && config.bptt !== 'truncated' && config.bptt !== 'full')
    throw new ConfigError('bptt', `must be "truncated" or "full", got ${JSON.stringify(config.bptt)}`);
  const clip = config.clip ?? DEFAULT_CLIP;
  if (clip.type === 'norm') {
    if (!(typeof clip.maxNorm === 'number' && clip.maxNorm > 0 && Number.isFinite(clip.maxNorm)))
      throw new ConfigError('clip.maxNorm', `must be a positive number, got ${clip.maxNorm}`);
  } else if (clip.type === 'value') {
    if (!(typeof clip.value === 'number' && clip.value > 0 && Number.isFinite(clip.value)))
      throw new ConfigError('clip.value', `must be a positive number, got ${clip.value}`);
  } else if (clip.type !== 'none') {
    throw new ConfigError(
      'clip.type',
      `must be "norm", "value" or "none", got ${JSON.stringify((clip as { type?: unknown }).type)}`,
    );
  }
  if (config.validateEvery !== undefined) positiveInt('validateEvery', config.validateEvery);
  if (config.checkpointEvery !== undefined) {
    positiveInt('checkpointEvery', config.checkpointEvery);
    if (!config.checkpointDir) throw new ConfigError('checkpointDir', 'is required when checkpointEvery is set');
  }
  if (config.earlyStopping) {
    positiveInt('earlyStopping.patience', config.earlyStopping.patience);
    if (!config.validateEvery) throw new ConfigError('validateEvery', 'is required for earlyStopping');
  }
  if (config.nonFinite?.maxConsecutive !== undefined)
    positiveInt('nonFinite.maxConsecutive', config.nonFinite.maxConsecutive);
  const f = config.nonFinite?.lrFactor;
  if (f !== undefined && !(f > 0 && f <= 1)) throw new ConfigError('nonFinite.lrFactor', `must be in (0, 1], got ${f}`);
  if (config.teacherForcing) validateTeacherForcing(config.teacherForcing);
  config.learningRateGroups?.forEach((g, i) => {
    if (!(typeof g.factor === 'number' && g.factor >= 0 && Number.isFinite(g.factor)))
      throw new ConfigError(`learningRateGroups[${i}].factor`, `must be a finite number ≥ 0, got ${g.factor}`);
  });
}
