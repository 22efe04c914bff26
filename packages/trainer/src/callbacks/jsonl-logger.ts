import { JsonlLog } from '../jsonl-log.js';
import type { StepMetrics, ValidationMetrics } from '../metrics.js';
import type { CheckpointEvent, NonFiniteEvent, TrainEndEvent, TrainingCallback, TrainingContext } from './callback.js';

/**
 * Writes every event as one JSON line (Keras's CSVLogger, one record per
 * event instead of per epoch): `step`, `validation`, `checkpoint`,
 * `non-finite`, `resume` and `end` records. On resume it drops the records the
 * interrupted run wrote after the checkpoint, since those steps are redone.
 */
export class JsonlLogger implements TrainingCallback {
  /** The log file written to. */
  readonly log: JsonlLog;

  constructor(path: string) {
    this.log = new JsonlLog(path);
  }

  /** Path of the JSONL log. */
  get path(): string {
    return this.log.path;
  }

  onTrainBegin(ctx: TrainingContext): void {
    if (ctx.resumedFrom === undefined) return;
    this.log.truncateAfter(ctx.step);
    this.log.append({ kind: 'resume', step: ctx.step, from: ctx.resumedFrom });
  }

  onStepEnd(m: StepMetrics): void {
    this.log.append({ kind: 'step', ...m });
  }

  onValidationEnd(m: ValidationMetrics): void {
    this.log.append({ kind: 'validation', ...m });
  }

  onCheckpoint(e: CheckpointEvent): void {
    this.log.append({ kind: 'checkpoint', step: e.step, checkpoint: e.kind, path: e.path });
  }

  onNonFinite(e: NonFiniteEvent): void {
    // NaN and Infinity are not JSON: written as strings.
    this.log.append({ kind: 'non-finite', ...e, loss: String(e.loss), gradNorm: String(e.gradNorm) });
  }

  onTrainEnd(e: TrainEndEvent, ctx: TrainingContext): void {
    const { error, ...result } = e;
    this.log.append({
      kind: 'end',
      step: ctx.step,
      ...result,
      ...(e.stoppedBy === 'error' ? { error: error instanceof Error ? error.message : String(error) } : {}),
    });
  }
}
