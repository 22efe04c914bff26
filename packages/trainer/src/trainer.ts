import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject, RngState, WeightArray } from '@seqgen/core';
import {
  CheckpointError,
  ConfigError,
  loadCheckpoint,
  NonFiniteError,
  Rng,
  ShapeError,
  saveCheckpoint,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { type ClipConfig, clipGradients, DEFAULT_CLIP, globalNorm } from './clipping.js';
import { type TrainerConfig, validateTrainerConfig } from './config.js';
import type { DataSource } from './data/data-source.js';
import { JsonlLog, readJsonl } from './jsonl-log.js';
import { renderLossSvg } from './loss-plot.js';
import { bitsPerToken, perplexity, type StepMetrics, type ValidationMetrics } from './metrics.js';
import type { LossContext, RecurrentState, TrainableModel } from './model.js';
import { createOptimizer } from './optimizers/create-optimizer.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { matchesAny, type NamePattern, selectNames } from './patterns.js';
import { TrainingProgressBar } from './progress-bar.js';
import { createSchedule } from './schedules/create-schedule.js';
import type { LearningRateSchedule } from './schedules/schedule.js';
import { teacherForcingRatio } from './schedules/teacher-forcing.js';
import { assignWeight } from './transfer.js';

/** Checkpoint weight-name prefixes of trainer state; `@` keeps them apart from model parameter names. */
export const OPTIMIZER_PREFIX = '@optimizer/';
export const STATE_PREFIX = '@state/';
/** Sub-folders and files the trainer writes inside `checkpointDir`. */
export const LAST_CHECKPOINT = 'last';
export const BEST_CHECKPOINT = 'best';
export const LOG_FILE = 'train-log.jsonl';
export const PLOT_FILE = 'loss.svg';

export interface NonFiniteEvent {
  step: number;
  /** Which value was not finite. */
  what: 'loss' | 'gradient';
  loss: number;
  gradNorm: number;
  /** Learning rate the next step will use. */
  learningRate: number;
  consecutive: number;
}

export interface CheckpointEvent {
  step: number;
  kind: 'last' | 'best';
  path: string;
}

export interface TrainingResult {
  /** Steps taken in total (including those before a resume). */
  steps: number;
  stoppedBy: 'max-steps' | 'early-stopping' | 'stop-requested';
  bestValidationLoss: number | null;
  lastLoss: number | null;
}

/** Event callbacks; they may be async (the trainer awaits them). */
export interface TrainerCallbacks {
  onStep?(metrics: StepMetrics): void | Promise<void>;
  onValidation?(metrics: ValidationMetrics): void | Promise<void>;
  onCheckpoint?(event: CheckpointEvent): void | Promise<void>;
  onNonFinite?(event: NonFiniteEvent): void | Promise<void>;
  onEnd?(result: TrainingResult): void | Promise<void>;
}

export interface FitOptions<Batch> {
  /** Batches of one validation pass; called anew for each validation. */
  validation?: () => Iterable<Batch>;
  /** Checkpoint folder to resume from (weights, optimizer slots, step, schedule, RNG, data cursor, carried state). */
  resumeFrom?: string;
}

/**
 * Trains any {@link TrainableModel}: takes a batch, records the model's loss
 * on a gradient tape, clips, guards against NaN/Inf, updates with its own
 * optimizer, and carries recurrent state between batches (truncated BPTT).
 * It validates, stops early, checkpoints everything needed for an exact
 * resume, and reports through callbacks, a JSONL log, a loss plot and a
 * progress bar.
 */
export class Trainer<Batch, State extends RecurrentState = RecurrentState> {
  readonly config: TrainerConfig;
  readonly optimizer: Optimizer;
  readonly schedule: LearningRateSchedule;
  /** Handed to the model in every training context; saved in checkpoints. */
  readonly rng: Rng;
  /** Steps taken (the next step's index). */
  step = 0;
  private readonly model: TrainableModel<Batch, State>;
  private readonly callbacks: TrainerCallbacks;
  private readonly clip: ClipConfig;
  private readonly frozen = new Set<string>();
  private readonly varNames = new Map<string, string>();
  private carried: State | undefined;
  /** Multiplier from the non-finite guard (halved on each skipped step). */
  private lrScale = 1;
  private consecutiveNonFinite = 0;
  private bestValidation: number | null = null;
  private badValidations = 0;
  private stopRequested = false;
  private trainWindow: number[] = [];
  private history: Array<[number, number]> = [];
  private validationHistory: Array<[number, number]> = [];
  private log: JsonlLog | undefined;

  constructor(model: TrainableModel<Batch, State>, config: TrainerConfig, callbacks: TrainerCallbacks = {}) {
    validateTrainerConfig(config);
    this.model = model;
    this.config = config;
    this.callbacks = callbacks;
    this.clip = config.clip ?? DEFAULT_CLIP;
    this.optimizer = createOptimizer(config.optimizer);
    this.schedule = createSchedule(config.schedule);
    this.rng = new Rng(config.seed ?? 0);
    const names = Object.keys(model.variables);
    if (names.length === 0) throw new ConfigError('model.variables', 'the model has no variables to train');
    for (const [name, v] of Object.entries(model.variables)) this.varNames.set(v.name, name);
    if (config.freeze) this.freeze(config.freeze);
    for (const [i, g] of (config.learningRateGroups ?? []).entries()) {
      selectNames(names, Array.isArray(g.match) ? g.match : [g.match], `learningRateGroups[${i}].match`);
    }
  }

  /** Stops training the parameters matched (they still take part in the forward pass). */
  freeze(patterns: NamePattern[]): void {
    const hit = selectNames(Object.keys(this.model.variables), patterns, 'freeze');
    for (const n of hit) this.frozen.add(n);
    if (this.frozen.size === Object.keys(this.model.variables).length)
      throw new ConfigError('freeze', 'freezes every parameter: nothing would be trained');
  }

  unfreeze(patterns: NamePattern[]): void {
    for (const n of selectNames(Object.keys(this.model.variables), patterns, 'unfreeze')) this.frozen.delete(n);
  }

  /** Names of the parameters that are trained now. */
  get trainableNames(): string[] {
    return Object.keys(this.model.variables).filter((n) => !this.frozen.has(n));
  }

  /** Asks a running `fit` to stop after the current step (it saves `last/` first). */
  stop(): void {
    this.stopRequested = true;
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
    return this.config.optimizer.learningRate * this.schedule.factor(step) * this.lrScale * group;
  }

  get teacherForcingRatio(): number {
    return this.config.teacherForcing ? teacherForcingRatio(this.config.teacherForcing, this.step) : 1;
  }

  async fit(data: DataSource<Batch>, options: FitOptions<Batch> = {}): Promise<TrainingResult> {
    if (this.config.earlyStopping && !options.validation) {
      throw new ConfigError('validation', 'earlyStopping needs validation data passed to fit()');
    }
    const dir = this.config.checkpointDir;
    if (dir) this.log = new JsonlLog(join(dir, LOG_FILE));
    if (options.resumeFrom) await this.restore(options.resumeFrom, data);
    const bar = this.makeProgressBar();
    bar?.start(this.config.maxSteps, this.step);
    let stoppedBy: TrainingResult['stoppedBy'] = 'max-steps';
    let lastLoss: number | null = null;
    this.stopRequested = false;
    try {
      while (this.step < this.config.maxSteps) {
        const metrics = await this.trainStep(data.next());
        if (metrics) {
          lastLoss = metrics.loss;
          bar?.update(metrics);
        }
        if (this.config.validateEvery && this.step % this.config.validateEvery === 0) {
          const stop = await this.validateAndTrack(options.validation);
          if (stop) {
            stoppedBy = 'early-stopping';
            break;
          }
        }
        if (dir && this.config.checkpointEvery && this.step % this.config.checkpointEvery === 0) {
          await this.saveTo(join(dir, LAST_CHECKPOINT), 'last', data);
        }
        if (this.stopRequested) {
          stoppedBy = 'stop-requested';
          break;
        }
      }
      if (dir) {
        await this.saveTo(join(dir, LAST_CHECKPOINT), 'last', data);
      }
    } finally {
      bar?.stop();
    }
    const result: TrainingResult = { steps: this.step, stoppedBy, bestValidationLoss: this.bestValidation, lastLoss };
    this.log?.append({ kind: 'end', step: this.step, ...result });
    await this.callbacks.onEnd?.(result);
    return result;
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
      this.consecutiveNonFinite++;
      this.lrScale *= this.config.nonFinite?.lrFactor ?? 0.5;
      const event: NonFiniteEvent = {
        step: this.step,
        what: Number.isFinite(loss) ? 'gradient' : 'loss',
        loss,
        gradNorm,
        learningRate: this.learningRate(),
        consecutive: this.consecutiveNonFinite,
      };
      this.log?.append({ kind: 'non-finite', ...event, loss: String(loss), gradNorm: String(gradNorm) });
      await this.callbacks.onNonFinite?.(event);
      const max = this.config.nonFinite?.maxConsecutive ?? 5;
      if (this.consecutiveNonFinite >= max) {
        throw new NonFiniteError(
          event.what,
          `${this.consecutiveNonFinite} steps in a row (up to step ${this.step}) had a non-finite ${event.what}; training stopped`,
        );
      }
      return undefined;
    }
    this.consecutiveNonFinite = 0;
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
      perplexity: perplexity(loss),
      bitsPerToken: bitsPerToken(loss),
      tokens,
      tokensPerSecond: tokens / seconds,
      gradNorm,
      learningRate,
      teacherForcingRatio: context.teacherForcingRatio,
    };
    this.history.push([this.step, loss]);
    this.trainWindow.push(loss);
    this.log?.append({ kind: 'step', ...metrics });
    await this.callbacks.onStep?.(metrics);
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

  /** Token-weighted mean loss over one validation pass (state carried within the pass, not into training). */
  async evaluate(batches: Iterable<Batch>): Promise<{ loss: number; tokens: number }> {
    // Its own RNG: validating must not change the training RNG stream (determinism with or without validation).
    const context: LossContext = { training: false, step: this.step, teacherForcingRatio: 1, rng: new Rng(0) };
    let state: State | undefined;
    let sum = 0;
    let tokens = 0;
    try {
      for (const batch of batches) {
        const prev = state;
        const out = tf.tidy(() => {
          const r = this.model.loss(batch, prev, context);
          return { loss: r.loss, state: r.state ?? [], tokens: r.tokens };
        });
        state = out.state.length ? (out.state as State) : undefined;
        if (prev) for (const t of prev) if (!state?.includes(t)) t.dispose();
        const loss = (await out.loss.data())[0] as number;
        out.loss.dispose();
        sum += loss * out.tokens;
        tokens += out.tokens;
      }
    } finally {
      if (state) tf.dispose(state);
    }
    return { loss: tokens > 0 ? sum / tokens : Number.NaN, tokens };
  }

  /** Validates (or, without validation data, uses the mean training loss since last time); returns true to stop early. */
  private async validateAndTrack(validation: (() => Iterable<Batch>) | undefined): Promise<boolean> {
    if (!validation) {
      if (this.schedule.observe && this.trainWindow.length > 0) {
        this.schedule.observe(this.trainWindow.reduce((a, b) => a + b, 0) / this.trainWindow.length);
      }
      this.trainWindow = [];
      return false;
    }
    this.trainWindow = [];
    const { loss, tokens } = await this.evaluate(validation());
    this.schedule.observe?.(loss);
    const minDelta = this.config.earlyStopping?.minDelta ?? 0;
    const improved = Number.isFinite(loss) && (this.bestValidation === null || loss < this.bestValidation - minDelta);
    if (improved) {
      this.bestValidation = loss;
      this.badValidations = 0;
    } else this.badValidations++;
    const metrics: ValidationMetrics = {
      step: this.step,
      loss,
      perplexity: perplexity(loss),
      bitsPerToken: bitsPerToken(loss),
      tokens,
      improved,
    };
    this.validationHistory.push([this.step, loss]);
    this.log?.append({ kind: 'validation', ...metrics });
    await this.callbacks.onValidation?.(metrics);
    if (improved && this.config.checkpointDir) {
      await this.saveTo(join(this.config.checkpointDir, BEST_CHECKPOINT), 'best');
    }
    const patience = this.config.earlyStopping?.patience;
    return patience !== undefined && this.badValidations >= patience;
  }

  private makeProgressBar(): TrainingProgressBar | undefined {
    const option = this.config.progressBar ?? Boolean(process.stderr.isTTY);
    if (option === false) return undefined;
    return new TrainingProgressBar(option === true ? {} : option);
  }

  /**
   * Writes a checkpoint: model weights, optimizer slots, carried state, and in
   * `metadata.trainer` the step, optimizer iterations, schedule state, RNG
   * state, data cursor and guard/early-stopping state. Refuses (NonFiniteError)
   * when a weight is NaN/Inf, so a broken model never overwrites a good one.
   */
  async save(path: string, data?: DataSource<Batch>): Promise<void> {
    const weights: Record<string, tf.Tensor> = { ...this.model.variables };
    for (const [name, slot] of Object.entries(this.optimizer.getSlots())) weights[`${OPTIMIZER_PREFIX}${name}`] = slot;
    this.carried?.forEach((t, i) => {
      weights[`${STATE_PREFIX}${i}`] = t;
    });
    const trainer: JsonObject = {
      step: this.step,
      optimizer: { ...this.optimizer.getConfig(), iterations: this.optimizer.iterations },
      schedule: this.schedule.getState(),
      rng: [...this.rng.getState()],
      data: data ? data.getState() : null,
      lrScale: this.lrScale,
      consecutiveNonFinite: this.consecutiveNonFinite,
      bestValidationLoss: this.bestValidation,
      badValidations: this.badValidations,
      carriedState: this.carried?.length ?? 0,
      frozen: [...this.frozen],
      bptt: this.config.bptt ?? 'truncated',
    };
    try {
      await saveCheckpoint(path, {
        config: this.model.getConfig(),
        tokenizer: this.config.tokenizer ?? null,
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

  private async saveTo(path: string, kind: 'last' | 'best', data?: DataSource<Batch>): Promise<void> {
    await this.save(path, data);
    const event: CheckpointEvent = { step: this.step, kind, path };
    this.log?.append({ kind: 'checkpoint', step: this.step, checkpoint: kind, path });
    if (this.config.checkpointDir) {
      const series = [{ label: 'train', points: this.history, color: '#1f77b4' }];
      if (this.validationHistory.length)
        series.push({ label: 'validation', points: this.validationHistory, color: '#d62728' });
      writeFileSync(join(this.config.checkpointDir, PLOT_FILE), renderLossSvg(series, `loss (step ${this.step})`));
    }
    await this.callbacks.onCheckpoint?.(event);
  }

  /** Loads everything {@link save} wrote back into this trainer, its model and `data`. */
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
    for (const [name, variable] of Object.entries(this.model.variables)) {
      const w = ckpt.weights[name];
      if (!w) throw new ShapeError(name, 'present in the checkpoint', 'missing', 'restore');
      assignWeight(name, variable, w, 'restore');
    }
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
    this.lrScale = Number(meta.lrScale ?? 1);
    this.consecutiveNonFinite = Number(meta.consecutiveNonFinite ?? 0);
    this.bestValidation = typeof meta.bestValidationLoss === 'number' ? meta.bestValidationLoss : null;
    this.badValidations = Number(meta.badValidations ?? 0);
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
    if (this.log) {
      // The interrupted run may have logged steps past this checkpoint; they are about to be redone.
      this.log.truncateAfter(this.step);
      const records = readJsonl(this.log.path);
      this.history = records.filter((r) => r.kind === 'step').map((r) => [r.step, Number(r.loss)]);
      this.validationHistory = records.filter((r) => r.kind === 'validation').map((r) => [r.step, Number(r.loss)]);
      this.log.append({ kind: 'resume', step: this.step, from: path });
    }
  }

  /** Releases the optimizer slots and carried state (the model's variables stay the model's). */
  dispose(): void {
    this.optimizer.dispose();
    this.replaceCarried(this.carried, undefined);
  }
}
