import { initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { checkGradient, NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvLSTM2DCell } from './conv-lstm-cell.js';
import { ConvLSTM2D } from './conv-lstm-layer.js';
import { nativeConvLstmKernels } from './fused/native-conv-lstm.js';
import { fusedKernelStatus, nativeKernels, setNativeKernels } from './fused/native-sequence.js';

/** SEQGEN_NATIVE=0 turns the addon off on purpose; CI otherwise requires the native path (NATIVE_REQUIRED). */
const disabled = /^(0|false|off)$/i.test(process.env.SEQGEN_NATIVE?.trim() ?? '');

/** Largest |a − b| over the largest |b| (at least 1e-3, so that all-but-zero tensors compare absolutely). */
async function relDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  let scale = 1e-3;
  for (let i = 0; i < x.length; i++) {
    m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
    scale = Math.max(scale, Math.abs(y[i] as number));
  }
  return m / scale;
}

/** A cell with non-zero biases, so that every gradient path is exercised. */
function makeCell(kernelSize: number | [number, number], seed: number): ConvLSTM2DCell {
  const cell = new ConvLSTM2DCell({ inputSize: 3, units: 4, kernelSize, seed });
  cell.setWeights({ bias: randomNormal(new Rng(seed + 1), [16], 0, 0.3) });
  return cell;
}

/** Calls of the native ConvLSTM kernels so far (zeros when the addon is not in use). */
function nativeCalls(): { forward: number; backward: number } {
  const c = nativeKernels()?.nativeCallCounts();
  return { forward: c?.convLstmForward ?? 0, backward: c?.convLstmBackward ?? 0 };
}

