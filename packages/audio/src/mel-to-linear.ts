import { assertNonNegativeInteger, assertOneOf, ShapeError } from '@seqgen/base';
import { type GriffinLimOptions, griffinLim } from './griffin-lim.js';
import { assertMatrix, type Matrix } from './matrix.js';
import type { SparseFilterbank } from './mel-filterbank.js';
import { type LogMelOptions, type MelSpectrogramOptions, planMel, resolveFloor } from './mel-spectrogram.js';

/** Options of {@link melToLinear}: the mel spectrogram's own options, and how to invert the filterbank. */
export type MelToLinearOptions = MelSpectrogramOptions & {
  /**
   * `'nnls'` (default): non-negative least squares, started from the
   * pseudo-inverse and refined by accelerated projected gradient (librosa's
   * `mel_to_stft` also solves NNLS); `'pinv'`: the pseudo-inverse, negatives
   * clipped to 0 (faster, rougher).
   */
  method?: 'nnls' | 'pinv';
  /** Projected-gradient iterations of `'nnls'`. Default 100. */
  iterations?: number;
};

/**
 * An STFT magnitude, `frames × (nFft/2 + 1)`, whose mel spectrogram is
 * closest to `mel` (`frames × nMels`, made with the same `options`, including
 * `power`): solves `filterbank · x ≈ mel` for `x ≥ 0` frame by frame and
 * returns `x^(1/power)`. Feed it to {@link griffinLim}.
 *
 * @throws `ConfigError` for bad options; `ShapeError` when `mel` is malformed,
 *   negative, or its width is not `nMels`.
 */
export function melToLinear(mel: Matrix, options: MelToLinearOptions): Matrix {
  const plan = planMel(options);
  const fb = plan.filterbank;
  const nMels = fb.matrix.rows;
  assertMatrix('mel', mel, 'melToLinear', nMels);
  for (let i = 0; i < mel.data.length; i++) {
    if (mel.data[i]! < 0)
      throw new ShapeError(
        'mel',
        'non-negative values',
        `${mel.data[i]} in frame ${Math.floor(i / nMels)}`,
        'melToLinear',
      );
  }
  const method = options.method ?? 'nnls';
  assertOneOf('method', method, ['nnls', 'pinv'] as const);
  const iterations = method === 'pinv' ? 0 : (options.iterations ?? 100);
  assertNonNegativeInteger('iterations', iterations);

  const bins = fb.matrix.cols;
  const solver = new FrameSolver(fb, iterations);
  const out = new Float32Array(mel.rows * bins);
  const root = 1 / plan.power;
  for (let t = 0; t < mel.rows; t++) {
    const x = solver.solve(mel.data.subarray(t * nMels, (t + 1) * nMels));
    for (let k = 0; k < bins; k++) out[t * bins + k] = root === 1 ? x[k]! : x[k]! ** root;
  }
  return { data: out, rows: mel.rows, cols: bins };
}

/** Options of {@link logMelToAudio}: those the log-mel was made with, plus Griffin-Lim's and the inversion's. */
export type LogMelToAudioOptions = LogMelOptions &
  Omit<GriffinLimOptions, keyof LogMelOptions> &
  Pick<MelToLinearOptions, 'method'> & {
    /** Iterations of the NNLS mel inversion (Griffin-Lim's are `iterations`). Default 100. */
    nnlsIterations?: number;
  };

/**
 * A waveform from a natural-log mel spectrogram such as
 * {@link logMelSpectrogram} gives (or a TTS model predicts): `exp`, then
 * {@link melToLinear}, then {@link griffinLim}, all with the same options
 * (`power` defaults to 1, as in `logMelSpectrogram`).
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a malformed matrix.
 */
export function logMelToAudio(logMel: Matrix, options: LogMelToAudioOptions): Float32Array {
  assertMatrix('logMel', logMel, 'logMelToAudio');
  const floor = resolveFloor(options);
  const mel = new Float32Array(logMel.data.length);
  for (let i = 0; i < mel.length; i++) {
    const v = Math.exp(logMel.data[i]!);
    mel[i] = v <= floor ? 0 : v; // the floor stood for silence
  }
  const linear = melToLinear(
    { data: mel, rows: logMel.rows, cols: logMel.cols },
    { ...options, power: options.power ?? 1, iterations: options.nnlsIterations ?? 100 },
  );
  return griffinLim(linear, options);
}

/**
 * Non-negative least squares `min ‖Ax − y‖², x ≥ 0` for one frame at a time,
 * with the filterbank's factorisation and step size computed once. A small
 * method per frame (rather than one long loop) lets V8 optimise it early.
 */
class FrameSolver {
  private readonly nMels: number;
  private readonly cholesky: Float64Array;
  private readonly step: number;
  private readonly x: Float64Array;
  private readonly xPrev: Float64Array;
  private readonly z: Float64Array;
  private readonly grad: Float64Array;
  private readonly residual: Float64Array;
  private readonly y: Float64Array;

