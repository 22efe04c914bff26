import type { ClipFeatureBatch } from '@seqgen/models';
import { clipFeatures, MovingMnist, type MovingMnistInfo } from '@seqgen/video';
import { type ConvEncoder, loadPretrainedEncoder } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { motionClass } from './motion-classes.js';
import { digitsOf } from './moving-mnist-data.js';

/** How clip features are made: what a classifier checkpoint records so that `classify` makes the same ones. */
export type FeatureSpec = {
  /** The image encoder: `@seqgen/vision`'s shipped Fashion-MNIST CNN, frozen. */
  encoder: 'vision-pretrained-fashion-mnist-cnn';
  /** Side of the where-map grid (`clipFeatures`' `grid`). */
  grid: number;
  /** Frames per clip the classifier was trained on. */
  frames: number;
  /** Frames are resized to `frameSide × frameSide` before encoding (32: a quarter of the work of 64×64, digits still 14 px). */
  frameSide: number;
};

/** The default feature spec: 8×8 where-map, 10-frame clips, frames encoded at 32×32. */
export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  encoder: 'vision-pretrained-fashion-mnist-cnn',
  grid: 8,
  frames: 10,
  frameSide: 32,
};

/** Features per frame of a spec: the encoder's 128 channels and the grid. */
export function featureSize(spec: FeatureSpec): number {
  return 128 + spec.grid * spec.grid;
}

let encoder: ConvEncoder | undefined;

/** The shipped pretrained encoder, loaded once per process. */
export async function frameEncoder(): Promise<ConvEncoder> {
  encoder ??= await loadPretrainedEncoder();
  return encoder;
}

/** Per-frame features of clips `[B, T, 64, 64, 1]` as host floats `[B, T, F]`. */
export async function featuresOf(clips: tf.Tensor5D, spec: FeatureSpec): Promise<Float32Array> {
  const side = spec.frameSide ?? clips.shape[2];
  const features = clipFeatures(await frameEncoder(), clips, { grid: spec.grid, resize: [side, side] });
  try {
    return (await features.data()) as Float32Array;
  } finally {
    features.dispose();
  }
}

/** Labelled clips with their features and what the generator recorded in each. */
export type LabelledClips = { batches: ClipFeatureBatch[]; info: MovingMnistInfo[] };

/**
 * `count` one-digit Moving MNIST clips (digits of `split`, stream `seed`)
 * labelled with their motion class, encoded frame by frame, in batches.
 */
export async function labelledClips(
  split: 'train' | 'test',
  seed: number,
  count: number,
  spec: FeatureSpec,
  batchSize = 32,
): Promise<LabelledClips> {
  const generator = new MovingMnist(digitsOf(split), {
    seed,
    frames: spec.frames,
    digitsPerSequence: 1,
    batchSize: Math.min(batchSize, count),
  });
  const batches: ClipFeatureBatch[] = [];
  const info: MovingMnistInfo[] = [];
  for (let left = count; left > 0; left -= batchSize) {
    const raw = generator.next();
    const n = Math.min(left, raw.shape[0]);
    const [, T, H, W, C] = raw.shape;
    const clips = tf.tensor5d(raw.data.subarray(0, n * T * H * W * C), [n, T, H, W, C]);
    try {
      batches.push({
        shape: [n, T, featureSize(spec)],
        features: await featuresOf(clips, spec),
        labels: raw.info.slice(0, n).map(motionClass),
      });
    } finally {
      clips.dispose();
    }
    info.push(...raw.info.slice(0, n));
  }
  return { batches, info };
}
