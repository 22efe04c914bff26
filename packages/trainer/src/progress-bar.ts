import cliProgress from 'cli-progress';
import type { StepMetrics } from './metrics.js';

export interface ProgressBarOptions {
  /** Where to draw (default process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Draw even when the stream is not a terminal (one line per redraw); default false. */
  forceOutput?: boolean;
}

/**
 * A terminal progress bar (cli-progress) with ETA and live metrics: loss, the
 * model's derived metrics (bits per token for a token model, rmse for a
 * regression), learning rate, tokens/s and gradient norm.
 */
export class TrainingProgressBar {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  constructor(options: ProgressBarOptions = {}) {
    this.bar = new cliProgress.SingleBar(
      {
        format:
          'train |{bar}| {value}/{total} steps | ETA {eta_formatted} | loss {loss}{derived} | lr {lr} | {tps} tok/s | |g| {gnorm}',
        stream: options.stream ?? process.stderr,
        noTTYOutput: options.forceOutput ?? false,
        notTTYSchedule: 0,
        fps: 5,
        etaBuffer: 50,
        hideCursor: false,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  start(total: number, startStep: number): void {
    this.bar.start(total, startStep, { loss: '-', derived: '', lr: '-', tps: '-', gnorm: '-' });
    this.started = true;
  }

  update(m: StepMetrics): void {
    if (!this.started) return;
    this.bar.update(m.step, {
      loss: m.loss.toFixed(4),
      derived:
        (m.bitsPerToken !== undefined ? ` | bpt ${m.bitsPerToken.toFixed(3)}` : '') +
        (m.rmse !== undefined ? ` | rmse ${m.rmse.toPrecision(4)}` : ''),
      lr: m.learningRate.toExponential(2),
      tps: Math.round(m.tokensPerSecond),
      gnorm: m.gradNorm.toFixed(3),
    });
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}