  constructor(
    private readonly fb: SparseFilterbank,
    private readonly iterations: number,
  ) {
    this.nMels = fb.matrix.rows;
    const gram = gramWithRidge(fb);
    this.cholesky = choleskyFactor(gram, this.nMels);
    this.step = 1 / largestEigenvalue(gram, this.nMels);
    const bins = fb.matrix.cols;
    this.x = new Float64Array(bins);
    this.xPrev = new Float64Array(bins);
    this.z = new Float64Array(bins);
    this.grad = new Float64Array(bins);
    this.residual = new Float64Array(this.nMels);
    this.y = new Float64Array(this.nMels);
  }

  /** The solution for one frame of mels (valid until the next call). */
  solve(frame: Float32Array): Float64Array {
    const { fb, x, xPrev, z, grad, residual, y, nMels, step } = this;
    const bins = x.length;
    for (let m = 0; m < nMels; m++) y[m] = frame[m]!;
    // Start from the minimum-norm solution Aᵀ(AAᵀ)⁻¹y, clipped to x ≥ 0.
    solveCholesky(this.cholesky, nMels, y, residual);
    transposeTimes(fb, residual, x);
    for (let k = 0; k < bins; k++) x[k] = Math.max(0, x[k]!);
    // FISTA: projected gradient steps on ½‖Ax − y‖² with Nesterov momentum.
    z.set(x);
    let tk = 1;
    for (let it = 0; it < this.iterations; it++) {
      times(fb, z, residual);
      for (let m = 0; m < nMels; m++) residual[m]! -= y[m]!;
      transposeTimes(fb, residual, grad);
      xPrev.set(x);
      const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      projectedStep(x, xPrev, z, grad, step, (tk - 1) / tNext);
      tk = tNext;
    }
    return x;
  }
}

/** x = max(0, z − step·grad); z = x + beta·(x − xPrev). */
function projectedStep(
  x: Float64Array,
  xPrev: Float64Array,
  z: Float64Array,
  grad: Float64Array,
  step: number,
  beta: number,
): void {
  for (let k = 0; k < x.length; k++) {
    const next = Math.max(0, z[k]! - step * grad[k]!);
    x[k] = next;
    z[k] = next + beta * (next - xPrev[k]!);
  }
}

function times(fb: SparseFilterbank, x: Float64Array, out: Float64Array): void {
  const { data, cols } = fb.matrix;
  for (let m = 0; m < fb.matrix.rows; m++) {
    let acc = 0;
    for (let k = fb.starts[m]!; k < fb.ends[m]!; k++) acc += data[m * cols + k]! * x[k]!;
    out[m] = acc;
  }
}

function transposeTimes(fb: SparseFilterbank, r: Float64Array, out: Float64Array): void {
  const { data, cols } = fb.matrix;
  out.fill(0);
  for (let m = 0; m < fb.matrix.rows; m++) {
    const rm = r[m]!;
    for (let k = fb.starts[m]!; k < fb.ends[m]!; k++) out[k]! += data[m * cols + k]! * rm;
  }
}

/** AAᵀ plus a tiny ridge, so that empty or duplicate filters keep it invertible. */
function gramWithRidge(fb: SparseFilterbank): Float64Array {
  const { data, rows, cols } = fb.matrix;
  const g = new Float64Array(rows * rows);
  let trace = 0;
  for (let a = 0; a < rows; a++) {
    for (let b = a; b < rows; b++) {
      let acc = 0;
      const lo = Math.max(fb.starts[a]!, fb.starts[b]!);
      const hi = Math.min(fb.ends[a]!, fb.ends[b]!);
      for (let k = lo; k < hi; k++) acc += data[a * cols + k]! * data[b * cols + k]!;
      g[a * rows + b] = acc;
      g[b * rows + a] = acc;
    }
    trace += g[a * rows + a]!;
  }
  const ridge = (1e-8 * trace) / rows + 1e-30;
  for (let a = 0; a < rows; a++) g[a * rows + a]! += ridge;
  return g;
}

/** Lower-triangular L with LLᵀ = g (g symmetric positive definite). */
function choleskyFactor(g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = g[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j * n + j]!;
    }
  }
  return l;
}

function solveCholesky(l: Float64Array, n: number, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * out[k]!;
    out[i] = sum / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = out[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * out[k]!;
    out[i] = sum / l[i * n + i]!;
  }
}

/** The largest eigenvalue of AAᵀ (= that of AᵀA), the gradient's Lipschitz constant, by power iteration. */
function largestEigenvalue(g: Float64Array, n: number): number {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += g[i * n + j]! * v[j]!;
      w[i] = acc;
    }
    const norm = Math.hypot(...w);
    if (norm === 0) return 1;
    lambda = norm;
    v = w.map((x) => x / norm);
  }
  return lambda * 1.01;
}
