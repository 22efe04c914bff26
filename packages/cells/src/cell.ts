import type * as tf from '@tensorflow/tfjs';

/**
 * The cell kinds this package implements; `type` in their configs. A cell
 * registered by another package (core's registry, kind `cell`) has its own.
 */
export type CellType = 'rnn' | 'lstm' | 'gru' | 'conv-lstm';

/** Options a sequence layer passes to each step. */
export interface StepOptions {
  /**
   * Variational (recurrent) dropout mask, already scaled by 1/keep: multiplies
   * the recurrent input before the recurrent matmul, the same mask every step.
   */
  recurrentMask?: tf.Tensor;
  /** Return per-step internals (gates, cell state) in `trace`. */
  trace?: boolean;
}

/** What one cell step returns: the output, the next state and optional traced internals. */
export interface StepResult {
  /** What the cell emits at this step (`[batch, outputSize]`). */
  output: tf.Tensor;
  /** The next state, same layout as `initialState`. */
  state: tf.Tensor[];
  /** Gate activations and states when `trace` was requested, keyed by name (`i`, `f`, `g`, `o`, `c`, `r`, `z`, `n`, `h`). */
  trace?: Record<string, tf.Tensor>;
}

/** Whole-sequence result of a fused kernel. */
export interface SequenceResult {
  /** `[batch, time, outputSize]`, zeros at padded steps. */
  outputs: tf.Tensor;
  /** Final state, frozen at each example's last valid step. */
  state: tf.Tensor[];
}

/**
 * The small contract every cell implements (Keras `rnn.py` style): one step,
 * its state layout, an initial state and a config round trip. Layers build
 * sequences, stacks and bidirectional wrappers on top of it.
 */
export interface RecurrentCell {
  /** The cell kind, `type` in its config (`rnn`, `lstm`, `gru`, `conv-lstm`, or a registered one). */
  readonly type: CellType | (string & {});
  /** Features per input step: the last axis of `x`. */
  readonly inputSize: number;
  /** Hidden units H, which set the weights' widths. */
  readonly units: number;
  /** Size of `output` (equals `units` except for LSTM projection). */
  readonly outputSize: number;
  /** Size of each state tensor's last axis (LSTM: `[h, c]`). */
  readonly stateSizes: readonly number[];
  /** Trainable weights by name (`kernel`, `recurrentKernel`, `bias`, ...). */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** Zeros of the right shapes for `batchSize` examples. */
  initialState(batchSize: number): tf.Tensor[];
  /** One time step: `x` is `[batch, inputSize]`. */
  step(x: tf.Tensor, state: tf.Tensor[], options?: StepOptions): StepResult;
  /**
   * The fused whole-sequence path (cuDNN's recipe, custom gradients), or
   * undefined when this configuration has none; layers then loop over `step`.
   * `mask` is `[batch, time, 1]` of 0/1; `reverse` walks time backwards.
   */
  sequence?(x: tf.Tensor, state: tf.Tensor[], mask: tf.Tensor | undefined, reverse: boolean): SequenceResult;
  /** Replaces weights by name; every shape is checked before any is changed. */
  setWeights(values: Record<string, tf.Tensor>): void;
  /** The cell's plain-JSON config, from which `cellFromConfig` rebuilds it (with fresh weights). */
  getConfig(): CellConfigJson;
  /** Frees the cell's weights; the cell cannot be used afterwards. */
  dispose(): void;
}

/** A cell's plain-JSON config; `cellFromConfig` rebuilds the cell from it (core's registry, kind `cell`). */
export interface CellConfigJson {
  /** The cell kind, which selects the registered factory that rebuilds it. */
  type: CellType | (string & {});
  /** Features per input step. */
  inputSize: number;
  /** Hidden units H. */
  units: number;
  [key: string]: string | number | boolean | null | number[];
}
