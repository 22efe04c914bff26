import type { JsonObject } from '@seqgen/core';
import type { LearningRateSchedule } from './schedule.js';

/** How often and by how much {@link StepDecaySchedule} lowers the rate. */
export interface StepDecayOptions {
  /** Multiply the rate by `gamma` every `stepSize` steps. */
  stepSize: number;
  /** Default 0.5. */
  gamma?: number;
}

/** Step decay (char-rnn's `learning_rate_decay`): `gamma^floor(step / stepSize)`. */
export class StepDecaySchedule implements LearningRateSchedule {
  /** Steps between reductions. */
  readonly stepSize: number;
  /** Multiplier applied every `stepSize` steps (default 0.5). */
  readonly gamma: number;

  constructor(options: StepDecayOptions) {
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.5;
  }

  factor(step: number): number {
    return this.gamma ** Math.floor(step / this.stepSize);
  }

  /** Always `{}`: the factor depends on the step alone. */
  getState(): JsonObject {
    return {};
  }
  /** Does nothing: the schedule has no state. */
  setState(): void {}
}
