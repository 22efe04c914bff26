import { assertInRange, assertNonNegativeInteger, assertPositiveInteger, ConfigError } from '@seqgen/core';
import { ConstantSchedule } from './constant.js';
import { type ReduceOnPlateauOptions, ReduceOnPlateauSchedule } from './reduce-on-plateau.js';
import type { LearningRateSchedule } from './schedule.js';
import { type StepDecayOptions, StepDecaySchedule } from './step-decay.js';
import { type WarmupCosineOptions, WarmupCosineSchedule } from './warmup-cosine.js';

export type ScheduleConfig =
  | { type: 'constant' }
  | ({ type: 'warmup-cosine' } & WarmupCosineOptions)
  | ({ type: 'step-decay' } & StepDecayOptions)
  | ({ type: 'reduce-on-plateau' } & ReduceOnPlateauOptions);

export const SCHEDULE_TYPES = ['constant', 'warmup-cosine', 'step-decay', 'reduce-on-plateau'] as const;

export function createSchedule(
  config: ScheduleConfig = { type: 'constant' },
  field = 'schedule',
): LearningRateSchedule {
  const positiveInt = (key: string, v: unknown) => assertPositiveInteger(`${field}.${key}`, v);
  const fraction = (key: string, v: unknown) => {
    if (v !== undefined) assertInRange(`${field}.${key}`, v, 0, 1);
  };
  switch (config?.type) {
    case 'constant':
      return new ConstantSchedule();
    case 'warmup-cosine':
      positiveInt('totalSteps', config.totalSteps);
      if (config.warmupSteps !== undefined) assertNonNegativeInteger(`${field}.warmupSteps`, config.warmupSteps);
      fraction('minFactor', config.minFactor);
      return new WarmupCosineSchedule(config);
    case 'step-decay':
      positiveInt('stepSize', config.stepSize);
      fraction('gamma', config.gamma);
      return new StepDecaySchedule(config);
    case 'reduce-on-plateau':
      fraction('factor', config.factor);
      fraction('minFactor', config.minFactor);
      if (config.patience !== undefined) assertNonNegativeInteger(`${field}.patience`, config.patience);
      return new ReduceOnPlateauSchedule(config);
    default:
      throw new ConfigError(
        `${field}.type`,
        `unknown schedule ${JSON.stringify((config as { type?: unknown })?.type)}; expected one of ${SCHEDULE_TYPES.join(', ')}`,
      );
  }
}