describe('ConvLSTM2D: native kernels and the pure-tfjs step loop', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('takes the native path when it is built and not disabled, else the pure-tfjs one', () => {
    const status = fusedKernelStatus();
    if (disabled) expect(nativeConvLstmKernels()).toBeUndefined();
    else if (NATIVE_REQUIRED) expect(nativeConvLstmKernels(), status.reason).toBeDefined();
    else expect(nativeConvLstmKernels() !== undefined).toBe(status.native);
  });

  for (const kernelSize of [3, [3, 1]] as const) {
    it(`kernel ${kernelSize}: same outputs, final state and gradients on both paths (training step, layer and cell)`, async () => {
      const cell = makeCell(kernelSize as number | [number, number], 5);
      const layer = new ConvLSTM2D(cell);
      const rng = new Rng(6);
      const x = randomNormal(rng, [2, 4, 6, 5, 3]);
      const h0 = randomNormal(rng, [2, 6, 5, 4], 0, 0.5);
      const c0 = randomNormal(rng, [2, 6, 5, 4], 0, 0.5);
      const weight = tf.sin(tf.reshape(tf.range(0, 2 * 4 * 6 * 5 * 4), [2, 4, 6, 5, 4]));
      const vars = Object.values(cell.variables);
      // Gradients with respect to the weights, the frames and the initial state, through the layer and
      // through two further cell steps fed with the layer's output (as the forecaster does).
      const run = () =>
        tf.tidy(() => {
          const xs = [x, h0, c0];
          const f = (xv: tf.Tensor, hv: tf.Tensor, cv: tf.Tensor) => {
            const out = layer.apply(xv, { initialState: [hv, cv] });
            let state = out.state;
            let total = tf.sum(tf.mul(out.output, weight));
            for (let s = 0; s < 2; s++) {
              const r = cell.step(tf.slice(xv, [0, s], [2, 1]).reshape([2, 6, 5, 3]), state);
              state = r.state;
              total = tf.add(total, tf.sum(tf.mul(tf.sin(r.output), state[1] as tf.Tensor)));
            }
            return tf.add(total, tf.sum(tf.mul(state[0] as tf.Tensor, state[1] as tf.Tensor))) as tf.Scalar;
          };
          const { value, grads } = tf.variableGrads(() => f(x, h0, c0), vars);
          const inputGrads = tf.grads(f)(xs);
          const out = layer.apply(x, { initialState: [h0, c0] });
          return [value, out.output, ...out.state, ...vars.map((v) => grads[v.name] as tf.Tensor), ...inputGrads];
        });
      const before = nativeCalls();
      const a = run();
      const after = nativeCalls();
      if (!nativeConvLstmKernels()) {
        // The pure-tfjs projects: the same step ran without any native call (nothing to compare with).
        expect(after).toEqual(before);
        for (const t of a) expect(Array.from(await t.data()).every(Number.isFinite)).toBe(true);
        tf.dispose([...a, x, h0, c0, weight]);
        layer.dispose();
        return;
      }
      // Per run: the layer and two steps, taped twice (variableGrads, grads) and once not.
      expect({ forward: after.forward - before.forward, backward: after.backward - before.backward }).toEqual({
        forward: 7,
        backward: 6,
      });
      setNativeKernels(false);
      let b: tf.Tensor[];
      try {
        b = run();
      } finally {
        setNativeKernels(true);
      }
      expect(nativeCalls()).toEqual(after);
      for (let k = 0; k < a.length; k++) expect(await relDiff(a[k]!, b[k]!), `result ${k}`).toBeLessThan(1e-5);
      tf.dispose([...a, ...b, x, h0, c0, weight]);
      layer.dispose();
    });
  }

  it('gradients match finite differences on the path this project runs', async () => {
    const cell = makeCell(3, 8);
    const layer = new ConvLSTM2D(cell, { returnSequences: false });
    const frames = randomNormal(new Rng(9), [1, 3, 4, 4, 3]);
    const w = tf.sin(tf.reshape(tf.range(0, 64), [1, 4, 4, 4]));
    const f = () => tf.mul(layer.apply(frames).output, w);
    const vars = Object.values(cell.variables);
    const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
    for (const v of vars) {
      const r = await checkGradient(f, v, grads[v.name]!, { maxEntries: 24 });
      expect(r.ratio, `${v.name}: ${r.worst}`).toBeLessThanOrEqual(1);
    }
    tf.dispose([frames, w, ...Object.values(grads)]);
    layer.dispose();
  });

  it('refuses an initial state of the wrong shape on either path, with a ShapeError naming it', () => {
    const layer = new ConvLSTM2D(makeCell(3, 12));
    const x = tf.zeros([2, 3, 4, 5, 3]);
    const h = tf.zeros([2, 4, 5, 4]);
    const wrong = tf.zeros([2, 5, 4, 4]);
    expect(() => layer.apply(x, { initialState: [h, wrong] })).toThrow(ShapeError);
    expect(() => layer.apply(x, { initialState: [h, wrong] })).toThrow(/state\[1\] \(c\)/);
    expect(() => layer.apply(x, { initialState: [h] })).toThrow(/\[h, c\]/);
    tf.dispose([x, h, wrong]);
    layer.dispose();
  });

  it('leaves no tensors and no native buffers behind after training steps and inference', () => {
    const cell = makeCell(3, 10);
    const layer = new ConvLSTM2D(cell);
    const x = randomNormal(new Rng(11), [2, 5, 6, 6, 3]);
    const native = nativeKernels();
    const live = () => native?.nativeMemory() ?? { liveSaved: 0, liveBytes: 0 };
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.square(layer.apply(x).output)) as tf.Scalar,
        Object.values(cell.variables),
      );
      tf.dispose([value, ...Object.values(grads)]);
      tf.tidy(() => {
        layer.apply(x);
      });
    };
    step();
    const tensors = tf.memory().numTensors;
    const saved = live();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(live().liveSaved).toBe(saved.liveSaved);
    expect(live().liveBytes).toBe(saved.liveBytes);
    x.dispose();
    layer.dispose();
  });
});
