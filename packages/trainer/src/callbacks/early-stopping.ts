import { assertFiniteNumber, assertPositiveInteger, ConfigError, type JsonObject } from '@seqgen/core';
import type { ValidationMetrics } from '../metrics.js';
import type { TrainingCallback, TrainingContext } from './callback.js';

/** When {@link EarlyStopping} ends a run. */
export interface EarlyStoppingOptions {
  /** Validations without an improvement of more than `minDelta` before stopping. */
  patience: number;
  /** How much lower than the best a loss must be to count as an improvement (default 0). */
  minDelta?: number;
}

/**
 * Stops training when the validation loss has not improved by more than
 * `minDelta` for `patience` validations in a row (Keras's EarlyStopping).
 * Its count is saved in checkpoints, so a resumed run keeps its patience.
 */
export class EarlyStopping implements TrainingCallback {
  readonly stateKey = 'early-stopping';
  /** Validations in a row without improvement before stopping. */
  readonly patience: number;
  /** How much a loss must undercut the best to count as an improvement (default 0). */
  readonly minDelta: number;
  /** Best loss seen (by this callback's `minDelta` rule). */
  best: number | null = null;
  /** Validations in a row without improvement. */
  wait = 0;

  constructor(options: EarlyStoppingOptions) {
    assertPositiveInteger('earlyStopping.patience', options?.patience);
    if (options.minDelta !== undefined) {
      assertFiniteNumber('earlyStopping.minDelta', options.minDelta);
      if (options.minDelta < 0) throw new ConfigError('earlyStopping.minDelta', `must be ≥ 0, got ${options.minDelta}`);
    }
    this.patience = options.patience;
    this.minDelta = options.minDelta ?? 0;
  }

  onTrainBegin(ctx: TrainingContext): void {
    if (!ctx.hasValidation) throw new ConfigError('validation', 'earlyStopping needs validation data passed to fit()');
  }

  onValidationEnd(m: ValidationMetrics, ctx: TrainingContext): void {
    const improved = Number.isFinite(m.loss) && (this.best === null || m.loss < this.best - this.minDelta);
    if (improved) {
      this.best = m.loss;
      this.wait = 0;
    } else this.wait++;
    if (this.wait >= this.patience) ctx.stop('early-stopping');
  }

  getState(): JsonObject {
    return { best: this.best, wait: this.wait };
  }

  setState(state: JsonObject): void {
    this.best = typeof state.best === 'number' ? state.best : null;
    this.wait = Number(state.wait ?? 0);
  }
}
