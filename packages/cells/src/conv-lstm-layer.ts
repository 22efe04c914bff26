import { ConfigError, type JsonObject, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { expectShape } from './checks.js';
import { expectType, nestedConfig, pick } from './config-fields.js';
import { cellFromConfig } from './config-registry.js';
import { ConvLSTM2DCell } from './conv-lstm-cell.js';
import { swapBatchTime } from './fused/time-order.js';
import { unstackRows } from './kernels/unstack-rows.js';

export interface ConvLSTM2DApplyOptions {
  initialState?: tf.Tensor[];
  trace?: boolean;
}

/**
 * Runs a {@link ConvLSTM2DCell} over frames `[B, T, H, W, C]`, returning every
 * step's hidden frames `[B, T, H, W, F]` (or only the last with
 * `returnSequences: false`) and the final `[h, c]`.
 */
export class ConvLSTM2D {
  constructor(
    readonly cell: ConvLSTM2DCell,
    readonly options: { returnSequences?: boolean } = {},
  ) {}

  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.cell.variables;
  }

  apply(
    x: tf.Tensor,
    options: ConvLSTM2DApplyOptions = {},
  ): { output: tf.Tensor; state: tf.Tensor[]; trace?: Record<string, tf.Tensor> } {
    expectShape(x, 'x', [undefined, undefined, undefined, undefined, this.cell.inputSize], 'ConvLSTM2D.apply');
    const [B, , H, W] = x.shape as number[];
    let state = options.initialState ?? this.cell.initialState(B as number, H, W);
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
  getConfig(): JsonObject & { type: 'conv-lstm-2d' } {
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

  dispose(): void {
    this.cell.dispose();
  }
}
