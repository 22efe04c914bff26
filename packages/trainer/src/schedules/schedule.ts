import type { JsonObject } from '@seqgen/core';

/**
 * A learning-rate schedule: a multiplier of the base rate as a function of the
 * step. Stateful schedules (reduce-on-plateau) also watch a metric and save
 * their state in checkpoints.
 */
export interface LearningRateSchedule {
  /** Multiplier of the base learning rate for optimizer step `step` (0-based). */
  factor(step: number): number;
  /** Feeds a monitored value (validation loss); only stateful schedules use it. */
  observe?(value: number): void;
  /** The schedule's state, saved in trainer checkpoints (`{}` for stateless schedules). */
  getState(): JsonObject;
  /** Restores a state saved by `getState`, on resume. */
  setState(state: JsonObject): void;
}
