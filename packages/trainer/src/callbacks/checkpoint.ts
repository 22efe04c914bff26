import { assertPositiveInteger, ConfigError } from '@seqgen/core';
import type { StepMetrics, ValidationMetrics } from '../metrics.js';
import { platform } from '../platform/node.js';
import type { NonFiniteEvent, TrainingCallback, TrainingContext } from './callback.js';

/** Sub-folders the checkpoint callback writes inside its folder. */
export const LAST_CHECKPOINT = 'last';
/** Sub-folder holding the weights of the best validation (`best`). */
export const BEST_CHECKPOINT = 'best';

/** Where and when {@link ModelCheckpoint} writes checkpoints. */
export interface ModelCheckpointOptions {
  /** Folder that receives `last/` and `best/`. */
  dir: string;
  /** Save `last/` every N steps (besides at the end). Default: only at the end. */
  every?: number;
  /** Save `last/` when the run stops (default true): resumable from where it ended. */
  saveLast?: boolean;
  /** Save `best/` at each validation that improves on the best loss (default true). */
  saveBest?: boolean;
}

/**
 * Writes resumable checkpoints (Keras's ModelCheckpoint): `last/` every
 * `every` steps and when the run stops, `best/` at each improved validation.
 * A periodic `last/` falls after that step's validation, so that what the
 * validation changed (best loss, patience, a plateau schedule) is in it.
 */
export class ModelCheckpoint implements TrainingCallback {
  /** Folder receiving `last/` and `best/`. */
  readonly dir: string;
  /** Steps between periodic `last/` saves, or undefined for only at the end. */
  readonly every: number | undefined;
  /** Whether `last/` is saved when the run stops (default true). */
  readonly saveLast: boolean;
  /** Whether `best/` is saved at each improved validation (default true). */
  readonly saveBest: boolean;
  private lastSavedAt = -1;

  constructor(options: ModelCheckpointOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '')
      throw new ConfigError('checkpointDir', 'must be a non-empty folder path');
    if (options.every !== undefined) assertPositiveInteger('checkpointEvery', options.every);
    this.dir = options.dir;
    this.every = options.every;
    this.saveLast = options.saveLast ?? true;
    this.saveBest = options.saveBest ?? true;
  }

  /** Path of the `last/` checkpoint folder. */
  get lastPath(): string {
    return platform.joinPath(this.dir, LAST_CHECKPOINT);
  }

  /** Path of the `best/` checkpoint folder. */
  get bestPath(): string {
    return platform.joinPath(this.dir, BEST_CHECKPOINT);
  }

  onTrainBegin(): void {
    this.lastSavedAt = -1;
  }

  private periodic(step: number): boolean {
    return this.every !== undefined && step % this.every === 0;
  }

  private async saveLastAt(ctx: TrainingContext): Promise<void> {
    this.lastSavedAt = ctx.step;
    await ctx.save(this.lastPath, 'last');
  }

  async onStepEnd(_m: StepMetrics, ctx: TrainingContext): Promise<void> {
    // With a validation coming at this step, the save waits for it (onValidationEnd).
    if (this.saveLast && this.periodic(ctx.step) && !ctx.validationDue) await this.saveLastAt(ctx);
  }

  async onNonFinite(e: NonFiniteEvent, ctx: TrainingContext): Promise<void> {
    // A skipped step still counts: keep the cadence, unless the guard is about to end the run.
    if (e.consecutive >= ctx.trainer.guard.maxConsecutive) return;
    if (this.saveLast && this.periodic(ctx.step) && !ctx.validationDue) await this.saveLastAt(ctx);
  }

  async onValidationEnd(m: ValidationMetrics, ctx: TrainingContext): Promise<void> {
    if (this.saveBest && m.improved) await ctx.save(this.bestPath, 'best');
    if (this.saveLast && this.periodic(ctx.step)) await this.saveLastAt(ctx);
  }

  async onTrainStop(ctx: TrainingContext): Promise<void> {
    if (this.saveLast && this.lastSavedAt !== ctx.step) await this.saveLastAt(ctx);
  }
}
