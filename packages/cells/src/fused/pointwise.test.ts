import { initBackend, Rng, randomNormal, randomUniform, ShapeError } from '@seqgen/core';
import { maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecurrentCell } from '../cell.js';
import { GRUCell } from '../gru-cell.js';
import { type JsKernel, setJsKernels } from '../kernels/js-kernel.js';
import { LSTMCell } from '../lstm-cell.js';
import { RecurrentLayer } from '../recurrent-layer.js';
import { addStepKernel } from './add-step.js';
import { gruBackKernel, gruCandidateKernel, gruUpdateKernel } from './gru-pointwise.js';
import { lstmBackKernel, lstmCellKernel, lstmOutputKernel } from './lstm-pointwise.js';
import { setNativeKernels } from './native-sequence.js';

const T = 4;
const B = 3;
const H = 5;

/** Every output of the JavaScript kernel against its composed tf-ops form. */
async function expectSameAsComposed<A>(kernel: JsKernel<A>, inputs: tf.Tensor[], attrs: A): Promise<void> {
  const ours = kernel(inputs, attrs);
  const ref = kernel.composed(inputs, attrs);
  expect(ours.map((t) => t.shape)).toEqual(ref.map((t) => t.shape));
  for (let k = 0; k < ref.length; k++) expect(await maxAbsDiff(ours[k]!, ref[k]!), `output ${k}`).toBeLessThan(2e-6);
}

describe('element-wise step kernels match their tf-ops forms', () => {
  const rng = new Rng(3);
  const normal = (shape: number[]) => randomNormal(rng, shape);
  const unit = (shape: number[]) => randomUniform(rng, shape, 0.01, 0.99); // sigmoid outputs
  const mask = () => tf.tensor3d([1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0], [T, B, 1]);

  beforeAll(async () => {
    await initBackend();
  });

  it('addStep reads step t of the stack, keeps the first `width` columns and doubles those from `doubleFrom`', async () => {
    const X = normal([T, B, 3 * H]);
    const Y = normal([B, 3 * H]);
    for (const [t, width, doubleFrom] of [
      [0, 3 * H, 3 * H],
      [2, 2 * H, 2 * H],
      [3, 1, 1],
      [1, 3 * H, 2 * H],
      [1, 2 * H, 0],
    ] as const)
      await expectSameAsComposed(addStepKernel, [X, Y], { t, width, doubleFrom });
  });

  it('GRU candidate, update and backward step (plain and masked, with and without stride padding)', async () => {
    const X3 = normal([T, B, 3 * H]);
    const hu = normal([B, 3 * H]);
    const g = unit([B, 2 * H]);
    await expectSameAsComposed(gruCandidateKernel, [X3, hu, g], { t: 1 });
    await expectSameAsComposed(gruUpdateKernel, [unit([B, H]), g, normal([B, H])], {});
    const stacks = [normal([T, B, H]), unit([T, B, 2 * H]), tf.sub(tf.mul(unit([T, B, H]), 2), 1)];
    const [dOut, G, N] = stacks as [tf.Tensor, tf.Tensor, tf.Tensor];
    const base = [normal([B, H]), normal([B, H]), dOut, G, N, normal([T, B, H]), normal([T, B, 3 * H])];
    for (const pads of [
      { padRZ: 0, padN: 0 },
      { padRZ: 8, padN: 3 },
    ])
      for (const inputs of [base, [...base, mask()]])
        await expectSameAsComposed(gruBackKernel, inputs, { t: 2, ...pads });
  });

  it('LSTM cell, output and backward step (plain and masked, with and without stride padding)', async () => {
    const s = unit([B, 4 * H]);
    await expectSameAsComposed(lstmCellKernel, [s, normal([B, H])], {});
    await expectSameAsComposed(lstmOutputKernel, [unit([B, H]), s], {});
    const TC = tf.sub(tf.mul(unit([T, B, H]), 2), 1);
    const base = [normal([B, H]), normal([B, H]), normal([B, H]), normal([T, B, H]), unit([T, B, 4 * H]), TC];
    const withC = [...base, normal([T, B, H])];
    for (const pad of [0, 8]) {
      await expectSameAsComposed(lstmBackKernel, withC, { t: 0, pad });
      const masked = lstmBackKernel([...withC, mask()], { t: 3, pad });
      expect(masked).toHaveLength(3); // with a mask, the pass-through part of ∂L/∂h comes back too
      await expectSameAsComposed(lstmBackKernel, [...withC, mask()], { t: 3, pad });
    }
  });

  it('refuses inputs that are not float32, naming the input', () => {
    const ints = tf.zeros([T, B, H], 'int32');
    expect(() => addStepKernel([ints, normal([B, H])], { t: 0, width: H, doubleFrom: H })).toThrow(ShapeError);
    expect(() => addStepKernel([ints, normal([B, H])], { t: 0, width: H, doubleFrom: H })).toThrow(
      'SeqgenAddStep: input 0 must be float32, got int32',
    );
  });
});

describe('fused layers give the same values and gradients with the kernels as with their tf-ops forms', () => {
  beforeAll(async () => {
    await initBackend();
    setNativeKernels(false); // the pure-tfjs path is the one that uses these kernels
  });
  afterAll(() => {
    setNativeKernels(true);
    setJsKernels(true);
  });

  const cells: Array<[string, () => RecurrentCell]> = [
    ['lstm', () => new LSTMCell({ inputSize: 4, units: 64, seed: 1 })], // 4H = 256: stride-padded
    ['gru', () => new GRUCell({ inputSize: 4, units: 128, seed: 2 })], // 2H = 256: r|z block padded
  ];
  for (const [name, make] of cells)
    for (const variant of ['plain', 'masked reverse'] as const) {
      it(`${name} (${variant})`, async () => {
        const cell = make();
        const rng = new Rng(9);
        const x = randomNormal(rng, [B, 6, 4]);
        const initialState = cell.stateSizes.map((s) => randomNormal(rng, [B, s], 0, 0.5));
        const options = variant === 'plain' ? { initialState } : { initialState, lengths: [6, 2, 0] };
        const layer = new RecurrentLayer(cell, { reverse: variant !== 'plain' });
        const loss = () => {
          const r = layer.apply(x, options);
          return tf.addN([r.output, ...r.state].map((t, k) => tf.sum(tf.mul(t, tf.sin(tf.add(t, k)))))) as tf.Scalar;
        };
        const vars = Object.values(cell.variables);
        const run = (kernels: boolean) => {
          setJsKernels(kernels);
          return tf.variableGrads(loss, vars);
        };
        const a = run(true);
        const b = run(false);
        expect(Math.abs((await a.value.data())[0]! - (await b.value.data())[0]!)).toBeLessThan(1e-4);
        for (const v of vars) expect(await maxAbsDiff(a.grads[v.name]!, b.grads[v.name]!), v.name).toBeLessThan(1e-4);
        cell.dispose();
      });
    }
});
