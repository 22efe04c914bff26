import { ConfigError, Rng, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { Bidirectional, type MergeMode } from './bidirectional.js';
import type { CellConfigJson, RecurrentCell } from './cell.js';
import { type CellInit, cellInit, defaultForgetBias } from './cell-init.js';
import { dropoutRate, expectShape, positiveInt } from './checks.js';
import { cellFromConfig } from './config-registry.js';
import { dropoutMask } from './dropout-mask.js';
import { type LayerResult, RecurrentLayer } from './recurrent-layer.js';
import type { SequenceLayer } from './sequence-layer.js';

/** The cells a {@link StackedRNN} can stack: `lstm`, `gru` or `rnn`. */
export type StackedCellType = 'lstm' | 'gru' | 'rnn';

/** The configuration of a {@link StackedRNN}, like PyTorch's `nn.LSTM` arguments. */
export interface StackedRNNOptions {
  /** Cell of every layer. */
  cell: StackedCellType;
  /** Features per input step of the first layer. */
  inputSize: number;
  /** Hidden units per layer (per direction when bidirectional). */
  hiddenSize: number;
  /** Layers stacked on each other (default 1). */
  numLayers?: number;
  /** Each layer runs both directions (default false). */
  bidirectional?: boolean;
  /** How bidirectional outputs merge (default concat). */
  merge?: MergeMode;
  /** Dropout between layers, as PyTorch's `dropout` (default 0). */
  dropout?: number;
  /** Variational recurrent dropout inside every layer (default 0). */
  recurrentDropout?: number;
  /** LSTM: project h to this size (PyTorch `proj_size`). */
  projSize?: number;
  /** LSTM: layer normalization. */
  layerNorm?: boolean;
  /** LSTM: added to the forget gate's initial bias (default 1 with `init: 'keras'`, 0 with `pytorch`). */
  forgetBias?: number;
  /** GRU: reset gate after the recurrent matmul (default true). */
  resetAfter?: boolean;
  /** Vanilla RNN activation (default tanh). */
  activation?: 'tanh' | 'relu';
  /** How every cell draws its initial weights: `keras` (default) or `pytorch`, like `nn.LSTM` (see {@link CellInit}). */
  init?: CellInit;
  /** Seed for weights and dropout masks (default 0). */
  seed?: number;
  /** Use fused kernels when available (default true). */
  fused?: boolean;
}

/** Per-call options of {@link StackedRNN.apply}. */
export interface StackedApplyOptions {
  /** One state list per layer (bidirectional: forward then backward tensors). */
  initialState?: tf.Tensor[][];
  /** Valid length of each row; later steps are padding (state frozen, output zero). */
  lengths?: readonly number[];
  /** Apply dropout (default false). */
  training?: boolean;
  /** Return every layer's per-step gates and states in `trace` (uses the step loop). */
  trace?: boolean;
  /** Draw every dropout mask from this generator (e.g. a trainer's saved RNG, so a resumed run repeats them). */
  rng?: Rng;
}

/** What {@link StackedRNN.apply} returns: the top layer's outputs, every layer's state, optional traces. */
export interface StackedResult {
  /** Top layer outputs `[B, T, outputSize]`. */
  output: tf.Tensor;
  /** Final state of every layer. */
  states: tf.Tensor[][];
  /** With `trace`: per layer, each traced quantity `[B, T, size]`. */
  trace?: Array<Record<string, tf.Tensor>>;
}

/** {@link StackedRNNOptions} with every default filled in, as {@link StackedRNN.options} holds them. */
export type StackedRNNResolvedOptions = Readonly<Required<Omit<StackedRNNOptions, 'projSize'>> & StackedRNNProjection>;

/** The LSTM projection size of {@link StackedRNNResolvedOptions}, which is null rather than absent when unused. */
export type StackedRNNProjection = {
  /** Width P of the projected hidden state of LSTM layers (`h` is `[B, P]`), or null without a projection. */
  projSize: number | null;
};

/** What {@link StackedRNN.step} returns: the top layer's output for one step and every layer's new state. */
export type StackedStepResult = {
  /** The top layer's output for this step, `[B, outputSize]`. */
  output: tf.Tensor;
  /** Every layer's state after the step, bottom first (`[h, c]` for LSTM, `[h]` otherwise, each `[B, size]`): pass it to the next step. */
  states: tf.Tensor[][];
};

/** The plain JSON of {@link StackedRNN.getConfig}: the tag and every option with its default filled in. */
export type StackedRNNConfigJson = {
  /** Always `'stacked-rnn'`, the registered type that rebuilds the stack. */
  type: 'stacked-rnn';
  [key: string]: string | number | boolean | null;
};

/**
 * A stack of recurrent layers, configured like PyTorch's `nn.LSTM` / `nn.GRU` /
 * `nn.RNN` (and weight-compatible with them through `importTorchWeights`).
 * `step` advances a unidirectional stack by one token for O(1) generation.
 */
export class StackedRNN {
  /** The options with every default filled (`projSize` null when unused). */
  readonly options: StackedRNNResolvedOptions;
  /** The layers, bottom first: a {@link RecurrentLayer} or a {@link Bidirectional} each. */
  readonly layers: SequenceLayer[];
  private readonly rng: Rng;

  constructor(options: StackedRNNOptions) {
    const numLayers = positiveInt(options.numLayers ?? 1, 'numLayers');
    if (!['lstm', 'gru', 'rnn'].includes(options.cell)) {
      throw new ConfigError('cell', `must be lstm, gru or rnn, got ${JSON.stringify(options.cell)}`);
    }
    if (options.projSize !== undefined && options.cell !== 'lstm') {
      throw new ConfigError('projSize', 'is only supported by lstm cells');
    }
    this.options = {
      cell: options.cell,
      inputSize: positiveInt(options.inputSize, 'inputSize'),
      hiddenSize: positiveInt(options.hiddenSize, 'hiddenSize'),
      numLayers,
      bidirectional: options.bidirectional ?? false,
      merge: options.merge ?? 'concat',
      dropout: dropoutRate(options.dropout, 'dropout'),
      recurrentDropout: dropoutRate(options.recurrentDropout, 'recurrentDropout'),
      projSize: options.projSize ?? null,
      layerNorm: options.layerNorm ?? false,
      forgetBias: options.forgetBias ?? defaultForgetBias(cellInit(options.init)),
      resetAfter: options.resetAfter ?? true,
      activation: options.activation ?? 'tanh',
      init: cellInit(options.init),
      seed: options.seed ?? 0,
      fused: options.fused ?? true,
    };
    const o = this.options;
    const weightRng = new Rng(o.seed);
    this.rng = weightRng.fork();
    this.layers = [];
    let inputSize = o.inputSize;
    for (let l = 0; l < numLayers; l++) {
      const makeLayer = (reverse: boolean) =>
        new RecurrentLayer(this.makeCell(inputSize, weightRng), {
          reverse,
          recurrentDropout: o.recurrentDropout,
          fused: o.fused,
          seed: weightRng.uint32(),
        });
      const layer: SequenceLayer = o.bidirectional
        ? new Bidirectional(makeLayer(false), makeLayer(true), o.merge)
        : makeLayer(false);
      this.layers.push(layer);
      inputSize = layer.outputSize;
    }
  }

  private makeCell(inputSize: number, rng: Rng): RecurrentCell {
    const o = this.options;
    const config: CellConfigJson = { type: o.cell, inputSize, units: o.hiddenSize, init: o.init };
    if (o.cell === 'lstm') {
      config.forgetBias = o.forgetBias;
      config.layerNorm = o.layerNorm;
      if (o.projSize !== null) config.projSize = o.projSize;
    }
    if (o.cell === 'gru') config.resetAfter = o.resetAfter;
    if (o.cell === 'rnn') config.activation = o.activation;
    return cellFromConfig(config, rng.uint32());
  }

  /** Features per input step: the last axis of `x` `[B, T, inputSize]`. */
  get inputSize(): number {
    return this.options.inputSize;
  }

  /** Features per output step of the top layer (doubled by a bidirectional `concat`). */
  get outputSize(): number {
    return (this.layers[this.layers.length - 1] as SequenceLayer).outputSize;
  }

  /** All weights, named `layers.{l}/[forward|backward/]{weight}`. */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    this.layers.forEach((layer, l) => {
      for (const [k, v] of Object.entries(layer.variables)) out[`layers.${l}/${k}`] = v;
    });
    return out;
  }

  /** The cells of layer `l`: `[forward]` or `[forward, backward]`. */
  cellsOf(l: number): RecurrentCell[] {
    const layer = this.layers[l];
    if (layer instanceof Bidirectional) return [layer.forward.cell, layer.backward.cell];
    if (layer instanceof RecurrentLayer) return [layer.cell];
    throw new ShapeError('l', `a layer index in [0, ${this.layers.length})`, String(l), 'StackedRNN.cellsOf');
  }

  /** Runs every layer over `x` `[B, T, inputSize]`, returning the top outputs and each layer's final state. */
  apply(x: tf.Tensor, options: StackedApplyOptions = {}): StackedResult {
    expectShape(x, 'x', [undefined, undefined, this.inputSize], 'StackedRNN.apply');
    if (options.initialState && options.initialState.length !== this.layers.length) {
      throw new ShapeError(
        'initialState',
        `${this.layers.length} state lists (one per layer)`,
        `${options.initialState.length}`,
        'StackedRNN.apply',
      );
    }
    let input = x;
    const states: tf.Tensor[][] = [];
    const traces: Array<Record<string, tf.Tensor>> = [];
    this.layers.forEach((layer, l) => {
      if (l > 0 && options.training && this.options.dropout > 0) {
        input = tf.mul(input, dropoutMask(options.rng ?? this.rng, input.shape, this.options.dropout));
      }
      const res: LayerResult = layer.apply(input, {
        ...(options.initialState ? { initialState: options.initialState[l] as tf.Tensor[] } : {}),
        ...(options.lengths ? { lengths: options.lengths } : {}),
        training: options.training ?? false,
        trace: options.trace ?? false,
        ...(options.rng ? { rng: options.rng } : {}),
      });
      input = res.output;
      states.push(res.state);
      if (res.trace) traces.push(res.trace);
    });
    const result: StackedResult = { output: input, states };
    if (options.trace) result.trace = traces;
    return result;
  }

  /** Zero states for every layer. */
  initialState(batchSize: number): tf.Tensor[][] {
    return this.layers.map((_, l) => this.cellsOf(l).flatMap((cell) => cell.initialState(batchSize)));
  }

  /**
   * One step of a unidirectional stack: `x` `[B, inputSize]` → output `[B, outputSize]`.
   * Generation calls this once per token, carrying `states`; no prefix is re-fed.
   */
  step(x: tf.Tensor, states: tf.Tensor[][]): StackedStepResult {
    if (this.options.bidirectional) {
      throw new ConfigError(
        'bidirectional',
        'a bidirectional stack needs the whole sequence; step() is for unidirectional stacks',
      );
    }
    // Generation calls this outside any tidy: keep only the output and the new states, so that the
    // pure-tfjs path leaves no intermediates behind (the native step makes none).
    return tf.tidy(() => {
      let input = x;
      const next: tf.Tensor[][] = [];
      this.layers.forEach((_, l) => {
        const cell = this.cellsOf(l)[0] as RecurrentCell;
        const res = cell.step(input, states[l] as tf.Tensor[]);
        input = res.output;
        next.push(res.state);
      });
      return { output: input, states: next };
    });
  }

  /** `type: 'stacked-rnn'` and the options with defaults filled, from which `fromConfig` rebuilds the stack. */
  getConfig(): StackedRNNConfigJson {
    return { type: 'stacked-rnn', ...this.options };
  }

  /**
   * The shape of every weight a stack with these options holds, by the names
   * of {@link StackedRNN.variables}, computed from the options alone: nothing
   * is allocated or initialized, so a loader can compare a config with the
   * weights it came with before building anything. Bad options are the same
   * ConfigErrors the constructor throws.
   */
  static weightShapes(options: StackedRNNOptions): Record<string, number[]> {
    const numLayers = positiveInt(options.numLayers ?? 1, 'numLayers');
    if (!['lstm', 'gru', 'rnn'].includes(options.cell)) {
      throw new ConfigError('cell', `must be lstm, gru or rnn, got ${JSON.stringify(options.cell)}`);
    }
    if (options.projSize !== undefined && options.cell !== 'lstm') {
      throw new ConfigError('projSize', 'is only supported by lstm cells');
    }
    const H = positiveInt(options.hiddenSize, 'hiddenSize');
    const projSize = options.projSize === undefined ? undefined : positiveInt(options.projSize, 'projSize');
    const directions = options.bidirectional ? ['forward/', 'backward/'] : [''];
    const concat = options.bidirectional && (options.merge ?? 'concat') === 'concat';
    const out: Record<string, number[]> = {};
    let inputSize = positiveInt(options.inputSize, 'inputSize');
    for (let l = 0; l < numLayers; l++) {
      const cell: Array<[string, number[]]> = [];
      let outputSize = H;
      if (options.cell === 'lstm') {
        const P = projSize ?? H;
        outputSize = P;
        cell.push(['kernel', [inputSize, 4 * H]], ['recurrentKernel', [P, 4 * H]], ['bias', [4 * H]]);
        if (projSize !== undefined) cell.push(['projection', [H, P]]);
        if (options.layerNorm ?? false) {
          for (const name of ['inputGamma', 'inputBeta', 'recurrentGamma', 'recurrentBeta']) cell.push([name, [4 * H]]);
          cell.push(['cellGamma', [H]], ['cellBeta', [H]]);
        }
      } else if (options.cell === 'gru') {
        cell.push(['kernel', [inputSize, 3 * H]], ['recurrentKernel', [H, 3 * H]], ['bias', [3 * H]]);
        if (options.resetAfter ?? true) cell.push(['recurrentBias', [3 * H]]);
      } else {
        cell.push(['kernel', [inputSize, H]], ['recurrentKernel', [H, H]], ['bias', [H]]);
      }
      for (const direction of directions) {
        for (const [name, shape] of cell) out[`layers.${l}/${direction}${name}`] = [...shape];
      }
      inputSize = concat ? 2 * outputSize : outputSize;
    }
    return out;
  }

  /** Rebuilds a stack from `getConfig()` JSON, with fresh weights drawn from its seed. */
  static fromConfig(config: Record<string, unknown>): StackedRNN {
    if (config.type !== 'stacked-rnn')
      throw new ConfigError('type', `expected "stacked-rnn", got ${JSON.stringify(config.type)}`);
    const { type: _type, projSize, ...rest } = config;
    return new StackedRNN({
      ...(rest as unknown as StackedRNNOptions),
      ...(typeof projSize === 'number' ? { projSize } : {}),
    });
  }

  /** Frees every layer's weights. */
  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }
}
