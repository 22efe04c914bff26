import {
  ConfigError,
  initBackend,
  isRegisteredConfigType,
  Rng,
  randomNormal,
  registerConfigType,
  registeredConfigTypes,
  type TypedConfig,
  unregisterConfigType,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Attention } from './attention/attention.js';
import { BahdanauAttention } from './attention/bahdanau-attention.js';
import { LuongAttention } from './attention/luong-attention.js';
import { Bidirectional } from './bidirectional.js';
import type { RecurrentCell } from './cell.js';
import { attentionFromConfig, cellFromConfig, layerFromConfig, registerBuiltinCells } from './config-registry.js';
import { ConvLSTM2DCell } from './conv-lstm-cell.js';
import { ConvLSTM2D } from './conv-lstm-layer.js';
import { LSTMCell } from './lstm-cell.js';
import { RecurrentLayer } from './recurrent-layer.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { StackedRNN } from './stacked-rnn.js';

const shapes = (v: Readonly<Record<string, tf.Variable>>) =>
  Object.fromEntries(Object.entries(v).map(([k, t]) => [k, t.shape]));
const values = (v: Readonly<Record<string, tf.Variable>>) =>
  Object.fromEntries(Object.entries(v).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('config registry of cells, layers and attention', () => {
  beforeAll(async () => {
    await initBackend();
  });
  const thirdParty: Array<[string, string]> = [];
  afterEach(() => {
    for (const [kind, type] of thirdParty.splice(0)) unregisterConfigType(kind, type);
  });

  it('registers every built-in type, idempotently', () => {
    registerBuiltinCells();
    registerBuiltinCells();
    expect(registeredConfigTypes('cell')).toEqual(expect.arrayContaining(['conv-lstm', 'gru', 'lstm', 'rnn']));
    expect(registeredConfigTypes('layer')).toEqual(
      expect.arrayContaining(['bidirectional', 'conv-lstm-2d', 'recurrent', 'stacked-rnn']),
    );
    expect(registeredConfigTypes('attention')).toEqual(expect.arrayContaining(['bahdanau', 'luong']));
  });

  it('rebuilds a conv-lstm cell from its config (it had no factory before)', () => {
    const cell = new ConvLSTM2DCell({ inputSize: 2, units: 3, kernelSize: [3, 5], forgetBias: 0.5, seed: 4 });
    const copy = cellFromConfig(cell.getConfig(), 4);
    expect(copy).toBeInstanceOf(ConvLSTM2DCell);
    expect(copy.getConfig()).toEqual({
      type: 'conv-lstm',
      inputSize: 2,
      units: 3,
      kernelSize: [3, 5],
      forgetBias: 0.5,
    });
    expect(values(copy.variables)).toEqual(values(cell.variables));
    cell.dispose();
    copy.dispose();
  });

  const layers: Array<
    [
      string,
      () => { getConfig(): TypedConfig; variables: Readonly<Record<string, tf.Variable>>; dispose(): void },
      number[],
    ]
  > = [
    [
      'recurrent',
      () =>
        new RecurrentLayer(new LSTMCell({ inputSize: 3, units: 4, projSize: 2, seed: 9 }), {
          returnSequences: false,
          reverse: true,
          dropout: 0.25,
          recurrentDropout: 0.1,
          outputDropout: 0.2,
          fused: false,
          seed: 17,
        }),
      [2, 5, 3],
    ],
    [
      'bidirectional',
      () =>
        new Bidirectional(
          new RecurrentLayer(new SimpleRNNCell({ inputSize: 3, units: 4, activation: 'relu', seed: 1 })),
          new RecurrentLayer(new SimpleRNNCell({ inputSize: 3, units: 4, activation: 'relu', seed: 2 }), {
            reverse: true,
          }),
          'sum',
        ),
      [2, 5, 3],
    ],
    [
      'stacked-rnn',
      () => new StackedRNN({ cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 5 }),
      [2, 5, 3],
    ],
    [
      'conv-lstm-2d',
      () => new ConvLSTM2D(new ConvLSTM2DCell({ inputSize: 2, units: 3, seed: 3 }), { returnSequences: false }),
      [1, 2, 4, 4, 2],
    ],
  ];
  for (const [type, make, inputShape] of layers) {
    it(`${type}: getConfig → layerFromConfig rebuilds the same layer, and one seed the same weights`, async () => {
      const layer = make();
      const config = layer.getConfig();
      expect(config.type).toBe(type);
      // Plain JSON: survives a trip through text unchanged.
      expect(JSON.parse(JSON.stringify(config))).toEqual(config);
      const a = layerFromConfig<typeof layer>(config, 11);
      const b = layerFromConfig<typeof layer>(JSON.parse(JSON.stringify(config)), 11);
      expect(a.constructor).toBe(layer.constructor);
      expect(a.getConfig()).toEqual(config);
      expect(shapes(a.variables)).toEqual(shapes(layer.variables));
      expect(values(a.variables)).toEqual(values(b.variables));
      // Same weights in, same numbers out.
      const x = randomNormal(new Rng(1), inputShape);
      const run = (l: unknown) => (l as { apply(x: tf.Tensor): { output: tf.Tensor } }).apply(x).output;
      const [ya, yb] = [run(a), run(b)];
      expect(Array.from(await ya.data())).toEqual(Array.from(await yb.data()));
      expect(Array.from(await ya.data()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, ya, yb]);
      for (const l of [layer, a, b]) l.dispose();
    });
  }

  const mechanisms: Array<[string, () => Attention]> = [
    ['bahdanau', () => new BahdanauAttention({ querySize: 4, memorySize: 3, units: 5, seed: 2 })],
    ['luong dot', () => new LuongAttention({ querySize: 3, memorySize: 3, score: 'dot', scale: true })],
    ['luong general', () => new LuongAttention({ querySize: 4, memorySize: 3, score: 'general', seed: 8 })],
  ];
  for (const [name, make] of mechanisms) {
    it(`${name}: attentionFromConfig rebuilds the same mechanism with the same weights`, async () => {
      const att = make();
      const copy = attentionFromConfig(JSON.parse(JSON.stringify(att.getConfig())));
      expect(copy.constructor).toBe(att.constructor);
      expect(copy.getConfig()).toEqual(att.getConfig());
      expect(values(copy.variables)).toEqual(values(att.variables));
      const query = randomNormal(new Rng(3), [2, att.querySize]);
      const memory = randomNormal(new Rng(4), [2, 5, att.memorySize]);
      const [r1, r2] = [att.apply(query, memory), copy.apply(query, memory)];
      expect(Array.from(await r1.context.data())).toEqual(Array.from(await r2.context.data()));
      tf.dispose([query, memory, r1.context, r1.weights, r2.context, r2.weights]);
      att.dispose();
      copy.dispose();
    });
  }

  it('names an unknown type and lists the registered ones, for every kind', () => {
    expect(() => layerFromConfig({ type: 'transformer' })).toThrow(ConfigError);
    expect(() => layerFromConfig({ type: 'transformer' })).toThrow(
      /unknown layer type "transformer"; registered: bidirectional, conv-lstm-2d, recurrent, stacked-rnn/,
    );
    expect(() => attentionFromConfig({ type: 'multi-head' })).toThrow(
      /unknown attention type "multi-head".*bahdanau, location-sensitive, luong/,
    );
    expect(() => cellFromConfig({ type: 'mlstm', inputSize: 1, units: 1 })).toThrow(/unknown cell type "mlstm"/);
    // A nested config is checked the same way.
    expect(() => layerFromConfig({ type: 'recurrent', cell: { type: 'mlstm', inputSize: 1, units: 1 } })).toThrow(
      /unknown cell type "mlstm"/,
    );
    expect(() => layerFromConfig({ type: 'recurrent', cell: 3 })).toThrow(/cell: must be a config object/);
    expect(() => layerFromConfig({ type: 'conv-lstm-2d', cell: { type: 'gru', inputSize: 1, units: 1 } })).toThrow(
      /must be a "conv-lstm" cell config/,
    );
    expect(() => attentionFromConfig({ type: 'luong', querySize: 3, memorySize: 4, score: 'cosine' })).toThrow(
      /score: must be one of "dot", "general", got "cosine"/,
    );
    expect(() => RecurrentLayer.fromConfig({ type: 'bidirectional' })).toThrow(
      /RecurrentLayer.fromConfig expects "recurrent", got "bidirectional"/,
    );
  });

  it('builds a third-party cell type registered from outside, inside a built-in layer', async () => {
    /** A "cell" that leaks its input through a scaled identity: h' = a·x + h. */
    class LeakyIntegrator implements RecurrentCell {
      readonly type = 'leaky-integrator';
      readonly outputSize: number;
      readonly stateSizes: readonly number[];
      readonly variables: Record<string, tf.Variable>;
      constructor(
        readonly inputSize: number,
        readonly units: number,
        readonly scale: number,
      ) {
        this.outputSize = units;
        this.stateSizes = [units];
        this.variables = { scale: tf.variable(tf.scalar(scale)) };
      }
      initialState(batch: number) {
        return [tf.zeros([batch, this.units])];
      }
      step(x: tf.Tensor, state: tf.Tensor[]) {
        const h = tf.add(tf.mul(x, this.variables.scale as tf.Variable), state[0] as tf.Tensor);
        return { output: h, state: [h] };
      }
      setWeights(): void {}
      getConfig() {
        return { type: this.type, inputSize: this.inputSize, units: this.units, scale: this.scale };
      }
      dispose() {
        this.variables.scale?.dispose();
      }
    }
    registerConfigType(
      'cell',
      'leaky-integrator',
      (c) => new LeakyIntegrator(c.inputSize as number, c.units as number, c.scale as number),
    );
    thirdParty.push(['cell', 'leaky-integrator']);
    expect(isRegisteredConfigType('cell', 'leaky-integrator')).toBe(true);
    // Built-ins registered later leave it alone.
    registerBuiltinCells();
    const layer = layerFromConfig<RecurrentLayer>({
      type: 'recurrent',
      cell: { type: 'leaky-integrator', inputSize: 2, units: 2, scale: 0.5 },
    });
    expect(layer.cell).toBeInstanceOf(LeakyIntegrator);
    // Running sums of 0.5·x over time.
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const { output } = layer.apply(x);
    expect(Array.from(await output.data())).toEqual([0.5, 1, 2, 3, 4.5, 6]);
    expect(layer.getConfig().cell).toEqual({ type: 'leaky-integrator', inputSize: 2, units: 2, scale: 0.5 });
    tf.dispose([x, output]);
    layer.dispose();
  });

  it('builds a third-party attention type registered from outside', () => {
    const made: TypedConfig[] = [];
    registerConfigType('attention', 'toy-attention', (c) => {
      made.push(c);
      return new LuongAttention({ querySize: c.size as number, memorySize: c.size as number, score: 'dot' });
    });
    thirdParty.push(['attention', 'toy-attention']);
    const att = attentionFromConfig({ type: 'toy-attention', size: 6 });
    expect(att.memorySize).toBe(6);
    expect(made).toEqual([{ type: 'toy-attention', size: 6 }]);
    att.dispose();
  });
});
