import type { JsonObject, RngState, WeightArray } from '@seqgen/core';
import {
  assignWeights,
  CheckpointError,
  ConfigError,
  loadCheckpoint,
  NonFiniteError,
  Rng,
  saveCheckpoint,
  TRAINER_ENTRY_PREFIX,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { BestWeights } from './callbacks/best-weights.js';
import type {
  CheckpointEvent,
  CheckpointKind,
  NonFiniteEvent,
  StopReason,
  TrainEndEvent,
  TrainerCallbacks,
  TrainingCallback,
  TrainingContext,
  TrainingResult,
} from './callbacks/callback.js';
import { toCallbackList } from './callbacks/callback.js';
import { BEST_CHECKPOINT, LAST_CHECKPOINT, ModelCheckpoint } from './callbacks/checkpoint.js';
import { EarlyStopping } from './callbacks/early-stopping.js';
import { JsonlLogger } from './callbacks/jsonl-logger.js';
import { LossPlot } from './callbacks/loss-plot.js';
import { ProgressBarLogger } from './callbacks/progress-bar.js';
import { type ClipConfig, clipGradients, DEFAULT_CLIP, globalNorm } from './clipping.js';
import { type TrainerConfig, validateTrainerConfig } from './config.js';
import type { DataSource } from './data/data-source.js';
import { type EvaluationResult, evaluate } from './evaluate.js';
import {
  type LossMetric,
  lossMetrics,
  type StepMetrics,
  type ValidationMetrics,
  validateLossMetrics,
} from './metrics.js';
import type { LossContext, RecurrentState, TrainableModel } from './model.js';
import { NonFiniteGuard } from './non-finite-guard.js';
import { createOptimizer } from './optimizers/create-optimizer.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { matchesAny, type NamePattern, selectNames } from './patterns.js';
import { platform } from './platform/node.js';
import { createSchedule } from './schedules/create-schedule.js';
import type { LearningRateSchedule } from './schedules/schedule.js';
import { teacherForcingRatio } from './schedules/teacher-forcing.js';
import { yieldToEventLoop } from './yield.js';

/** Checkpoint weight-name prefixes of trainer state (core's trainer-entry prefix keeps them apart from model parameters). */
export const OPTIMIZER_PREFIX = `${TRAINER_ENTRY_PREFIX}optimizer/`;
/** Prefix of the carried recurrent state tensors in a trainer checkpoint (`@state/0`, `@state/1`, …). */
export const STATE_PREFIX = `${TRAINER_ENTRY_PREFIX}state/`;
/** Sub-folders and files the trainer's built-in callbacks write inside `checkpointDir`. */
export { BEST_CHECKPOINT, LAST_CHECKPOINT };
/** The JSONL training log the trainer writes inside `checkpointDir`. */
export const LOG_FILE = 'train-log.jsonl';
/** The SVG loss plot the trainer writes inside `checkpointDir`. */
export const PLOT_FILE = 'loss.svg';

/** Options of {@link Trainer.fit}: validation data and the checkpoint to resume from. */
export interface FitOptions<Batch> {
  /** Batches of one validation pass; called anew for each validation. */
  validation?: () => Iterable<Batch>;
  /** Checkpoint folder to resume from (weights, optimizer slots, step, schedule, RNG, data cursor, carried state, callback states). */
  resumeFrom?: string;
}

/**
 * Trains any {@link TrainableModel}. The loop is small: each step records
 * the model's loss on a gradient tape, clips, skips the update when the loss
 * or gradient is not finite, updates with its own optimizer and carries
 * recurrent state to the next batch (truncated BPTT); every `validateEvery`
 * steps it validates; it stops at `maxSteps` or when asked (`stop()`, from a
 * callback or a signal handler: the loop yields to the event loop every
 * step). Everything else is a {@link TrainingCallback}: checkpoints, early
 * stopping, best weights, the JSONL log, the loss plot and the progress bar,
 * which the `TrainerConfig` fields add for you.
 */
export class Trainer<Batch, State extends RecurrentState = RecurrentState> {
  /** The configuration the trainer was built with (validated). */
  readonly config: TrainerConfig;
  /** The optimizer updating the model's parameters; its slots are saved in checkpoints. */
  readonly optimizer: Optimizer;
  /** The learning-rate schedule multiplying the optimizer's base rate at each step. */
  readonly schedule: LearningRateSchedule;
  /** Handed to the model in every training context; saved in checkpoints. */
  readonly rng: Rng;
  /** The NaN/Inf guard (kept in the loop: see its doc). */
  readonly guard: NonFiniteGuard;
  /** Metrics the model declared. */
  readonly metrics: readonly LossMetric[];
  /** Steps taken (the next step's index). */
  step = 0;
  private readonly model: TrainableModel<Batch, State>;
  /** The callbacks given to the constructor. */
  private readonly userCallbacks: TrainingCallback<Batch>[];
  /** Callbacks of the running `fit` (built-in ones first), or the user's outside `fit`. */
  private active: TrainingCallback<Batch>[];
  private readonly clip: ClipConfig;
  private readonly frozen = new Set<string>();
  private readonly varNames = new Map<string, string>();
  private carried: State | undefined;
  private bestValidation: number | null = null;
  private stopReason: StopReason | undefined;
  private trainWindow: number[] = [];
  private lastStep: StepMetrics | undefined;
  private lastValidation: ValidationMetrics | undefined;
  private resumedFrom: string | undefined;
  /** Callback states read by `restore`, handed to callbacks by key when `fit` starts. */
  private restoredCallbackStates: JsonObject = {};
  private data: DataSource<Batch> | undefined;
  private validation: (() => Iterable<Batch>) | undefined;
  private validationDue = false;
  private readonly context: TrainingContext<Batch>;

  /**
   * @param callbacks a list of {@link TrainingCallback}s, or the original
   *   event object ({@link TrainerCallbacks}: `onStep`, `onValidation`,
   *   `onCheckpoint`, `onNonFinite`, `onEnd`).
   */
  constructor(
    model: TrainableModel<Batch, State>,
    config: TrainerConfig,
    callbacks: readonly TrainingCallback<Batch>[] | TrainerCallbacks = {},
  ) {
    validateTrainerConfig(config);
    this.model = model;
    this.config = config;
    this.metrics = validateLossMetrics(model.metrics);
    this.userCallbacks = toCallbackList(callbacks);
    this.active = this.userCallbacks;
    this.clip = config.clip ?? DEFAULT_CLIP;
    this.optimizer = createOptimizer(config.optimizer);
    this.schedule = createSchedule(config.schedule);
    this.rng = new Rng(config.seed ?? 0);
    this.guard = new NonFiniteGuard(config.nonFinite);
    const names = Object.keys(model.variables);
    if (names.length === 0) throw new ConfigError('model.variables', 'the model has no variables to train');
    for (const [name, v] of Object.entries(model.variables)) this.varNames.set(v.name, name);
    if (config.freeze) this.freeze(config.freeze);
    for (const [i, g] of (config.learningRateGroups ?? []).entries()) {
      selectNames(names, Array.isArray(g.match) ? g.match : [g.match], `learningRateGroups[${i}].match`);
    }
    this.context = this.makeContext();
  }

  /** Stops training the parameters matched (they still take part in the forward pass). */
  freeze(patterns: NamePattern[]): void {
    const hit = selectNames(Object.keys(this.model.variables), patterns, 'freeze');
    for (const n of hit) this.frozen.add(n);
    if (this.frozen.size === Object.keys(this.model.variables).length)
      throw new ConfigError('freeze', 'freezes every parameter: nothing would be trained');
  }

  /** Trains the matched parameters again (undoes `freeze`); a pattern matching nothing is a ConfigError. */
  unfreeze(patterns: NamePattern[]): void {
    for (const n of selectNames(Object.keys(this.model.variables), patterns, 'unfreeze')) this.frozen.delete(n);
  }

  /** Names of the parameters that are trained now. */
  get trainableNames(): string[] {
    return Object.keys(this.model.variables).filter((n) => !this.frozen.has(n));
  }

  /**
   * Asks a running `fit` to stop after the current step (the checkpoint
   * callback then saves `last/`). Safe to call from a signal handler: the
   * loop yields to the event loop once per step.
   */
  stop(reason: StopReason = 'stop-requested'): void {
    this.stopReason ??= reason;
  }

  /** Learning rate of parameter `name` (its group's) for the next step. */
  learningRate(name?: string): number {
    return this.learningRateAt(this.step, name);
  }

  private learningRateAt(step: number, name?: string): number {
    let group = 1;
    if (name !== undefined) {
      for (const g of this.config.learningRateGroups ?? []) {
        if (matchesAny(name, Array.isArray(g.match) ? g.match : [g.match])) {
          group = g.factor;
          break;
        }
      }
    }
    return this.config.optimizer.learningRate * this.schedule.factor(step) * this.guard.lrScale * group;
  }

  /** Probability of feeding the gold previous token at the next step (1 without a `teacherForcing` config). */
  get teacherForcingRatio(): number {
    return this.config.teacherForcing ? teacherForcingRatio(this.config.teacherForcing, this.step) : 1;
  }

  /** The callbacks the config asks for, in the order they must hear events (see the README). */
  private builtInCallbacks(): { before: TrainingCallback<Batch>[]; after: TrainingCallback<Batch>[] } {
    const c = this.config;
    const before: TrainingCallback<Batch>[] = [];
    const after: TrainingCallback<Batch>[] = [];
    const bar = c.progressBar ?? platform.stderrIsTerminal();
    if (bar !== false) before.push(new ProgressBarLogger(bar === true ? {} : bar));
    if (c.earlyStopping) before.push(new EarlyStopping(c.earlyStopping));
    if (c.restoreBestWeights) {
      before.push(
        new BestWeights(c.checkpointDir ? { checkpoint: platform.joinPath(c.checkpointDir, BEST_CHECKPOINT) } : {}),
      );
    }
    if (c.checkpointDir) {
      // In browsers there are no files: the checkpoints go to IndexedDB, the log and plot are left out.
      if (platform.files) {
        const log = platform.joinPath(c.checkpointDir, LOG_FILE);
        before.push(
          new JsonlLogger(log),
          new LossPlot({ path: platform.joinPath(c.checkpointDir, PLOT_FILE), logPath: log }),
        );
      }
      // Last: a checkpoint is written after every other callback has taken in the step (their state is in it).
      after.push(new ModelCheckpoint({ dir: c.checkpointDir, every: c.checkpointEvery }));
    }
    return { before, after };
  }

  /**
   * Trains on `data` until `maxSteps` or a stop, validating and checkpointing as configured; resolves to the result.
   */
  async fit(data: DataSource<Batch>, options: FitOptions<Batch> = {}): Promise<TrainingResult> {
    if (this.config.earlyStopping && !options.validation) {
      throw new ConfigError('validation', 'earlyStopping needs validation data passed to fit()');
    }
    if (this.config.restoreBestWeights && !options.validation) {
      throw new ConfigError('validation', 'restoreBestWeights needs validation data passed to fit()');
    }
    const { before, after } = this.builtInCallbacks();
    this.active = [...before, ...this.userCallbacks, ...after];
    this.data = data;
    this.validation = options.validation;
    this.stopReason = undefined;
    let lastLoss: number | null = null;
    let ended = false;
    try {
      if (options.resumeFrom) await this.restore(options.resumeFrom, data);
      for (const cb of this.active) {
        const state = cb.stateKey ? this.restoredCallbackStates[cb.stateKey] : undefined;
        if (state && typeof state === 'object' && !Array.isArray(state)) cb.setState?.(state);
      }
      this.restoredCallbackStates = {};
      await this.emit((cb, ctx) => cb.onTrainBegin?.(ctx));
      this.resumedFrom = undefined;
      while (this.step < this.config.maxSteps && this.stopReason === undefined) {
        const every = this.config.validateEvery;
        const validating = every !== undefined && (this.step + 1) % every === 0;
        this.validationDue = validating && this.validation !== undefined;
        const metrics = await this.trainStep(data.next());
        this.validationDue = false;
        if (metrics) lastLoss = metrics.loss;
        if (validating) await this.validate();
        await yieldToEventLoop();
      }
      await this.emit((cb, ctx) => cb.onTrainStop?.(ctx));
      const result: TrainingResult = {
        steps: this.step,
        stoppedBy: this.stopReason ?? 'max-steps',
        bestValidationLoss: this.bestValidation,
        lastLoss,
      };
      ended = true;
      await this.emit((cb, ctx) => cb.onTrainEnd?.(result, ctx));
      return result;
    } catch (error) {
      if (!ended) {
        const event: TrainEndEvent = {
          steps: this.step,
          stoppedBy: 'error',
          bestValidationLoss: this.bestValidation,
          lastLoss,
          error,
        };
        // Every callback hears of the end (a progress bar must close) even when one of them fails.
        for (const cb of this.active) {
          try {
            await cb.onTrainEnd?.(event, this.context);
          } catch {
            // the first error is the one to report
          }
        }
      }
      throw error;
    } finally {
      this.active = this.userCallbacks;
      this.data = undefined;
      this.validation = undefined;
      this.validationDue = false;
    }
  }

  /** Calls one hook of every active callback, in order, awaiting each. */
  private async emit(
    call: (cb: TrainingCallback<Batch>, ctx: TrainingContext<Batch>) => void | Promise<void>,
  ): Promise<void> {
    for (const cb of this.active) await call(cb, this.context);
  }

  /** One optimizer step on `batch`; returns its metrics, or undefined when the non-finite guard skipped it. */
  async trainStep(batch: Batch): Promise<StepMetrics | undefined> {
    const started = performance.now();
    const step = this.step;
    const context: LossContext = {
      training: true,
      step,
      teacherForcingRatio: this.teacherForcingRatio,
      rng: this.rng,
    };
    const names = this.trainableNames;
    const varList = names.map((n) => this.model.variables[n] as tf.Variable);
    let tokens = 0;
    let nextState: State | undefined;
    const previous = this.carried;
    const { value, grads: byVarName } = tf.variableGrads(() => {
      const out = this.model.loss(batch, previous, context);
      tokens = out.tokens;
      // Kept past the tape: this is the detach point of truncated BPTT — the
      // next batch reads these as constants, so no gradient flows back into this one.
      nextState = out.state ? (out.state.map((t) => tf.keep(t)) as State) : undefined;
      return out.loss;
    }, varList);
    const grads: Record<string, tf.Tensor> = {};
    for (const [varName, g] of Object.entries(byVarName)) if (g) grads[this.varNames.get(varName) as string] = g;
    const norm = globalNorm(Object.values(grads));
    const [lossData, normData] = await Promise.all([value.data(), norm.data()]);
    const loss = lossData[0] as number;
    const gradNorm = normData[0] as number;
    value.dispose();
    this.step = step + 1;

    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      tf.dispose([norm, ...Object.values(grads)]);
      this.replaceCarried(nextState, undefined); // a state that produced NaN is not worth carrying
      this.replaceCarried(previous, undefined);
      this.carried = undefined;
      const what = Number.isFinite(loss) ? 'gradient' : 'loss';
      const consecutive = this.guard.recordSkip();
      const event: NonFiniteEvent = {
        step: this.step,
        what,
        loss,
        gradNorm,
        learningRate: this.learningRate(),
        consecutive,
      };
      await this.emit((cb, ctx) => cb.onNonFinite?.(event, ctx));
      this.guard.check(what, this.step);
      return undefined;
    }
    this.guard.recordGood();
    const clipped = clipGradients(grads, norm, this.clip);
    tf.dispose([norm, ...Object.values(grads)]);
    const learningRate = this.learningRateAt(step);
    this.optimizer.apply(this.model.variables, clipped, (n) => this.learningRateAt(step, n));
    tf.dispose(Object.values(clipped));
    if ((this.config.bptt ?? 'truncated') === 'truncated') this.replaceCarried(previous, nextState);
    else {
      this.replaceCarried(nextState, undefined);
      this.replaceCarried(previous, undefined);
      this.carried = undefined;
    }
    const seconds = Math.max(1e-9, (performance.now() - started) / 1000);
    const metrics: StepMetrics = {
      step: this.step,
      loss,
      ...lossMetrics(loss, this.metrics),
      tokens,
      tokensPerSecond: tokens / seconds,
      gradNorm,
      learningRate,
      teacherForcingRatio: context.teacherForcingRatio,
    };
    this.lastStep = metrics;
    this.trainWindow.push(loss);
    await this.emit((cb, ctx) => cb.onStepEnd?.(metrics, ctx));
    return metrics;
  }

  /** Disposes `old` state tensors that `next` does not reuse, and carries `next`. */
  private replaceCarried(old: State | undefined, next: State | undefined): void {
    if (old) {
      const reused = new Set(next ?? []);
      for (const t of old) if (!reused.has(t) && !t.isDisposed) t.dispose();
    }
    this.carried = next;
  }

  /**
   * Token-weighted mean loss (and the model's metrics) over one pass, by the
   * standalone {@link evaluate}: state is carried within the pass, not into
   * training, and the training RNG is not touched.
   */
  evaluate(batches: Iterable<Batch>): Promise<EvaluationResult> {
    return evaluate(this.model, batches, { step: this.step });
  }

  /**
   * Validates, feeds the loss to the schedule and announces it; without
   * validation data, feeds the schedule the mean training loss since last time.
   */
  private async validate(): Promise<void> {
    if (!this.validation) {
      if (this.schedule.observe && this.trainWindow.length > 0) {
        this.schedule.observe(this.trainWindow.reduce((a, b) => a + b, 0) / this.trainWindow.length);
      }
      this.trainWindow = [];
      return;
    }
    this.trainWindow = [];
    const { batches: _batches, ...result } = await this.evaluate(this.validation());
    this.schedule.observe?.(result.loss);
    const improved =
      Number.isFinite(result.loss) && (this.bestValidation === null || result.loss < this.bestValidation);
    if (improved) this.bestValidation = result.loss;
    const metrics: ValidationMetrics = { step: this.step, ...result, improved };
    this.lastValidation = metrics;
    await this.emit((cb, ctx) => cb.onValidationEnd?.(metrics, ctx));
  }

  private makeContext(): TrainingContext<Batch> {
    const self = this;
    return {
      get trainer() {
        return self as unknown as Trainer<Batch, RecurrentState>;
      },
      get model() {
        return self.model as unknown as TrainableModel<Batch, RecurrentState>;
      },
      get step() {
        return self.step;
      },
      get maxSteps() {
        return self.config.maxSteps;
      },
      get metrics() {
        return self.metrics;
      },
      get lastStep() {
        return self.lastStep;
      },
      get lastValidation() {
        return self.lastValidation;
      },
      get bestValidationLoss() {
        return self.bestValidation;
      },
      get resumedFrom() {
        return self.resumedFrom;
      },
      get hasValidation() {
        return self.validation !== undefined;
      },
      get validationDue() {
        return self.validationDue;
      },
      stop: (reason?: StopReason) => self.stop(reason),
      save: (path: string, kind?: CheckpointKind) => self.saveAndAnnounce(path, kind),
      evaluate: async () => (self.validation ? self.evaluate(self.validation()) : undefined),
    };
  }

  private async saveAndAnnounce(path: string, kind: CheckpointKind | undefined): Promise<void> {
    await this.save(path, this.data);
    if (kind === undefined) return;
    const event: CheckpointEvent = { step: this.step, kind, path };
    await this.emit((cb, ctx) => cb.onCheckpoint?.(event, ctx));
  }

  /**
   * Writes a checkpoint: model weights, optimizer slots, carried state, the
   * preprocessors, and in `metadata.trainer` the step, optimizer iterations,
   * schedule state, RNG state, data cursor, guard state and each stateful
   * callback's state. Refuses (NonFiniteError) when a weight is NaN/Inf, so a
   * broken model never overwrites a good one.
   */
  async save(path: string, data?: DataSource<Batch>): Promise<void> {
    const weights: Record<string, tf.Tensor> = { ...this.model.variables };
    for (const [name, slot] of Object.entries(this.optimizer.getSlots())) weights[`${OPTIMIZER_PREFIX}${name}`] = slot;
    this.carried?.forEach((t, i) => {
      weights[`${STATE_PREFIX}${i}`] = t;
    });
    const callbacks: JsonObject = {};
    for (const cb of this.active) if (cb.stateKey && cb.getState) callbacks[cb.stateKey] = cb.getState();
    const trainer: JsonObject = {
      step: this.step,
      optimizer: { ...this.optimizer.getConfig(), iterations: this.optimizer.iterations },
      schedule: this.schedule.getState(),
      rng: [...this.rng.getState()],
      data: data ? data.getState() : null,
      lrScale: this.guard.lrScale,
      consecutiveNonFinite: this.guard.consecutive,
      bestValidationLoss: this.bestValidation,
      carriedState: this.carried?.length ?? 0,
      frozen: [...this.frozen],
      bptt: this.config.bptt ?? 'truncated',
      callbacks,
    };
    try {
      await saveCheckpoint(path, {
        config: this.model.getConfig(),
        preprocessors: this.config.preprocessors ?? {},
        metadata: { trainer },
        weights,
      });
    } catch (error) {
      if (error instanceof CheckpointError && error.reason === 'non-finite') {
        throw new NonFiniteError('weights', `checkpoint not written at step ${this.step}: ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * Loads everything {@link save} wrote back into this trainer, its model and
   * `data`. The weights must fit the model exactly (core's `assignWeights`:
   * a `CheckpointError` with reason `invalid-weights` names each misfit).
   */
  async restore(path: string, data?: DataSource<Batch>): Promise<void> {
    const ckpt = await loadCheckpoint(path);
    const meta = ckpt.metadata.trainer as JsonObject | undefined;
    if (!meta || typeof meta.step !== 'number') {
      throw new CheckpointError(
        'invalid-manifest',
        path,
        'has no trainer state (metadata.trainer); use loadPretrained to start from it',
      );
    }
    assignWeights(this.model.variables, ckpt.weights, { source: path });
    const slots: Record<string, WeightArray> = {};
    for (const [name, w] of Object.entries(ckpt.weights)) {
      if (name.startsWith(OPTIMIZER_PREFIX)) slots[name.slice(OPTIMIZER_PREFIX.length)] = w;
    }
    this.optimizer.setSlots(slots, this.model.variables);
    this.optimizer.iterations = Number((meta.optimizer as JsonObject | undefined)?.iterations ?? 0);
    this.schedule.setState((meta.schedule ?? {}) as JsonObject);
    this.rng.setState(meta.rng as unknown as RngState);
    if (data && meta.data) data.setState(meta.data as JsonObject);
    this.step = meta.step;
    this.guard.setState({ lrScale: Number(meta.lrScale ?? 1), consecutive: Number(meta.consecutiveNonFinite ?? 0) });
    this.bestValidation = typeof meta.bestValidationLoss === 'number' ? meta.bestValidationLoss : null;
    this.restoredCallbackStates = { ...((meta.callbacks as JsonObject | undefined) ?? {}) };
    if (meta.callbacks === undefined && typeof meta.badValidations === 'number') {
      // Written before early stopping was a callback: its count sat beside the best loss.
      this.restoredCallbackStates['early-stopping'] = { best: this.bestValidation, wait: meta.badValidations };
    }
    this.frozen.clear();
    for (const n of (meta.frozen as string[] | undefined) ?? []) if (n in this.model.variables) this.frozen.add(n);
    const count = Number(meta.carriedState ?? 0);
    const state: tf.Tensor[] = [];
    for (let i = 0; i < count; i++) {
      const w = ckpt.weights[`${STATE_PREFIX}${i}`];
      if (!w) throw new CheckpointError('invalid-manifest', path, `carried state ${i} is missing`);
      state.push(tf.tensor(w.data as Float32Array, w.shape, 'float32'));
    }
    this.replaceCarried(this.carried, count ? (state as State) : undefined);
    this.resumedFrom = path;
  }

  /** Releases the optimizer slots and carried state (the model's variables stay the model's). */
  dispose(): void {
    this.optimizer.dispose();
    this.replaceCarried(this.carried, undefined);
  }
}
