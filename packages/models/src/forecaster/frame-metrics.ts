import { assertInRange, describeValue, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { SSIM_WINDOW, ssimIndex } from './ssim.js';

/** Options of {@link frameMetrics}. */
export type FrameMetricsOptions = {
  /** L, the value range of the pixels, for PSNR and SSIM (default 1, frames in [0, 1]). */
  dataRange?: number;
};

/**
 * Frame-prediction metrics as OpenSTL reports them, each averaged over every
 * frame of every sequence.
 */
export type FrameMetrics = {
  /** OpenSTL's MSE: squared error summed over the pixels (and channels) of a frame, averaged over frames and sequences. */
  msePerFrame: number;
  /** OpenSTL's MAE: absolute error summed over a frame's pixels, averaged over frames and sequences. */
  maePerFrame: number;
  /** Mean squared error per pixel value (`msePerFrame / (H·W·C)`): the training loss's scale. */
  mse: number;
  /** Mean absolute error per pixel value. */
  mae: number;
  /** Peak signal-to-noise ratio of each frame, 10·log₁₀(L² / MSE), in dB, averaged (Infinity when some frame is exact). */
  psnr: number;
  /** Mean SSIM of the frames ({@link ssimIndex}: 11×11 Gaussian window), or null when frames are smaller than 11×11. */
  ssim: number | null;
  /** Frames compared (`B · T`). */
  frames: number;
};

/**
 * Compares predicted frames with the true ones, both float32 `[B, T, H, W, C]`
 * of one shape: OpenSTL's per-frame MSE and MAE, per-pixel MSE and MAE, PSNR
 * and SSIM, computed on the host in float64.
 */
export async function frameMetrics(
  predicted: tf.Tensor,
  target: tf.Tensor,
  options: FrameMetricsOptions = {},
): Promise<FrameMetrics> {
  const context = 'frameMetrics';
  const L = options.dataRange ?? 1;
  assertInRange('dataRange', L, 0, Number.POSITIVE_INFINITY, { openMin: true, openMax: true });
  for (const [name, t] of [
    ['predicted', predicted],
    ['target', target],
  ] as const) {
    if (!(t instanceof tf.Tensor) || t.rank !== 5 || t.dtype !== 'float32' || t.size === 0) {
      const actual = t instanceof tf.Tensor ? `${t.dtype} [${t.shape.join(', ')}]` : describeValue(t);
      throw new ShapeError(name, 'a non-empty float32 tf.Tensor [B, T, H, W, C]', actual, context);
    }
  }
  if (!tf.util.arraysEqual(predicted.shape, target.shape)) {
    throw new ShapeError(
      'target',
      `the shape of predicted [${predicted.shape.join(', ')}]`,
      `[${target.shape.join(', ')}]`,
      context,
    );
  }
  const [B, T, H, W, C] = predicted.shape as [number, number, number, number, number];
  const [p, y] = await Promise.all([predicted.data(), target.data()]);
  const per = H * W * C;
  const frames = B * T;
  let se = 0;
  let ae = 0;
  let psnr = 0;
  let ssim = 0;
  const withSsim = H >= SSIM_WINDOW && W >= SSIM_WINDOW;
  for (let f = 0; f < frames; f++) {
    let frameSe = 0;
    for (let i = f * per; i < (f + 1) * per; i++) {
      const d = (p[i] as number) - (y[i] as number);
      frameSe += d * d;
      ae += Math.abs(d);
    }
    se += frameSe;
    psnr += 10 * Math.log10((L * L) / (frameSe / per));
    if (withSsim) {
      ssim += ssimIndex(p.subarray(f * per, (f + 1) * per), y.subarray(f * per, (f + 1) * per), {
        height: H,
        width: W,
        channels: C,
        dataRange: L,
      });
    }
  }
  return {
    msePerFrame: se / frames,
    maePerFrame: ae / frames,
    mse: se / (frames * per),
    mae: ae / (frames * per),
    psnr: psnr / frames,
    ssim: withSsim ? ssim / frames : null,
    frames,
  };
}
