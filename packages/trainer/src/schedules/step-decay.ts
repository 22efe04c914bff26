import type { JsonObject } from '@seqgen/core';
import type { LearningRateSchedule } from './schedule.js';

export interface StepDecayOptions {
  /** Multiply the rate by `gamma` every `stepSize` steps. */
  stepSize: number;
  /** Default 0.5. */
  gamma?: number;
}

/** Step decay (char-rnn's `learning_rate_decay`): `gamma^floor(step / stepSize)`. */
export class StepDecaySchedule implements LearningRateSchedule {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(options: StepDecayOptions) {
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.5;
  }

  factor(step: number): number {
    return this.gamma ** Math.floor(step / this.stepSize);
  }

  getState(): JsonObject {
    return {};
  }
  setState(): void {}
}
