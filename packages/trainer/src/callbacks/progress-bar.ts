import type { StepMetrics } from '../metrics.js';
import { type ProgressBarOptions, TrainingProgressBar } from '../progress-bar.js';
import type { TrainingCallback, TrainingContext } from './callback.js';

/**
 * Draws a {@link TrainingProgressBar} over the run (Keras's ProgbarLogger):
 * steps, ETA, loss, the model's metrics, learning rate, tokens/s, gradient norm.
 */
export class ProgressBarLogger implements TrainingCallback {
  /** The progress bar drawn. */
  readonly bar: TrainingProgressBar;

  constructor(options: ProgressBarOptions = {}) {
    this.bar = new TrainingProgressBar(options);
  }

  onTrainBegin(ctx: TrainingContext): void {
    this.bar.start(ctx.maxSteps, ctx.step);
  }

  onStepEnd(m: StepMetrics): void {
    this.bar.update(m);
  }

  onTrainEnd(): void {
    this.bar.stop();
  }
}
