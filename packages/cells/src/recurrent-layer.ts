import { ConfigError, Rng, ShapeError, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { RecurrentCell } from './cell.js';
import { dropoutRate, expectShape } from './checks.js';
import { expectType, nestedConfig, pick } from './config-fields.js';
import type { TaggedConfigJson } from './config-json.js';
import { cellFromConfig } from './config-registry.js';
import { dropoutMask } from './dropout-mask.js';
import { swapBatchTime } from './fused/time-order.js';
import { unstackRows } from './kernels/unstack-rows.js';
import type { SequenceLayer } from './sequence-layer.js';

/** How a {@link RecurrentLayer} runs its cell: output mode, direction, dropout and kernel choice. */
export interface RecurrentLayerOptions {
  /** Return outputs for every step `[B, T, out]` (default true) or only the last valid one `[B, out]`. */
  returnSequences?: boolean;
  /** Walk time backwards (within each example's length). */
  reverse?: boolean;
  /** Dropout on the inputs, one mask per sequence (default 0). */
  dropout?: number;
  /** Variational dropout on the recurrent state (default 0). Uses the step loop instead of the fused kernel. */
  recurrentDropout?: number;
  /** Dropout on the outputs, one mask per sequence (default 0). */
  outputDropout?: number;
  /** Use the cell's fused kernel when it has one (default true). */
  fused?: boolean;
  /** Seed of the dropout masks (default 0). */
  seed?: number;
}

/** Per-call options of a layer's `apply`: starting state, padding, dropout, tracing. */
export interface ApplyOptions {
  /** Initial state (defaults to zeros). */
  initialState?: tf.Tensor[];
  /** Valid length of each example; steps past it are padding (state frozen, output zero). */
  lengths?: readonly number[];
  /** Apply dropout (default false). */
  training?: boolean;
  /** Return per-step gate activations and states in `trace` (uses the step loop). */
  trace?: boolean;
  /** Draw dropout masks from this generator instead of the layer's own (a trainer passes its saved RNG so resumed runs repeat them). */
  rng?: Rng;
}

/** What a layer's `apply` returns: outputs, final state and optional traces. */
export interface LayerResult {
  /** `[B, T, out]` with `returnSequences`, else `[B, out]` (the last valid step in walking order). */
  output: tf.Tensor;
  /** Final state per example, frozen at its last valid step. */
  state: tf.Tensor[];
  /** With `trace`: each traced quantity stacked over time, `[B, T, size]`. */
  trace?: Record<string, tf.Tensor>;
}

/**
 * Runs a cell over a sequence `[batch, time, features]`. Uses the cell's fused
 * whole-sequence kernel when it has one and no per-step feature (recurrent
 * dropout, tracing) needs the step loop; both give the same numbers.
 */
export class RecurrentLayer implements SequenceLayer {
  /** The cell stepped at each time step. */
  readonly cell: RecurrentCell;
  /** Return every step's output `[B, T, out]` (default true) or only the last valid one `[B, out]`. */
  readonly returnSequences: boolean;
  /** Whether time is walked backwards (default false). */
  readonly reverse: boolean;
  /** Dropout rate on the inputs while training, in [0, 1) (default 0). */
  readonly dropout: number;
  /** Variational dropout rate on the recurrent state while training (default 0). */
  readonly recurrentDropout: number;
  /** Dropout rate on the outputs while training (default 0). */
  readonly outputDropout: number;
  /** Whether the cell's fused whole-sequence kernel is used when it can be (default true). */
  readonly fused: boolean;
  /** Seed of the layer's own dropout masks. */
  readonly seed: number;
  private readonly rng: Rng;

  constructor(cell: RecurrentCell, options: RecurrentLayerOptions = {}) {
    this.cell = cell;
    this.returnSequences = options.returnSequences ?? true;
    this.reverse = options.reverse ?? false;
    this.dropout = dropoutRate(options.dropout, 'dropout');
    this.recurrentDropout = dropoutRate(options.recurrentDropout, 'recurrentDropout');
    this.outputDropout = dropoutRate(options.outputDropout, 'outputDropout');
    this.fused = options.fused ?? true;
    this.seed = options.seed ?? 0;
    this.rng = new Rng(this.seed);
  }

  /** Plain JSON (`type: 'recurrent'`, the cell's own config nested) that {@link RecurrentLayer.fromConfig} rebuilds it from. */
  getConfig(): TaggedConfigJson<'recurrent'> {
    return {
      type: 'recurrent',
      cell: this.cell.getConfig(),
      returnSequences: this.returnSequences,
      reverse: this.reverse,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      outputDropout: this.outputDropout,
      fused: this.fused,
      seed: this.seed,
    };
  }

  /** Rebuilds a layer from `getConfig()` JSON; its cell (any registered `cell` type) gets weights drawn from `seed`. */
  static fromConfig(config: TypedConfig, seed = 0): RecurrentLayer {
    const c = expectType(config, 'recurrent', 'RecurrentLayer');
    const options: RecurrentLayerOptions = {
      ...pick(c, 'returnSequences', 'boolean'),
      ...pick(c, 'reverse', 'boolean'),
      ...pick(c, 'dropout', 'number'),
      ...pick(c, 'recurrentDropout', 'number'),
      ...pick(c, 'outputDropout', 'number'),
      ...pick(c, 'fused', 'boolean'),
      ...pick(c, 'seed', 'number'),
    };
    const cell = cellFromConfig(nestedConfig(c, 'cell'), seed);
    try {
      return new RecurrentLayer(cell, options);
    } catch (error) {
      cell.dispose();
      throw error;
    }
  }

  /** Features per input step: the cell's `inputSize`. */
  get inputSize(): number {
    return this.cell.inputSize;
  }

  /** Features per output step: the cell's `outputSize`. */
  get outputSize(): number {
    return this.cell.outputSize;
  }

  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.cell.variables;
  }

  /** Frees the cell's weights. */
  dispose(): void {
    this.cell.dispose();
  }

  /** Runs the cell over `x` `[B, T, inputSize]`, returning the outputs and the final state. */
  apply(x: tf.Tensor, options: ApplyOptions = {}): LayerResult {
    expectShape(x, 'x', [undefined, undefined, this.cell.inputSize], 'RecurrentLayer.apply');
    const [B, T] = x.shape as [number, number, number];
    const state = options.initialState ?? this.cell.initialState(B);
    if (state.length !== this.cell.stateSizes.length) {
      throw new ShapeError(
        'initialState',
        `${this.cell.stateSizes.length} tensors`,
        `${state.length}`,
        'RecurrentLayer.apply',
      );
    }
    state.forEach((s, k) => {
      expectShape(s, `initialState[${k}]`, [B, this.cell.stateSizes[k]], 'RecurrentLayer.apply');
    });
    const mask = options.lengths ? lengthMask(options.lengths, B, T) : undefined;
    const training = options.training ?? false;
    const rng = options.rng ?? this.rng;
    let input = x;
    if (training && this.dropout > 0)
      input = tf.mul(input, dropoutMask(rng, [B, 1, this.cell.inputSize], this.dropout));
    const recurrentMask =
      training && this.recurrentDropout > 0
        ? dropoutMask(rng, [B, this.cell.stateSizes[0] as number], this.recurrentDropout)
        : undefined;

    let outputs: tf.Tensor;
    let finalState: tf.Tensor[];
    let trace: Record<string, tf.Tensor> | undefined;
    if (this.fused && this.cell.sequence && !recurrentMask && !options.trace) {
      ({ outputs, state: finalState } = this.cell.sequence(input, state, mask, this.reverse));
    } else {
      ({ outputs, state: finalState, trace } = this.loop(input, state, mask, recurrentMask, options.trace ?? false));
    }
    if (training && this.outputDropout > 0) {
      outputs = tf.mul(outputs, dropoutMask(rng, [B, 1, this.cell.outputSize], this.outputDropout));
    }
    const result: LayerResult = {
      output: this.returnSequences ? outputs : (finalState[0] as tf.Tensor),
      state: finalState,
    };
    if (trace) result.trace = trace;
    return result;
  }

  private loop(
    x: tf.Tensor,
    initial: tf.Tensor[],
    mask: tf.Tensor | undefined,
    recurrentMask: tf.Tensor | undefined,
    traceOn: boolean,
  ): { outputs: tf.Tensor; state: tf.Tensor[]; trace?: Record<string, tf.Tensor> } {
    const T = x.shape[1] as number;
    // Time-major rows: unstackRows is fast on wasm and has a gradient (tf.unstack copies the whole input per step there).
    const xs = unstackRows(swapBatchTime(x));
    const ms = mask ? unstackRows(swapBatchTime(mask)) : undefined;
    const outs: tf.Tensor[] = new Array(T);
    const traces: Array<Record<string, tf.Tensor>> = new Array(T);
    let state = initial;
    for (let k = 0; k < T; k++) {
      const t = this.reverse ? T - 1 - k : k;
      const stepOptions = recurrentMask ? { recurrentMask, trace: traceOn } : { trace: traceOn };
      const res = this.cell.step(xs[t] as tf.Tensor, state, stepOptions);
      const m = ms?.[t];
      outs[t] = m ? tf.mul(res.output, m) : res.output;
      // Padded steps keep the previous state.
      state = m
        ? res.state.map((s, j) => tf.add(state[j] as tf.Tensor, tf.mul(m, tf.sub(s, state[j] as tf.Tensor))))
        : res.state;
      if (res.trace) traces[t] = res.trace;
    }
    const outputs = swapBatchTime(tf.stack(outs, 0));
    if (!traceOn) return { outputs, state };
    const trace: Record<string, tf.Tensor> = {};
    for (const key of Object.keys(traces[0] ?? {})) {
      trace[key] = swapBatchTime(
        tf.stack(
          traces.map((tr) => tr[key] as tf.Tensor),
          0,
        ),
      );
    }
    return { outputs, state, trace };
  }
}

/** `[B, T, 1]` float mask: 1 for t < lengths[b]. */
export function lengthMask(lengths: readonly number[], batch: number, steps: number): tf.Tensor {
  if (lengths.length !== batch) {
    throw new ShapeError('lengths', `${batch} entries (one per example)`, `${lengths.length}`, 'RecurrentLayer.apply');
  }
  const data = new Float32Array(batch * steps);
  lengths.forEach((len, b) => {
    if (!Number.isInteger(len) || len < 0 || len > steps) {
      throw new ConfigError(`lengths[${b}]`, `must be an integer in [0, ${steps}], got ${len}`);
    }
    data.fill(1, b * steps, b * steps + len);
  });
  return tf.tensor3d(data, [batch, steps, 1]);
}
