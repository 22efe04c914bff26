import { readJsonl } from '../jsonl-log.js';
import { type LossSeries, renderLossSvg } from '../loss-plot.js';
import type { StepMetrics, ValidationMetrics } from '../metrics.js';
import { platform } from '../platform/node.js';
import type { TrainingCallback, TrainingContext } from './callback.js';

/** Where {@link LossPlot} writes its SVG and reads past losses from. */
export interface LossPlotOptions {
  /** SVG file to (re)write. */
  path: string;
  /**
   * A JSONL training log to rebuild the curves from on resume (the steps
   * before the checkpoint were trained by an earlier process).
   */
  logPath?: string;
}

/**
 * Draws the training and validation loss as a standalone SVG, rewritten at
 * each checkpoint and at the end of the run.
 */
export class LossPlot implements TrainingCallback {
  /** SVG file rewritten at each checkpoint and at the end. */
  readonly path: string;
  /** JSONL log the curves are rebuilt from on resume, or undefined. */
  readonly logPath: string | undefined;
  /** `[step, loss]` of each applied step. */
  readonly train: Array<[number, number]> = [];
  /** `[step, loss]` of each validation. */
  readonly validation: Array<[number, number]> = [];
  private drawnAt = -1;

  constructor(options: LossPlotOptions) {
    this.path = options.path;
    this.logPath = options.logPath;
  }

  onTrainBegin(ctx: TrainingContext): void {
    this.drawnAt = -1;
    if (ctx.resumedFrom === undefined || !this.logPath || !platform.exists(this.logPath)) return;
    const records = readJsonl(this.logPath).filter((r) => r.step <= ctx.step);
    this.train.length = 0;
    this.validation.length = 0;
    for (const r of records) {
      if (r.kind === 'step') this.train.push([r.step, Number(r.loss)]);
      if (r.kind === 'validation') this.validation.push([r.step, Number(r.loss)]);
    }
  }

  onStepEnd(m: StepMetrics): void {
    this.train.push([m.step, m.loss]);
  }

  onValidationEnd(m: ValidationMetrics): void {
    this.validation.push([m.step, m.loss]);
  }

  onCheckpoint(_e: unknown, ctx: TrainingContext): void {
    this.draw(ctx.step);
  }

  onTrainEnd(_e: unknown, ctx: TrainingContext): void {
    if (this.drawnAt !== ctx.step) this.draw(ctx.step);
  }

  /** Writes the SVG now. */
  draw(step: number): void {
    const series: LossSeries[] = [{ label: 'train', points: this.train, color: '#1f77b4' }];
    if (this.validation.length) series.push({ label: 'validation', points: this.validation, color: '#d62728' });
    platform.writeText(this.path, renderLossSvg(series, `loss (step ${step})`));
    this.drawnAt = step;
  }
}
