import { assertInRange, assertPositiveInteger, ShapeError } from '@seqgen/core';

/** Options of {@link ssimIndex}. */
export type SsimOptions = {
  /** Height of the image in pixels. */
  height: number;
  /** Width of the image in pixels. */
  width: number;
  /** Channels per pixel (default 1); the index is the mean over channels. */
  channels?: number;
  /** L, the value range of the pixels (default 1 for [0, 1]; 255 for 8-bit). */
  dataRange?: number;
};

/** Side of the Gaussian window (Wang et al. 2004). */
export const SSIM_WINDOW = 11;
/** Standard deviation of the Gaussian window, in pixels. */
const SIGMA = 1.5;
const K1 = 0.01;
const K2 = 0.03;

/** The normalized 1-D Gaussian whose outer product is the 11×11, σ = 1.5 window. */
const WEIGHTS: Float64Array = (() => {
  const half = (SSIM_WINDOW - 1) / 2;
  const w = Float64Array.from({ length: SSIM_WINDOW }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * SIGMA * SIGMA)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
})();

/**
 * The structural similarity index of Wang, Bovik, Sheikh and Simoncelli
 * (2004): local means, variances and covariance under an 11×11 Gaussian
 * window (σ = 1.5, normalized), C₁ = (0.01·L)², C₂ = (0.03·L)², the SSIM map
 * averaged over every position where the window fits inside the image (their
 * MATLAB `ssim`'s 'valid' filtering, without its downsampling of large
 * images), and over channels. Images are row-major `[height, width,
 * channels]`, compared in float64; 1 means identical. Both sides must be at
 * least 11 pixels.
 */
export function ssimIndex(a: ArrayLike<number>, b: ArrayLike<number>, options: SsimOptions): number {
  const { height: H, width: W } = options;
  const C = options.channels ?? 1;
  const L = options.dataRange ?? 1;
  assertPositiveInteger('height', H);
  assertPositiveInteger('width', W);
  assertPositiveInteger('channels', C);
  assertInRange('dataRange', L, 0, Number.POSITIVE_INFINITY, { openMin: true, openMax: true });
  if (H < SSIM_WINDOW || W < SSIM_WINDOW) {
    throw new ShapeError(
      'image',
      `at least ${SSIM_WINDOW}×${SSIM_WINDOW} pixels (the SSIM window)`,
      `${H}×${W}`,
      'ssimIndex',
    );
  }
  for (const [name, image] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (image?.length !== H * W * C) {
      throw new ShapeError(name, `${H * W * C} values (${H}×${W}×${C})`, `${image?.length}`, 'ssimIndex');
    }
  }
  const c1 = (K1 * L) ** 2;
  const c2 = (K2 * L) ** 2;
  const plane = (
    image: ArrayLike<number>,
    channel: number,
    f: (x: number, y: number) => number,
    other?: ArrayLike<number>,
  ) => {
    const out = new Float64Array(H * W);
    for (let i = 0; i < H * W; i++) {
      const x = image[i * C + channel] as number;
      out[i] = f(x, other ? (other[i * C + channel] as number) : 0);
    }
    return out;
  };
  let total = 0;
  for (let ch = 0; ch < C; ch++) {
    const mx = blur(
      plane(a, ch, (x) => x),
      H,
      W,
    );
    const my = blur(
      plane(b, ch, (y) => y),
      H,
      W,
    );
    const xx = blur(
      plane(a, ch, (x) => x * x),
      H,
      W,
    );
    const yy = blur(
      plane(b, ch, (y) => y * y),
      H,
      W,
    );
    const xy = blur(
      plane(a, ch, (x, y) => x * y, b),
      H,
      W,
    );
    let sum = 0;
    for (let i = 0; i < mx.length; i++) {
      const ux = mx[i] as number;
      const uy = my[i] as number;
      const vx = (xx[i] as number) - ux * ux;
      const vy = (yy[i] as number) - uy * uy;
      const cov = (xy[i] as number) - ux * uy;
      sum += ((2 * ux * uy + c1) * (2 * cov + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
    total += sum / mx.length;
  }
  return total / C;
}

/** Separable Gaussian filtering with 'valid' borders: `[H, W]` → `[H − 10, W − 10]`. */
function blur(image: Float64Array, H: number, W: number): Float64Array {
  const K = SSIM_WINDOW;
  const w = W - K + 1;
  const h = H - K + 1;
  const rows = new Float64Array(H * w);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (WEIGHTS[k] as number) * (image[y * W + x + k] as number);
      rows[y * w + x] = s;
    }
  }
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (WEIGHTS[k] as number) * (rows[(y + k) * w + x] as number);
      out[y * w + x] = s;
    }
  }
  return out;
}
