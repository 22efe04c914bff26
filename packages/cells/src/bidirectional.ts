import { assertOneOf, ConfigError, Rng, ShapeError, type TypedConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { expectType, nestedConfig, pick } from './config-fields.js';
import type { TaggedConfigJson } from './config-json.js';
import { type ApplyOptions, type LayerResult, RecurrentLayer } from './recurrent-layer.js';
import type { SequenceLayer } from './sequence-layer.js';

/** How a bidirectional layer combines its two outputs: concatenated, summed, multiplied or averaged. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'average';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'average'];

/**
 * Runs one layer forwards and one backwards over the same input (Schuster &
 * Paliwal 1997) and merges their outputs step by step. With `lengths`, the
 * backward layer starts at each example's last valid step. State is
 * `[...forwardState, ...backwardState]`.
 */
export class Bidirectional implements SequenceLayer {
  /** The layer walking time forwards. */
  readonly forward: RecurrentLayer;
  /** The layer walking time backwards (`reverse: true`). */
  readonly backward: RecurrentLayer;
  /** How the two outputs combine at each step (default `concat`, which doubles the width). */
  readonly merge: MergeMode;

  constructor(forward: RecurrentLayer, backward: RecurrentLayer, merge: MergeMode = 'concat') {
    assertOneOf('merge', merge, MERGE_MODES);
    if (forward.reverse || !backward.reverse) {
      throw new ConfigError(
        'backward',
        'the forward layer must walk forwards and the backward layer must have reverse: true',
      );
    }
    if (forward.cell.inputSize !== backward.cell.inputSize || forward.outputSize !== backward.outputSize) {
      throw new ShapeError(
        'backward',
        `a layer of input ${forward.cell.inputSize} and output ${forward.outputSize}`,
        `input ${backward.cell.inputSize} and output ${backward.outputSize}`,
        'Bidirectional',
      );
    }
    if (forward.returnSequences !== backward.returnSequences) {
      throw new ConfigError('returnSequences', 'must be the same for both directions');
    }
    this.forward = forward;
    this.backward = backward;
    this.merge = merge;
  }

  /** Features per input step: the last axis of `x` `[B, T, inputSize]`. */
  get inputSize(): number {
    return this.forward.cell.inputSize;
  }

  /** Features per output step: twice the layer's output with `concat`, else the same. */
  get outputSize(): number {
    return this.merge === 'concat' ? 2 * this.forward.outputSize : this.forward.outputSize;
  }

  get variables(): Readonly<Record<string, tf.Variable>> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.forward.cell.variables)) out[`forward/${k}`] = v;
    for (const [k, v] of Object.entries(this.backward.cell.variables)) out[`backward/${k}`] = v;
    return out;
  }

  /** Runs both directions over `x` `[B, T, inputSize]` and merges their outputs; state is forward then backward. */
  apply(x: tf.Tensor, options: ApplyOptions = {}): LayerResult {
    const n = this.forward.cell.stateSizes.length;
    const { initialState, ...rest } = options;
    if (initialState && initialState.length !== 2 * n) {
      throw new ShapeError(
        'initialState',
        `${2 * n} tensors (forward then backward)`,
        `${initialState.length}`,
        'Bidirectional.apply',
      );
    }
    const fwd = this.forward.apply(x, initialState ? { ...rest, initialState: initialState.slice(0, n) } : rest);
    const bwd = this.backward.apply(x, initialState ? { ...rest, initialState: initialState.slice(n) } : rest);
    const result: LayerResult = {
      output: mergeOutputs(fwd.output, bwd.output, this.merge),
      state: [...fwd.state, ...bwd.state],
    };
    if (fwd.trace && bwd.trace) {
      result.trace = {};
      for (const [k, v] of Object.entries(fwd.trace)) result.trace[`forward/${k}`] = v;
      for (const [k, v] of Object.entries(bwd.trace)) result.trace[`backward/${k}`] = v;
    }
    return result;
  }

  /** Plain JSON (`type: 'bidirectional'`, both layers' configs nested) that {@link Bidirectional.fromConfig} rebuilds it from. */
  getConfig(): TaggedConfigJson<'bidirectional'> {
    return {
      type: 'bidirectional',
      forward: this.forward.getConfig(),
      backward: this.backward.getConfig(),
      merge: this.merge,
    };
  }

  /** Rebuilds the pair from `getConfig()` JSON; the two cells' weights are drawn from `seed`. */
  static fromConfig(config: TypedConfig, seed = 0): Bidirectional {
    const c = expectType(config, 'bidirectional', 'Bidirectional');
    const rng = new Rng(seed);
    const merge = (pick(c, 'merge', 'string').merge ?? 'concat') as MergeMode;
    const forward = RecurrentLayer.fromConfig(nestedConfig(c, 'forward'), rng.uint32());
    let backward: RecurrentLayer | undefined;
    try {
      backward = RecurrentLayer.fromConfig(nestedConfig(c, 'backward'), rng.uint32());
      return new Bidirectional(forward, backward, merge);
    } catch (error) {
      forward.dispose();
      backward?.dispose();
      throw error;
    }
  }

  /** Frees both directions' cells. */
  dispose(): void {
    this.forward.cell.dispose();
    this.backward.cell.dispose();
  }
}

function mergeOutputs(a: tf.Tensor, b: tf.Tensor, mode: MergeMode): tf.Tensor {
  switch (mode) {
    case 'concat':
      return tf.concat([a, b], -1);
    case 'sum':
      return tf.add(a, b);
    case 'mul':
      return tf.mul(a, b);
    case 'average':
      return tf.mul(tf.add(a, b), 0.5);
  }
}
