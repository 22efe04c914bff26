import type { JsonObject } from '@seqgen/core';
import type { EvaluationResult } from '../evaluate.js';
import type { LossMetric, StepMetrics, ValidationMetrics } from '../metrics.js';
import type { RecurrentState, TrainableModel } from '../model.js';
import type { Trainer } from '../trainer.js';

/** A skipped step: its loss or gradient norm was NaN or infinite, so no weight changed. */
export interface NonFiniteEvent {
  /** The step that was skipped. */
  step: number;
  /** Which value was not finite. */
  what: 'loss' | 'gradient';
  /** The step's loss (may be NaN or ±Infinity). */
  loss: number;
  /** Global L2 norm of the step's gradients (may be NaN or ±Infinity). */
  gradNorm: number;
  /** Learning rate the next step will use. */
  learningRate: number;
  /** Non-finite steps in a row, this one included; the run stops with an error when it reaches `maxConsecutive`. */
  consecutive: number;
}

/** Which checkpoint was written: `last` (for resuming) or `best` (best validation loss). */
export type CheckpointKind = 'last' | 'best';

/** A checkpoint the run has just written. */
export interface CheckpointEvent {
  /** Steps taken when the checkpoint was saved. */
  step: number;
  /** `last` or `best`. */
  kind: CheckpointKind;
  /** Folder the checkpoint was written to. */
  path: string;
}

/** Why the loop stopped: `early-stopping` and `stop-requested` come from `stop(reason)`. */
export type StopReason = 'early-stopping' | 'stop-requested';

/** What `fit` resolves to: how many steps ran, why it stopped, and the losses reached. */
export interface TrainingResult {
  /** Steps taken in total (including those before a resume). */
  steps: number;
  /** `max-steps` when it ran to the end, else why it was stopped early. */
  stoppedBy: 'max-steps' | StopReason;
  /** Lowest validation loss of the run (resumed runs included), or null without validation. */
  bestValidationLoss: number | null;
  /** Training loss of the last applied step, or null when none was applied. */
  lastLoss: number | null;
}

/** What `onTrainEnd` gets: the result, or after a thrown error `stoppedBy: 'error'` and the error (fit then rethrows it). */
export interface TrainEndEvent extends Omit<TrainingResult, 'stoppedBy'> {
  /** Why the loop ended; `error` when `fit` is about to rethrow. */
  stoppedBy: TrainingResult['stoppedBy'] | 'error';
  /** The error thrown, when `stoppedBy` is `error`. */
  error?: unknown;
}

/**
 * What every callback hook receives: a live view of the run (read when the
 * hook runs) and the few things a callback may do to it.
 */
export interface TrainingContext<Batch = unknown> {
  /** The trainer running (its `step`, `optimizer`, `learningRate()`, `freeze()`…). */
  readonly trainer: Trainer<Batch, RecurrentState>;
  /** The model being trained. */
  readonly model: TrainableModel<Batch, RecurrentState>;
  /** Steps taken so far (the step just finished, inside `onStepEnd`). */
  readonly step: number;
  /** The step count at which the run ends. */
  readonly maxSteps: number;
  /** The metrics the model declared (what `StepMetrics` and `ValidationMetrics` carry besides the loss). */
  readonly metrics: readonly LossMetric[];
  /** The latest applied step's metrics. */
  readonly lastStep: StepMetrics | undefined;
  /** The latest validation's metrics. */
  readonly lastValidation: ValidationMetrics | undefined;
  /** Lowest validation loss so far (resumed runs included), or null. */
  readonly bestValidationLoss: number | null;
  /** The checkpoint this run resumed from (set in `onTrainBegin` of a resumed run). */
  readonly resumedFrom: string | undefined;
  /** True when `fit` was given validation data. */
  readonly hasValidation: boolean;
  /** True inside `onStepEnd` when a validation (and its `onValidationEnd`) follows this same step. */
  readonly validationDue: boolean;
  /** Ends the run after the current step (default reason `stop-requested`). */
  stop(reason?: StopReason): void;
  /**
   * Writes a resumable checkpoint of the run to `path` (weights, optimizer,
   * state, data cursor, callback states). With `kind`, the save is announced
   * to every callback's `onCheckpoint` (and so to the JSONL log).
   */
  save(path: string, kind?: CheckpointKind): Promise<void>;
  /** One pass over the validation data (undefined without validation data). */
  evaluate(): Promise<EvaluationResult | undefined>;
}

