import {
  assertFiniteNumber,
  assertInRange,
  assertNonNegativeInteger,
  assertPositiveInteger,
  ConfigError,
  type ContinuousSequenceModel,
  Rng,
  ShapeError,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { EventLoopYielder } from './event-loop.js';
import { checkConditionRows, disposeReplacedState, disposeState, startState, stateTensors } from './model-state.js';

/** Why a row of frames ended: its stop probability passed `stopThreshold`, or it reached `maxLength`. */
export type FrameFinishReason = 'stop' | 'length';

/** Options of {@link generateFrames} and {@link streamFrames}. */
export interface FrameGenerationOptions<Condition = unknown> {
  /**
   * What a conditioned model decodes from (encoder memory with a mask, a
   * speaker embedding…), passed to `model.initialState(rows, condition)`;
   * its tensors have one row per generated sequence on axis 0. Not disposed.
   */
  condition?: Condition;
  /**
   * Rows generated together. Default: `primer.length`, else the condition's
   * rows, else 1.
   */
  batchSize?: number;
  /** Frames to generate per row, primer excluded (integer ≥ 1). Required: continuous models may never stop. */
  maxLength: number;
  /** No row stops on its stop logit before this many frames (default 0). */
  minLength?: number;
  /** A row stops once `sigmoid(stopLogit)` exceeds this, in (0, 1) (default 0.5). Unused when the model gives no `stopLogit`. */
  stopThreshold?: number;
  /**
   * Frames fed first, one list per row (lists may differ in length), like a
   * prompt: row r is fed its own primer frame by frame and starts generating
   * at its last one. A row with no primer (or an empty one) is fed a zero
   * frame first (the usual "go" frame).
   */
  primer?: readonly (readonly ArrayLike<number>[])[];
  /**
   * Sample around the predicted frame: each value gets Gaussian noise of
   * standard deviation `std`, drawn from `new Rng(seed)` in row order (a seed
   * reproduces the output); the noisy frame is returned and fed back.
   * Default: none (the prediction itself, deterministic).
   */
  noise?: FrameNoise;
  /** Aborting stops before the next model step; the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Gaussian noise added to each predicted frame ({@link FrameGenerationOptions.noise}). */
export type FrameNoise = {
  /** Standard deviation of the noise, in the frame's own units, ≥ 0 and finite (0 adds nothing). */
  std: number;
  /** Seed of the noise generator, so that a run reproduces; default: a random seed (a different output each call). */
  seed?: number;
};

/** The frames generated for one row (primer excluded). */
export interface GeneratedFrames {
  /** `frameSize` values each; the frame that came with the stop is the last one. */
  frames: Float32Array[];
  /** `stop` when the model's stop logit ended the row, `length` when it reached `maxLength` frames. */
  finishReason: FrameFinishReason;
}

/** One frame, as {@link streamFrames} yields it. */
export interface StreamedFrame {
  /** Which batch row (0-based) this frame belongs to. */
  row: number;
  /** Position among the row's generated frames (0 = first after the primer). */
  index: number;
  /** The generated frame, `frameSize` values (with noise when `noise` is set). */
  frame: Float32Array;
  /** This frame ended the row. */
  done: boolean;
}

const OPTION_KEYS = new Set([
  'condition',
  'batchSize',
  'maxLength',
  'minLength',
  'stopThreshold',
  'primer',
  'noise',
  'signal',
]);

interface FramePlan<Condition> {
  rows: number;
  frameSize: number;
  /** Per row: the frames fed before generation starts (the zero "go" frame when there is no primer). */
  prefixes: Float32Array[][];
  maxLength: number;
  minLength: number;
  stopThreshold: number;
  noiseStd: number;
  rng: Rng | undefined;
  condition: Condition | undefined;
  signal: AbortSignal | undefined;
  context: string;
}

/**
 * Generates frames from a {@link ContinuousSequenceModel} (mel spectrograms,
 * video frames, sensor readings): one `model.step` per time step for all
 * rows, each output frame fed back as the next input, until a row's stop
 * probability passes `stopThreshold` (after `minLength` frames) or it has
 * `maxLength` frames. Returns one result per row, in order.
 */
export async function generateFrames<State, Condition>(
  model: ContinuousSequenceModel<State, Condition>,
  options: FrameGenerationOptions<Condition>,
): Promise<GeneratedFrames[]> {
  const loop = frameLoop(model, planFrames(model, options, 'generateFrames'));
  let step = await loop.next();
  while (!step.done) step = await loop.next();
  return step.value;
}

/**
 * {@link generateFrames} as an `AsyncIterable`: each frame as soon as it is
 * generated (rows interleaved, in row order within a time step). Leaving the
 * loop early (`break`) or aborting `signal` stops generation and disposes
 * the model state. Options are checked now, not at the first `next()`.
 */
export function streamFrames<State, Condition>(
  model: ContinuousSequenceModel<State, Condition>,
  options: FrameGenerationOptions<Condition>,
): AsyncIterable<StreamedFrame> {
  const plan = planFrames(model, options, 'streamFrames');
  async function* frames(): AsyncGenerator<StreamedFrame> {
    const loop = frameLoop(model, plan);
    try {
      for await (const frame of loop) yield frame;
    } finally {
      await loop.return([]);
    }
  }
  return frames();
}

/** Checks the options against the model (options → ConfigError, frames and condition → ShapeError). */
function planFrames<State, Condition>(
  model: ContinuousSequenceModel<State, Condition>,
  options: FrameGenerationOptions<Condition>,
  context: string,
): FramePlan<Condition> {
  if (!options || typeof options !== 'object') throw new ConfigError('options', 'must be an object with maxLength');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new ConfigError(key, `is not an option of ${context} (known: ${[...OPTION_KEYS].join(', ')})`);
    }
  }
  assertPositiveInteger('model.frameSize', model.frameSize);
  const frameSize = model.frameSize;
  assertPositiveInteger('maxLength', options.maxLength);
  const minLength = options.minLength ?? 0;
  assertNonNegativeInteger('minLength', minLength);
  if (minLength > options.maxLength) {
    throw new ConfigError('minLength', `must be at most maxLength (${options.maxLength}), got ${minLength}`);
  }
  const stopThreshold = options.stopThreshold ?? 0.5;
  assertInRange('stopThreshold', stopThreshold, 0, 1, { openMin: true, openMax: true });
  let noiseStd = 0;
  let rng: Rng | undefined;
  if (options.noise !== undefined) {
    if (!options.noise || typeof options.noise !== 'object') {
      throw new ConfigError('noise', 'must be an object { std, seed? }');
    }
    assertInRange('noise.std', options.noise.std, 0, Number.POSITIVE_INFINITY, { openMax: true });
    if (options.noise.seed !== undefined) assertFiniteNumber('noise.seed', options.noise.seed);
    noiseStd = options.noise.std;
    rng = new Rng(options.noise.seed ?? Math.floor(Math.random() * 2 ** 32));
  }
  if (options.batchSize !== undefined) assertPositiveInteger('batchSize', options.batchSize);

  const { primer, condition } = options;
  if (primer !== undefined && !Array.isArray(primer)) {
    throw new ShapeError('primer', 'an array with one array of frames per row', typeof primer, context);
  }
  const conditionRows =
    condition === undefined ? undefined : (stateTensors(condition)[0]?.shape[0] as number | undefined);
  const rows = options.batchSize ?? primer?.length ?? conditionRows ?? 1;
  if (primer !== undefined && primer.length !== rows) {
    throw new ShapeError('primer', `${rows} rows (one array of frames per row)`, `${primer.length}`, context);
  }
  if (condition !== undefined) checkConditionRows(condition, rows, context);

  const prefixes = Array.from({ length: rows }, (_, r) => {
    const frames = primer?.[r] ?? [];
    if (!Array.isArray(frames)) {
      throw new ShapeError(`primer[${r}]`, 'an array of frames', typeof frames, context);
    }
    if (frames.length === 0) return [new Float32Array(frameSize)];
    return frames.map((frame, t) => {
      if (frame === null || typeof frame !== 'object' || frame.length !== frameSize) {
        const actual = frame && typeof frame === 'object' ? `${frame.length} values` : typeof frame;
        throw new ShapeError(`primer[${r}][${t}]`, `${frameSize} values (model.frameSize)`, actual, context);
      }
      const copy = Float32Array.from(frame);
      if (!copy.every(Number.isFinite)) {
        throw new ShapeError(`primer[${r}][${t}]`, 'finite values', 'NaN or Infinity', context);
      }
      return copy;
    });
  });
  return {
    rows,
    frameSize,
    prefixes,
    maxLength: options.maxLength,
    minLength,
    stopThreshold,
    noiseStd,
    rng,
    condition,
    signal: options.signal,
    context,
  };
}

