import { Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/** Max |a − b| over two tensors' values; throws when their shapes differ. */
export async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`maxAbsDiff: shapes differ, [${a.shape}] vs [${b.shape}]`);
  }
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs((x[i] as number) - (y[i] as number));
    // NaN anywhere must not read as agreement.
    m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(m, d);
  }
  return m;
}

export interface GradientCheckOptions {
  /** Finite-difference step (default 2e-2; the 4-point stencil's truncation error is O(step⁴)). */
  step?: number;
  /** Relative tolerance per entry (default 1e-3). */
  rtol?: number;
  /**
   * Absolute tolerance per entry, as a fraction of the largest |analytic| entry of this
   * variable (default 1e-3), so that entries whose gradient is ~0 are judged on scale.
   */
  atol?: number;
  /** Check every entry up to this many; above it, this many distinct seeded entries (default 256). */
  maxEntries?: number;
  seed?: number;
}

export interface GradientCheckResult {
  /** max over entries of |numeric − analytic| / (atol + rtol·|analytic|): the check passes when ≤ 1. */
  ratio: number;
  /** Entries checked. */
  checked: number;
  /** Entries over the bound. */
  failed: number;
  /** A description of the worst entry, for assertion messages. */
  worst: string;
}

/**
 * Compares `analytic` (the autodiff gradient of `loss` with respect to `variable`) with
 * central finite differences, entry by entry, over every entry (or `maxEntries` seeded ones).
 * An entry passes when |numeric − analytic| ≤ atol·max|analytic| + rtol·|analytic|.
 *
 * tfjs computes in float32, so everything that can be float64 is: `loss` may return any
 * tensor, whose entries are summed on the host in float64 (return the un-reduced terms of
 * the loss to avoid float32 summation error); the step actually taken is the difference of the
 * float32-rounded perturbed values; and the 4-point stencil
 * (8·(f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))) / 12h has O(h⁴) truncation error, so a
 * step large enough to swamp float32 rounding still leaves the estimate accurate.
 */
export async function checkGradient(
  loss: () => tf.Tensor,
  variable: tf.Variable,
  analytic: tf.Tensor,
  options: GradientCheckOptions = {},
): Promise<GradientCheckResult> {
  const { step = 2e-2, rtol = 1e-3, atol = 1e-3, maxEntries = 256, seed = 5 } = options;
  if (variable.shape.length !== analytic.shape.length || variable.shape.some((d, i) => d !== analytic.shape[i])) {
    throw new Error(
      `checkGradient: gradient shape [${analytic.shape}] differs from variable shape [${variable.shape}]`,
    );
  }
  const original = (await variable.data()).slice() as Float32Array;
  const values = original.slice();
  const grad = Float64Array.from(await analytic.data());
  const entries = sampleEntries(values.length, maxEntries, seed);

  const evaluate = (i: number, v: number): [number, number] => {
    values[i] = v;
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
    const out = tf.tidy(() => loss().dataSync());
    let s = 0;
    for (let k = 0; k < out.length; k++) s += out[k] as number;
    return [s, values[i] as number]; // the float32 value actually used
  };

  try {
    return compareEntries(variable.name, entries, grad, atol, rtol, (i) => {
      const x = original[i] as number;
      const [fp1, xp1] = evaluate(i, x + step);
      const [fm1, xm1] = evaluate(i, x - step);
      const [fp2, xp2] = evaluate(i, x + 2 * step);
      const [fm2, xm2] = evaluate(i, x - 2 * step);
      values[i] = x;
      // Each central difference over the step float32 actually took, then Richardson-combined.
      return richardson(fp1, fm1, xp1 - xm1, fp2, fm2, xp2 - xm2);
    });
  } finally {
    tf.tidy(() => variable.assign(tf.tensor(original, variable.shape, 'float32')));
  }
}

/** (4·d(h) − d(2h)) / 3 from the central differences d over steps h and 2h: O(h⁴) truncation error. */
function richardson(fp1: number, fm1: number, w1: number, fp2: number, fm2: number, w2: number): number {
  return (4 * ((fp1 - fm1) / w1) - (fp2 - fm2) / w2) / 3;
}

function sampleEntries(n: number, maxEntries: number, seed: number): number[] {
  const entries = Array.from({ length: n }, (_, i) => i);
  if (n <= maxEntries) return entries;
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [entries[i], entries[j]] = [entries[j] as number, entries[i] as number];
  }
  return entries.slice(0, maxEntries);
}

function compareEntries(
  name: string,
  entries: number[],
  grad: Float64Array,
  atol: number,
  rtol: number,
  numericAt: (i: number) => number,
): GradientCheckResult {
  const absTol = atol * grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
  let ratio = 0;
  let failed = 0;
  let worst = 'none';
  for (const i of entries) {
    const numeric = numericAt(i);
    const ana = grad[i] as number;
    const err = Math.abs(numeric - ana);
    const bound = absTol + rtol * Math.abs(ana);
    const r = Number.isNaN(err) ? Number.POSITIVE_INFINITY : bound > 0 ? err / bound : err > 0 ? Infinity : 0;
    if (r > 1) failed++;
    if (worst === 'none' || r > ratio) {
      ratio = r;
      worst = `${name}[${i}]: numeric ${numeric.toPrecision(7)}, analytic ${ana.toPrecision(7)}, bound ${bound.toExponential(2)}`;
    }
  }
  return { ratio, checked: entries.length, failed, worst };
}

/**
 * The same per-entry check against a float64 reference computed on the host: `loss(values)`
 * evaluates the loss in plain JS float64 math at the given parameter values (a copy of `values`
 * with one entry perturbed). Use it where float32 differences cannot resolve the gradient, e.g.
 * across ReLU kinks, which the default step here (1e-5) almost never straddles.
 */
export async function checkGradientHost(
  name: string,
  loss: (values: Float64Array) => number,
  values: ArrayLike<number>,
  analytic: tf.Tensor,
  options: GradientCheckOptions = {},
): Promise<GradientCheckResult> {
  const { step = 1e-5, rtol = 1e-3, atol = 1e-3, maxEntries = 256, seed = 5 } = options;
  if (analytic.size !== values.length) {
    throw new Error(`checkGradientHost: gradient has ${analytic.size} entries, values ${values.length}`);
  }
  const v = Float64Array.from(values);
  const grad = Float64Array.from(await analytic.data());
  const at = (i: number, x: number) => {
    v[i] = x;
    return loss(v);
  };
  return compareEntries(name, sampleEntries(v.length, maxEntries, seed), grad, atol, rtol, (i) => {
    const x = values[i] as number;
    const r = richardson(
      at(i, x + step),
      at(i, x - step),
      2 * step,
      at(i, x + 2 * step),
      at(i, x - 2 * step),
      4 * step,
    );
    v[i] = x;
    return r;
  });
}