/**
 * A side concern of training (Keras's `callbacks/`): checkpoints, early
 * stopping, logs, plots, progress bars. Every hook is optional and may be
 * async; the trainer awaits each in the order the callbacks are listed.
 *
 * Order of events in `fit`: `onTrainBegin`, then per step `onStepEnd` (or
 * `onNonFinite` when the step was skipped), `onValidationEnd` when a
 * validation ran, `onCheckpoint` after each announced save; when the loop
 * stops (but not after an error) `onTrainStop` — the place for final saves,
 * so that every callback hears of them before the end — and finally
 * `onTrainEnd`, always, also after an error.
 */
export interface TrainingCallback<Batch = unknown> {
  /** Called once before the first step (after a resume has restored state). */
  onTrainBegin?(context: TrainingContext<Batch>): void | Promise<void>;
  /** Called after each applied step with its metrics. */
  onStepEnd?(metrics: StepMetrics, context: TrainingContext<Batch>): void | Promise<void>;
  /** Called after each validation pass with its metrics. */
  onValidationEnd?(metrics: ValidationMetrics, context: TrainingContext<Batch>): void | Promise<void>;
  /** Called after each announced checkpoint save. */
  onCheckpoint?(event: CheckpointEvent, context: TrainingContext<Batch>): void | Promise<void>;
  /** Called instead of `onStepEnd` when a step was skipped for a non-finite loss or gradient. */
  onNonFinite?(event: NonFiniteEvent, context: TrainingContext<Batch>): void | Promise<void>;
  /** Called when the loop stops without an error, before `onTrainEnd`: the place for final saves. */
  onTrainStop?(context: TrainingContext<Batch>): void | Promise<void>;
  /** Called last, always, also after an error. */
  onTrainEnd?(event: TrainEndEvent, context: TrainingContext<Batch>): void | Promise<void>;
  /**
   * Key under which {@link getState} is saved in checkpoints
   * (`metadata.trainer.callbacks[stateKey]`) and handed back to
   * {@link setState} on resume, so that e.g. early stopping's patience count
   * survives a restart.
   */
  readonly stateKey?: string;
  /** This callback's state to save in a checkpoint under `stateKey`. */
  getState?(): JsonObject;
  /** Restores the state `getState` saved, when a run resumes from a checkpoint. */
  setState?(state: JsonObject): void;
}

/**
 * The original event-object form of callbacks, still accepted by
 * `new Trainer(model, config, callbacks)`.
 */
export interface TrainerCallbacks {
  /** Called after each applied step with its metrics. */
  onStep?(metrics: StepMetrics): void | Promise<void>;
  /** Called after each validation pass with its metrics. */
  onValidation?(metrics: ValidationMetrics): void | Promise<void>;
  /** Called after each announced checkpoint save. */
  onCheckpoint?(event: CheckpointEvent): void | Promise<void>;
  /** Called when a step was skipped for a non-finite loss or gradient. */
  onNonFinite?(event: NonFiniteEvent): void | Promise<void>;
  /** Once, at the end of a `fit` that did not throw. */
  onEnd?(result: TrainingResult): void | Promise<void>;
}

/**
 * Turns `new Trainer`'s third argument into a list: an array is taken as it
 * is; an object is read as {@link TrainerCallbacks} (and any
 * {@link TrainingCallback} hooks it also has are kept).
 */
export function toCallbackList<Batch>(
  callbacks: readonly TrainingCallback<Batch>[] | TrainerCallbacks | TrainingCallback<Batch> | undefined,
): TrainingCallback<Batch>[] {
  if (callbacks === undefined) return [];
  if (Array.isArray(callbacks)) return [...callbacks];
  const legacy = callbacks as TrainerCallbacks & TrainingCallback<Batch>;
  const adapted: TrainingCallback<Batch> = {
    onTrainBegin: legacy.onTrainBegin?.bind(legacy),
    onStepEnd: async (m, ctx) => {
      await legacy.onStep?.(m);
      await legacy.onStepEnd?.(m, ctx);
    },
    onValidationEnd: async (m, ctx) => {
      await legacy.onValidation?.(m);
      await legacy.onValidationEnd?.(m, ctx);
    },
    onCheckpoint: async (e, ctx) => {
      await legacy.onCheckpoint?.(e, ctx);
    },
    onNonFinite: async (e, ctx) => {
      await legacy.onNonFinite?.(e, ctx);
    },
    onTrainStop: legacy.onTrainStop?.bind(legacy),
    onTrainEnd: async (e, ctx) => {
      if (e.stoppedBy !== 'error') {
        const { error: _error, ...result } = e;
        await legacy.onEnd?.(result as TrainingResult);
      }
      await legacy.onTrainEnd?.(e, ctx);
    },
  };
  if (legacy.stateKey !== undefined) {
    return [
      {
        ...adapted,
        stateKey: legacy.stateKey,
        getState: legacy.getState?.bind(legacy),
        setState: legacy.setState?.bind(legacy),
      },
    ];
  }
  return [adapted];
}