/**
 * The loop behind both: at time t row r is fed its own t-th prefix frame,
 * then what it generated, so primers of different lengths share one batch.
 * Finished rows keep their slot (fed their last frame, output ignored). The
 * state is disposed however the loop ends.
 */
async function* frameLoop<State, Condition>(
  model: ContinuousSequenceModel<State, Condition>,
  plan: FramePlan<Condition>,
): AsyncGenerator<StreamedFrame, GeneratedFrames[]> {
  const { rows, frameSize: F, prefixes, signal, context } = plan;
  const results: GeneratedFrames[] = prefixes.map(() => ({ frames: [], finishReason: 'length' }));
  const done = prefixes.map(() => false);
  const feeds = prefixes.map((p) => p[0] as Float32Array);
  const firstOutput = Math.min(...prefixes.map((p) => p.length - 1));
  const yielder = new EventLoopYielder();
  signal?.throwIfAborted();
  let state = startState(model, rows, plan.condition, context);
  try {
    for (let t = 0; ; t++) {
      await yielder.maybeYield();
      signal?.throwIfAborted();
      const input = new Float32Array(rows * F);
      for (const [r, f] of feeds.entries()) input.set(f, r * F);
      const out = stepFrames(model, input, rows, state);
      state = out.state;
      let frames: Float32Array | undefined;
      let stops: Float32Array | undefined;
      try {
        // While every row is still reading its primer the outputs are not needed: skip the copies.
        if (t >= firstOutput) {
          frames = Float32Array.from(await out.frame.data());
          if (out.stopLogit) stops = Float32Array.from(await out.stopLogit.data());
        }
      } finally {
        out.frame.dispose();
        out.stopLogit?.dispose();
      }
      signal?.throwIfAborted();
      for (let r = 0; r < rows; r++) {
        if (done[r]) continue;
        const prefix = prefixes[r] as Float32Array[];
        if (t < prefix.length - 1) {
          feeds[r] = prefix[t + 1] as Float32Array;
          continue;
        }
        const frame = (frames as Float32Array).slice(r * F, (r + 1) * F);
        if (plan.rng && plan.noiseStd > 0) {
          for (let i = 0; i < F; i++) frame[i] = (frame[i] as number) + plan.rng.normal(0, plan.noiseStd);
        }
        const result = results[r] as GeneratedFrames;
        result.frames.push(frame);
        feeds[r] = frame;
        const n = result.frames.length;
        const stopProb = stops ? 1 / (1 + Math.exp(-(stops[r] as number))) : 0;
        if (n >= plan.minLength && stopProb > plan.stopThreshold) {
          result.finishReason = 'stop';
          done[r] = true;
        } else if (n >= plan.maxLength) {
          result.finishReason = 'length';
          done[r] = true;
        }
        yield { row: r, index: n - 1, frame, done: done[r] as boolean };
      }
      if (done.every(Boolean)) return results;
    }
  } finally {
    disposeState(state);
  }
}

