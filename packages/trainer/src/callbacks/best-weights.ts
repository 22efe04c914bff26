import { assignWeights, ConfigError, type JsonObject, loadCheckpoint } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { ValidationMetrics } from '../metrics.js';
import type { TrainEndEvent, TrainingCallback, TrainingContext } from './callback.js';

/** Options of {@link BestWeights}. */
export interface BestWeightsOptions {
  /**
   * A checkpoint holding the best weights (the checkpoint callback's `best/`),
   * read at the end of a resumed run, whose in-memory copy was lost with the
   * interrupted process.
   */
  checkpoint?: string;
}

/** What {@link BestWeights} did at the end of a run. */
export interface BestWeightsReport {
  /** True when the model now holds the best validated weights. */
  restored: boolean;
  /** Step and validation loss of the best weights. */
  bestStep: number;
  /** The best validation loss seen, the one the restored weights scored. */
  bestLoss: number;
  /** Validation loss of the final weights (those kept when not restored). */
  finalLoss: number;
}

/**
 * Keeps a copy of the weights at the best validation so far and, when the run
 * ends, puts them back in the model if they beat the final weights on the
 * validation data (Keras's `restore_best_weights`). The final weights are
 * validated anew unless the last validation was at the last step. `last/`
 * checkpoints still hold the final weights (they are for resuming): the
 * restore happens after the final save.
 */
export class BestWeights implements TrainingCallback {
  readonly stateKey = 'best-weights';
  /** The `best/` checkpoint read on a resumed run, or undefined. */
  readonly checkpoint: string | undefined;
  /** Lowest finite validation loss so far, or null before the first validation. */
  bestLoss: number | null = null;
  /** Step of the best validation so far (-1 before the first). */
  bestStep = -1;
  /** Set when a run ended with a snapshot to compare. */
  report: BestWeightsReport | undefined;
  private snapshot: Record<string, tf.Tensor> | undefined;

  constructor(options: BestWeightsOptions = {}) {
    this.checkpoint = options.checkpoint;
  }

  onTrainBegin(ctx: TrainingContext): void {
    if (!ctx.hasValidation)
      throw new ConfigError('validation', 'restoreBestWeights (BestWeights) needs validation data passed to fit()');
    this.report = undefined;
  }

  onValidationEnd(m: ValidationMetrics, ctx: TrainingContext): void {
    if (!Number.isFinite(m.loss) || (this.bestLoss !== null && m.loss >= this.bestLoss)) return;
    this.bestLoss = m.loss;
    this.bestStep = m.step;
    this.release();
    this.snapshot = tf.tidy(() => {
      const copy: Record<string, tf.Tensor> = {};
      for (const [name, v] of Object.entries(ctx.model.variables)) copy[name] = tf.keep(v.clone());
      return copy;
    });
  }

  async onTrainEnd(e: TrainEndEvent, ctx: TrainingContext): Promise<void> {
    try {
      if (e.stoppedBy === 'error' || this.bestLoss === null) return;
      const finalLoss = ctx.lastValidation?.step === ctx.step ? ctx.lastValidation.loss : (await ctx.evaluate())?.loss;
      if (finalLoss === undefined) return;
      // Final weights whose loss is NaN are beaten by anything.
      const better = Number.isNaN(finalLoss) || this.bestLoss < finalLoss;
      let restored = false;
      if (better && this.snapshot) {
        for (const [name, t] of Object.entries(this.snapshot)) ctx.model.variables[name]?.assign(t);
        restored = true;
      } else if (better && this.checkpoint) {
        // A resumed run: the copy is the `best/` checkpoint, if it is the same validation.
        const saved = await loadCheckpoint(this.checkpoint);
        if ((saved.metadata.trainer as JsonObject | undefined)?.step === this.bestStep) {
          assignWeights(ctx.model.variables, saved.weights, { source: this.checkpoint });
          restored = true;
        }
      }
      this.report = { restored, bestStep: this.bestStep, bestLoss: this.bestLoss, finalLoss };
    } finally {
      this.release();
    }
  }

  getState(): JsonObject {
    return { bestLoss: this.bestLoss, bestStep: this.bestStep };
  }

  setState(state: JsonObject): void {
    this.bestLoss = typeof state.bestLoss === 'number' ? state.bestLoss : null;
    this.bestStep = Number(state.bestStep ?? -1);
  }

  private release(): void {
    if (this.snapshot) tf.dispose(Object.values(this.snapshot));
    this.snapshot = undefined;
  }
}
