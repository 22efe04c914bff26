import {
  type ConvLstmForecaster,
  copyLastFrame,
  type ForecastBatch,
  type FrameMetrics,
  frameMetrics,
  linearExtrapolation,
} from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';

/** OpenSTL's frame-prediction figures under their `eval --json` names. */
export type ForecastMetrics = {
  /** Squared error summed over a frame's pixels, averaged over frames and sequences (OpenSTL's MSE). */
  mse_per_frame: number;
  /** Absolute error summed over a frame's pixels, averaged (OpenSTL's MAE). */
  mae_per_frame: number;
  /** Mean SSIM (11×11 Gaussian window). */
  ssim: number;
  /** Mean PSNR in dB. */
  psnr: number;
};

/** The model's figures and the two baselines' on the same sequences. */
export type ForecastFigures = {
  examples: number;
  model: ForecastMetrics;
  baselines: { copy_last_frame: ForecastMetrics; linear_extrapolation: ForecastMetrics; blank_frame: ForecastMetrics };
};

/** Context frames the forecaster reads and frames it predicts (the standard 10 → 10). */
export const CONTEXT_FRAMES = 10;

/**
 * Rolls the forecaster out over held-out sequences (the first 10 frames read,
 * the rest predicted) and scores it and the copy-last-frame, linear
 * extrapolation and blank-frame baselines against the true frames.
 */
export async function forecastFigures(
  model: ConvLstmForecaster,
  batches: readonly ForecastBatch[],
): Promise<ForecastFigures> {
  const sums = { model: zero(), copy_last_frame: zero(), linear_extrapolation: zero(), blank_frame: zero() };
  let examples = 0;
  for (const batch of batches) {
    const [B, T, H, W, C] = batch.shape;
    const horizon = T - CONTEXT_FRAMES;
    const frames = tf.tensor5d(batch.data, [B, T, H, W, C]);
    const context = tf.slice(frames, [0, 0], [B, CONTEXT_FRAMES]) as tf.Tensor5D;
    const truth = tf.slice(frames, [0, CONTEXT_FRAMES], [B, horizon]) as tf.Tensor5D;
    const predictions = {
      model: model.predict(context, horizon),
      copy_last_frame: copyLastFrame(context, horizon),
      linear_extrapolation: linearExtrapolation(context, horizon),
      // Black frames: what a model that has learned only that digits leave scores.
      blank_frame: tf.zerosLike(truth) as tf.Tensor5D,
    };
    try {
      for (const [name, predicted] of Object.entries(predictions)) {
        add(sums[name as keyof typeof sums], await frameMetrics(predicted, truth), B);
      }
    } finally {
      tf.dispose([frames, context, truth, ...Object.values(predictions)]);
    }
    examples += B;
  }
  return {
    examples,
    model: mean(sums.model, examples),
    baselines: {
      copy_last_frame: mean(sums.copy_last_frame, examples),
      linear_extrapolation: mean(sums.linear_extrapolation, examples),
      blank_frame: mean(sums.blank_frame, examples),
    },
  };
}

function zero(): ForecastMetrics {
  return { mse_per_frame: 0, mae_per_frame: 0, ssim: 0, psnr: 0 };
}

function add(sum: ForecastMetrics, m: FrameMetrics, weight: number): void {
  sum.mse_per_frame += m.msePerFrame * weight;
  sum.mae_per_frame += m.maePerFrame * weight;
  sum.ssim += (m.ssim ?? 0) * weight;
  sum.psnr += m.psnr * weight;
}

function mean(sum: ForecastMetrics, n: number): ForecastMetrics {
  return {
    mse_per_frame: sum.mse_per_frame / n,
    mae_per_frame: sum.mae_per_frame / n,
    ssim: sum.ssim / n,
    psnr: sum.psnr / n,
  };
}
