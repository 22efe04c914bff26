import { ConfigError } from '@seqgen/core';
import { type FrameMetrics, frameMetrics } from '@seqgen/models';
import { contactSheet, tensorToVideos, type Video, writeGif } from '@seqgen/video';
import * as tf from '@tensorflow/tfjs';
import { loadForecaster } from './checkpoints.js';
import { readInputClip } from './input-clip.js';
import { checkOutFile } from './output-files.js';

/** `predict`'s settings. */
export type PredictOptions = {
  input: string;
  /** Frames to predict. */
  frames: number;
  /** Frames read as context; the input's later frames, if any, are the truth shown beside the prediction. */
  context: number;
  out: string;
  checkpoint?: string;
  force?: boolean;
};

/** What `predict` did. */
export type PredictResult = {
  out: string;
  contextFrames: number;
  predictedFrames: number;
  /** Frames of ground truth compared (0 when the input held no more than the context). */
  truthFrames: number;
  /** Metrics of the prediction against the truth, over the frames both have. */
  metrics: FrameMetrics | null;
  resizedFrom?: [number, number];
};

/**
 * Reads the first `context` frames of a GIF or frame folder, rolls the
 * forecaster out for `frames` more, and writes a GIF: the context, then the
 * prediction, with the ground truth on the left when the input goes on.
 */
export async function predictClip(o: PredictOptions): Promise<PredictResult> {
  checkOutFile(o.out, o.force);
  const model = await loadForecaster(o.checkpoint);
  try {
    const { height, width } = model.config;
    if (o.context < 1) throw new ConfigError('--context', `must be at least 1, got ${o.context}`);
    const clip = readInputClip(o.input, { width, height }, o.context);
    try {
      const T = clip.tensor.shape[1];
      const truthFrames = Math.min(T - o.context, o.frames);
      const context = tf.slice(clip.tensor, [0, 0], [1, o.context]) as tf.Tensor5D;
      const predicted = model.predict(context, o.frames);
      let metrics: FrameMetrics | null = null;
      try {
        if (truthFrames > 0) {
          const truth = tf.slice(clip.tensor, [0, o.context], [1, truthFrames]);
          const compared = tf.slice(predicted, [0, 0], [1, truthFrames]);
          metrics = await frameMetrics(compared, truth);
          tf.dispose([truth, compared]);
        }
        const [predictedVideo] = tensorToVideos(predicted, { scale: 255 }) as [Video];
        const frames = [...clip.video.frames.slice(0, o.context), ...predictedVideo.frames];
        const shown = truthFrames > 0 ? sideBySide(clip.video, frames, o.context) : { ...clip.video, frames };
        writeGif(o.out, shown, { delayMs: 150 });
      } finally {
        tf.dispose([context, predicted]);
      }
      return {
        out: o.out,
        contextFrames: o.context,
        predictedFrames: o.frames,
        truthFrames,
        metrics,
        ...(clip.resizedFrom ? { resizedFrom: clip.resizedFrom } : {}),
      };
    } finally {
      clip.tensor.dispose();
    }
  } finally {
    model.dispose();
  }
}

/** Each frame as [truth | shown]: the input's own frame on the left (blank past its end), context or prediction on the right. */
function sideBySide(input: Video, shown: Uint8Array[], context: number): Video {
  const blank = new Uint8Array(input.width * input.height);
  const frames = shown.map((frame, t) => {
    const left = t < context ? (input.frames[t] as Uint8Array) : (input.frames[t] ?? blank);
    return contactSheet({ ...input, frames: [left, frame] }, [0, 1], { gap: 2, background: 128 }).data;
  });
  const first = contactSheet({ ...input, frames: [blank, blank] }, [0, 1], { gap: 2 });
  return { width: first.width, height: first.height, channels: 1, frames };
}
