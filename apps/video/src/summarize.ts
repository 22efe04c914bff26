import { writeOutputFile } from '@seqgen/app-kit';
import { keyframeScores, selectKeyframes } from '@seqgen/models';
import { contactSheet } from '@seqgen/video';
import { encodePng } from '@seqgen/vision';
import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_SPEC, featuresOf } from './clip-features-data.js';
import { readInputClip } from './input-clip.js';
import { checkOutFile } from './output-files.js';

/**
 * Keyframe scoring: how much the pretrained CNN's per-frame features change
 * direction, ‖f(t+1) − 2f(t) + f(t−1)‖ (`keyframeScores` order 2): steady
 * motion scores little, a bounce much. (Measured on held-out clips, this beat
 * order 1 and the motion classifier's GRU states; see the README.)
 */
export const KEYFRAME_ORDER = 2;
/** Keyframes at least this many frames apart. */
export const KEYFRAME_GAP = 2;

/** Scores every frame of clips `[B, T, 64, 64, 1]`: how much their learned features change direction there. */
export async function frameChangeScores(clips: tf.Tensor5D): Promise<Float64Array[]> {
  const [B, T] = clips.shape;
  const values = await featuresOf(clips, DEFAULT_FEATURE_SPEC);
  const per = values.length / B;
  return Array.from({ length: B }, (_, b) =>
    keyframeScores(values.slice(b * per, (b + 1) * per), T, { order: KEYFRAME_ORDER }),
  );
}

/** What `summarize` did. */
export type Summary = { input: string; out: string; keyframes: number[]; scores: number[]; frames: number };

/** Picks `count` keyframes of a clip where the learned features change most and writes them as a contact-sheet PNG. */
export async function summarizeClip(o: {
  input: string;
  out: string;
  count: number;
  force?: boolean;
}): Promise<Summary> {
  checkOutFile(o.out, o.force);
  const clip = readInputClip(o.input, { width: 64, height: 64 }, 3);
  let scores: Float64Array;
  try {
    [scores] = (await frameChangeScores(clip.tensor)) as [Float64Array];
  } finally {
    clip.tensor.dispose();
  }
  const keyframes = selectKeyframes(scores, o.count, KEYFRAME_GAP);
  writeOutputFile(o.out, encodePng(contactSheet(clip.video, keyframes)), { force: o.force });
  return { input: o.input, out: o.out, keyframes, scores: Array.from(scores), frames: clip.video.frames.length };
}