/**
 * One `model.step` on frames `[rows, frameSize]` inside `tf.tidy`, disposing
 * the replaced state and checking the shapes of `frame` and `stopLogit`.
 */
function stepFrames<State, Condition>(
  model: ContinuousSequenceModel<State, Condition>,
  input: Float32Array,
  rows: number,
  state: State,
): { frame: tf.Tensor2D; stopLogit?: tf.Tensor1D | undefined; state: State } {
  const F = model.frameSize;
  const out = tf.tidy(() => {
    const result = model.step(tf.tensor2d(input, [rows, F]), state);
    const kept: Record<string, tf.TensorContainer> = { frame: result.frame, state: result.state as tf.TensorContainer };
    if (result.stopLogit !== undefined) kept.stopLogit = result.stopLogit;
    return kept;
  }) as { frame: tf.Tensor2D; stopLogit?: tf.Tensor1D; state: State };
  disposeReplacedState(state, out.state);
  const bad = (name: string, expected: string, actual: tf.Tensor | undefined) => {
    const shape = actual instanceof tf.Tensor ? `[${actual.shape.join(', ')}]` : typeof actual;
    disposeState(out);
    return new ShapeError(name, expected, shape, 'model.step');
  };
  if (
    !(out.frame instanceof tf.Tensor) ||
    out.frame.rank !== 2 ||
    out.frame.shape[0] !== rows ||
    out.frame.shape[1] !== F
  ) {
    throw bad('frame', `[${rows}, ${F}]`, out.frame);
  }
  if (
    out.stopLogit !== undefined &&
    (!(out.stopLogit instanceof tf.Tensor) || out.stopLogit.rank !== 1 || out.stopLogit.shape[0] !== rows)
  ) {
    throw bad('stopLogit', `[${rows}]`, out.stopLogit);
  }
  return out;
}
