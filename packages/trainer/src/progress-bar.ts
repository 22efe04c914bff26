import type { StepMetrics } from './metrics.js';
import { platform } from './platform/node.js';
import type { TerminalBar } from './platform/platform.js';

/**
 * Where a progress bar draws: any writable text stream (`process.stderr`, a file
 * stream, a test's collector). Typed by what is used, not as Node's
 * `WritableStream`, so that this package's types need no `@types/node`.
 */
export interface ProgressStream {
  /** Writes text to the stream; the return value is ignored. */
  write(chunk: string): unknown;
  /** True for a terminal, where the bar redraws in place (Node's tty streams set it). */
  isTTY?: boolean;
}

/** Options of {@link TrainingProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw (default process.stderr). */
  stream?: ProgressStream;
  /** Draw even when the stream is not a terminal (one line per redraw); default false. */
  forceOutput?: boolean;
}

/**
 * A terminal progress bar (cli-progress) with ETA and live metrics: loss, the
 * model's derived metrics (bits per token for a token model, rmse for a
 * regression), learning rate, tokens/s and gradient norm.
 */
export class TrainingProgressBar {
  private readonly bar: TerminalBar;
  private started = false;

  constructor(options: ProgressBarOptions = {}) {
    this.bar = platform.createTerminalBar(
      'train |{bar}| {value}/{total} steps | ETA {eta_formatted} | loss {loss}{derived} | lr {lr} | {tps} tok/s | |g| {gnorm}',
      options.stream,
      options.forceOutput ?? false,
    );
  }

  /** Starts drawing a bar of `total` steps, already at `startStep` (non-zero on resume). */
  start(total: number, startStep: number): void {
    this.bar.start(total, startStep, { loss: '-', derived: '', lr: '-', tps: '-', gnorm: '-' });
    this.started = true;
  }

  /** Moves the bar to `m.step` and shows its loss, metrics, learning rate, tokens/s and gradient norm. */
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

  /** Stops drawing the bar; `start` may begin it again. */
  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}
