import type { JsonObject } from '@seqgen/core';
import type { LearningRateSchedule } from './schedule.js';

/** The base learning rate at every step. */
export class ConstantSchedule implements LearningRateSchedule {
  factor(): number {
    return 1;
  }
  /** Always `{}`: the schedule has no state. */
  getState(): JsonObject {
    return {};
  }
  /** Does nothing: the schedule has no state. */
  setState(): void {}
}
