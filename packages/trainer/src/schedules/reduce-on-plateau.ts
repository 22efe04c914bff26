import type { JsonObject } from '@seqgen/core';
import type { LearningRateSchedule } from './schedule.js';

/** When and by how much {@link ReduceOnPlateauSchedule} lowers the rate. */
export interface ReduceOnPlateauOptions {
  /** Multiplier applied when the metric stalls (default 0.5). */
  factor?: number;
  /** Observations without improvement tolerated before reducing (default 2). */
  patience?: number;
  /** Improvement smaller than this does not count (default 1e-4). */
  threshold?: number;
  /** Lowest multiplier (default 0). */
  minFactor?: number;
}

/**
 * Lowers the rate when the observed metric (validation loss, lower is better)
 * has not improved for `patience` observations. It has state — best value,
 * waiting count, current multiplier — which checkpoints keep.
 */
export class ReduceOnPlateauSchedule implements LearningRateSchedule {
  /** Multiplier applied at each reduction (the `factor` option, default 0.5). */
  readonly reduceBy: number;
  /** Observations without improvement tolerated before reducing (default 2). */
  readonly patience: number;
  /** Smallest decrease of the metric that counts as an improvement (default 1e-4). */
  readonly threshold: number;
  /** Lowest multiplier the rate is reduced to (default 0). */
  readonly minFactor: number;
  private current = 1;
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;

  constructor(options: ReduceOnPlateauOptions = {}) {
    this.reduceBy = options.factor ?? 0.5;
    this.patience = options.patience ?? 2;
    this.threshold = options.threshold ?? 1e-4;
    this.minFactor = options.minFactor ?? 0;
  }

  factor(): number {
    return this.current;
  }

  observe(value: number): void {
    if (value < this.best - this.threshold) {
      this.best = value;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait > this.patience) {
      this.current = Math.max(this.minFactor, this.current * this.reduceBy);
      this.wait = 0;
    }
  }

  /** Current multiplier, best value (null before any) and waiting count, for checkpoints. */
  getState(): JsonObject {
    // JSON has no Infinity: null stands for "nothing observed yet".
    return { current: this.current, best: Number.isFinite(this.best) ? this.best : null, wait: this.wait };
  }

  /** Restores a `getState` result; missing fields start afresh. */
  setState(state: JsonObject): void {
    this.current = Number(state.current ?? 1);
    this.best = typeof state.best === 'number' ? state.best : Number.POSITIVE_INFINITY;
    this.wait = Number(state.wait ?? 0);
  }
}
