import type { JsonObject } from '@seqgen/core';
import type { LearningRateSchedule } from './schedule.js';

/** The warm-up length, decay length and floor of a {@link WarmupCosineSchedule}. */
export interface WarmupCosineOptions {
  /** Steps of linear warm-up from 0 (default 0). Warm-up keeps Adam's first, noisy moment estimates from taking huge steps. */
  warmupSteps?: number;
  /** Step at which the cosine reaches its floor. */
  totalSteps: number;
  /** Floor as a fraction of the base rate (default 0). */
  minFactor?: number;
}

/** Linear warm-up, then half a cosine down to `minFactor`, held after `totalSteps`. */
export class WarmupCosineSchedule implements LearningRateSchedule {
  /** Steps of linear warm-up from 0 to the base rate (default 0). */
  readonly warmupSteps: number;
  /** Step at which the cosine reaches its floor, held afterwards. */
  readonly totalSteps: number;
  /** The floor, as a fraction of the base rate (default 0). */
  readonly minFactor: number;

  constructor(options: WarmupCosineOptions) {
    this.warmupSteps = options.warmupSteps ?? 0;
    this.totalSteps = options.totalSteps;
    this.minFactor = options.minFactor ?? 0;
  }

  factor(step: number): number {
    if (step < this.warmupSteps) return (step + 1) / this.warmupSteps;
    const span = Math.max(1, this.totalSteps - this.warmupSteps);
    const progress = Math.min(1, (step - this.warmupSteps) / span);
    return this.minFactor + (1 - this.minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /** Always `{}`: the factor depends on the step alone. */
  getState(): JsonObject {
    return {};
  }
  /** Does nothing: the schedule has no state. */
  setState(): void {}
}
