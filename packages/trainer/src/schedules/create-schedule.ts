import { assertInRange, assertNonNegativeInteger, assertPositiveInteger, ConfigError } from '@seqgen/core';
import { ConstantSchedule } from './constant.js';
import { type ReduceOnPlateauOptions, ReduceOnPlateauSchedule } from './reduce-on-plateau.js';
import type { LearningRateSchedule } from './schedule.js';
import { type StepDecayOptions, StepDecaySchedule } from './step-decay.js';
import { type WarmupCosineOptions, WarmupCosineSchedule } from './warmup-cosine.js';

/** Plain-JSON learning-rate schedule choice: `type` plus that schedule's options. */
export type ScheduleConfig =
  | ConstantScheduleConfig
  | WarmupCosineScheduleConfig
  | StepDecayScheduleConfig
  | ReduceOnPlateauScheduleConfig;

/** {@link ScheduleConfig} that keeps the optimizer's `learningRate` unchanged (the default). */
export type ConstantScheduleConfig = {
  /** Selects the constant schedule. */
  type: 'constant';
};

/** {@link ScheduleConfig} for a linear warmup followed by cosine decay ({@link WarmupCosineOptions}). */
export type WarmupCosineScheduleConfig = {
  /** Selects the warmup-cosine schedule. */
  type: 'warmup-cosine';
} & WarmupCosineOptions;

/** {@link ScheduleConfig} that multiplies the rate by `gamma` every `stepSize` steps ({@link StepDecayOptions}). */
export type StepDecayScheduleConfig = {
  /** Selects the step-decay schedule. */
  type: 'step-decay';
} & StepDecayOptions;

/** {@link ScheduleConfig} that lowers the rate when validation loss stops improving ({@link ReduceOnPlateauOptions}). */
export type ReduceOnPlateauScheduleConfig = {
  /** Selects the reduce-on-plateau schedule. */
  type: 'reduce-on-plateau';
} & ReduceOnPlateauOptions;

/** The schedule `type`s {@link createSchedule} accepts. */
export const SCHEDULE_TYPES = ['constant', 'warmup-cosine', 'step-decay', 'reduce-on-plateau'] as const;

/** Builds the schedule a {@link ScheduleConfig} names (default constant), checking its fields under `field`. */
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
