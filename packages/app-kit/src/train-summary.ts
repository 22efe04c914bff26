import { LAST_CHECKPOINT } from '@seqgen/trainer';
import { InterruptedError } from './errors.js';

/** What every app's `train` reports, whatever its held-out figures. */
export type TrainRunSummary = {
  /** The run folder (`--out`). */
  out: string;
  steps: number;
  seconds: number;
  /** Ctrl-C stopped it: `resume` is the command that continues. */
  interrupted: boolean;
  resume?: string;
};

/** The {@link InterruptedError} (exit 130) that tells the user where an interrupted run went and how to go on. */
export function interruptedTrainingError(summary: TrainRunSummary): InterruptedError {
  return new InterruptedError(
    `interrupted at step ${summary.steps}: a resumable checkpoint is in ${summary.out}/${LAST_CHECKPOINT}; continue with: ${summary.resume}`,
  );
}

/**
 * `train --json`'s object: the run, and with `valid` the validation split's figures in the shape
 * of `eval --json` (`split`, `examples`, `metrics`).
 */
export function trainSummaryJson(
  summary: TrainRunSummary,
  valid?: { examples: number; metrics: Record<string, number> },
): Record<string, unknown> {
  return {
    out: summary.out,
    steps: summary.steps,
    seconds: Math.round(summary.seconds * 10) / 10,
    interrupted: summary.interrupted,
    ...(summary.resume ? { resume: summary.resume } : {}),
    ...(valid ? { split: 'valid', ...valid } : {}),
  };
}
