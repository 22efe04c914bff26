import { assertInRange, assertPositiveInteger, NonFiniteError } from '@seqgen/core';

/**
 * How the trainer reacts to NaN/Inf losses or gradients: the step is skipped, the rate lowered, the run stopped after
 * too many.
 */
export interface NonFiniteOptions {
  /** Stop (NonFiniteError) after this many non-finite steps in a row (default 5). */
  maxConsecutive?: number;
  /** Multiply the learning rate by this on each skipped step (default 0.5). */
  lrFactor?: number;
}

/** Saved in checkpoints so that a resumed run keeps the lowered rate. */
export interface NonFiniteState {
  /** Multiplier of the learning rate after the skips so far (1 = unchanged). */
  lrScale: number;
  /** Non-finite steps in a row at the time of the save. */
  consecutive: number;
}

/**
 * The NaN/Inf guard's bookkeeping: how much the learning rate has been scaled
 * down and how many steps in a row were bad.
 *
 * This stays in the loop rather than being a callback (unlike Keras's
 * TerminateOnNaN, which can only stop after a bad update has been applied):
 * a non-finite loss or gradient must be caught between the gradient and the
 * optimizer update, and the step skipped, its gradients and carried state
 * dropped. Callbacks run after a step, too late for that. Its learning-rate
 * scale is also an input of every update and part of the state an exact
 * resume restores. Callbacks still see each skipped step (`onNonFinite`).
 */
export class NonFiniteGuard {
  /** Non-finite steps in a row that stop the run with a NonFiniteError (default 5). */
  readonly maxConsecutive: number;
  /** Factor in (0, 1] the learning rate is multiplied by at each skipped step (default 0.5). */
  readonly lrFactor: number;
  /** Multiplier of the learning rate (× `lrFactor` per skipped step; never raised again). */
  lrScale = 1;
  /** Non-finite steps in a row so far (0 after an applied step). */
  consecutive = 0;

  constructor(options: NonFiniteOptions = {}) {
    this.maxConsecutive = options.maxConsecutive ?? 5;
    this.lrFactor = options.lrFactor ?? 0.5;
    NonFiniteGuard.validate(options);
  }

  /** Checks the options, throwing a ConfigError that names the bad field (under `field`). */
  static validate(options: NonFiniteOptions | undefined, field = 'nonFinite'): void {
    if (options?.maxConsecutive !== undefined) assertPositiveInteger(`${field}.maxConsecutive`, options.maxConsecutive);
    if (options?.lrFactor !== undefined) assertInRange(`${field}.lrFactor`, options.lrFactor, 0, 1, { openMin: true });
  }

  /** A step was skipped: lowers the rate; returns the count of bad steps in a row. */
  recordSkip(): number {
    this.consecutive++;
    this.lrScale *= this.lrFactor;
    return this.consecutive;
  }

  /** A step was applied. */
  recordGood(): void {
    this.consecutive = 0;
  }

  /** Throws {@link NonFiniteError} once `maxConsecutive` steps in a row were bad. */
  check(what: 'loss' | 'gradient', step: number): void {
    if (this.consecutive >= this.maxConsecutive) {
      throw new NonFiniteError(
        what,
        `${this.consecutive} steps in a row (up to step ${step}) had a non-finite ${what}; training stopped`,
      );
    }
  }

  /** The rate scale and bad-step count, saved in trainer checkpoints. */
  getState(): NonFiniteState {
    return { lrScale: this.lrScale, consecutive: this.consecutive };
  }

  /** Restores a saved state; missing fields fall back to scale 1 and count 0. */
  setState(state: Partial<NonFiniteState>): void {
    this.lrScale = Number(state.lrScale ?? 1);
    this.consecutive = Number(state.consecutive ?? 0);
  }
}
