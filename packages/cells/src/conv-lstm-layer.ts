import { ConfigError, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { expectShape } from './checks.js';
import { expectType, nestedConfig, pick } from './config-fields.js';
import type { TaggedConfigJson } from './config-json.js';
import { cellFromConfig } from './config-registry.js';
import { ConvLSTM2DCell } from './conv-lstm-cell.js';
import { swapBatchTime } from './fused/time-order.js';
import { unstackRows } from './kernels/unstack-rows.js';

/** Per-call options of {@link ConvLSTM2D.apply}. */
export interface ConvLSTM2DApplyOptions {
  /** Starting `[h, c]`, each `[B, H, W, filters]` (default zeros). */
  initialState?: tf.Tensor[];
  /** Also return every step's gates and states, stacked over time (default false). */
  trace?: boolean;
}

/** Construction options of {@link ConvLSTM2D}. */
export type ConvLSTM2DOptions = {
  /**
   * Return every step's hidden frames `[B, T, H, W, F]` (true, the default) or only the
   * last step's `[B, H, W, F]` (false).
   */
  returnSequences?: boolean;
};

/** What {@link ConvLSTM2D.apply} returns. */
export type ConvLSTM2DResult = {
  /**
   * The hidden frames: every step's `[B, T, H, W, F]`, or only the last step's `[B, H, W, F]`
   * with `returnSequences: false` (F is the cell's filters).
   */
  output: tf.Tensor;
  /** The final state `[h, c]`, each `[B, H, W, F]`: pass it as `initialState` to continue. */
  state: tf.Tensor[];
  /** With `trace: true`: each quantity the cell traced, stacked over time as `[B, T, ...]`. */
  trace?: Record<string, tf.Tensor>;
};

/**
 * Runs a {@link ConvLSTM2DCell} over frames `[B, T, H, W, C]`, returning every
 * step's hidden frames `[B, T, H, W, F]` (or only the last with
 * `returnSequences: false`) and the final `[h, c]`. Where `@seqgen/native`
 * applies (see {@link ConvLSTM2DCell.sequenceNative}) the whole sequence runs
 * there, forward and backward; with `trace` or without the addon the cell's
 * tfjs ops are stepped frame by frame.
 */
export class ConvLSTM2D {
  constructor(
    /** The cell stepped over each frame. */
    readonly cell: ConvLSTM2DCell,
    /** `returnSequences`: return every step's hidden frames (default true) or only the last. */
    readonly options: ConvLSTM2DOptions = {},
  ) {}

  /** The cell's weights. */
  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.cell.variables;
  }

  /** Runs the cell over frames `[B, T, H, W, C]`: output `[B, T, H, W, F]` (or `[B, H, W, F]`) and final `[h, c]`. */
  apply(x: tf.Tensor, options: ConvLSTM2DApplyOptions = {}): ConvLSTM2DResult {
    expectShape(x, 'x', [undefined, undefined, undefined, undefined, this.cell.inputSize], 'ConvLSTM2D.apply');
    const [B, , H, W] = x.shape as number[];
    let state = options.initialState ?? this.cell.initialState(B as number, H, W);
    const native = options.trace ? undefined : this.cell.sequenceNative(x, state);
    if (native) {
      const output = this.options.returnSequences === false ? (native.state[0] as tf.Tensor) : native.outputs;
      return { output, state: native.state };
    }
    const outs: tf.Tensor[] = [];
    const traces: Array<Record<string, tf.Tensor>> = [];
    for (const frame of unstackRows(swapBatchTime(x))) {
      const r = this.cell.step(frame, state, { trace: options.trace ?? false });
      outs.push(r.output);
      if (r.trace) traces.push(r.trace);
      state = r.state;
    }
    const output = this.options.returnSequences === false ? (state[0] as tf.Tensor) : swapBatchTime(tf.stack(outs, 0));
    if (!options.trace) return { output, state };
    const trace: Record<string, tf.Tensor> = {};
    for (const key of Object.keys(traces[0] ?? {}))
      trace[key] = swapBatchTime(
        tf.stack(
          traces.map((t) => t[key] as tf.Tensor),
          0,
        ),
      );
    return { output, state, trace };
  }

  /** Plain JSON (`type: 'conv-lstm-2d'`, the cell's config nested) that {@link ConvLSTM2D.fromConfig} rebuilds it from. */
  getConfig(): TaggedConfigJson<'conv-lstm-2d'> {
    return { type: 'conv-lstm-2d', cell: this.cell.getConfig(), returnSequences: this.options.returnSequences ?? true };
  }

  /** Rebuilds the layer from `getConfig()` JSON; the cell's weights are drawn from `seed`. */
  static fromConfig(config: TypedConfig, seed = 0): ConvLSTM2D {
    const c = expectType(config, 'conv-lstm-2d', 'ConvLSTM2D');
    const returnSequences = pick(c, 'returnSequences', 'boolean');
    const cell = cellFromConfig(nestedConfig(c, 'cell'), seed);
    if (!(cell instanceof ConvLSTM2DCell)) {
      cell.dispose();
      throw new ConfigError('cell', `must be a "conv-lstm" cell config, got "${cell.type}"`);
    }
    return new ConvLSTM2D(cell, returnSequences);
  }

  /** Frees the cell's weights. */
  dispose(): void {
    this.cell.dispose();
  }
}
