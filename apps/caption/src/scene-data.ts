import type { CaptionedImages } from '@seqgen/models';
import { WordTokenizer } from '@seqgen/tokenizers';
import {
  type CaptionScenes,
  composeCaptionScenes,
  type LabeledImages,
  loadFashionMnist,
  loadMnistDigits,
  resizeImage,
  SCENE_OBJECT_KINDS,
  type SceneSources,
  sceneCaptionWords,
  sceneImage,
  sceneSourcesOf,
} from '@seqgen/vision';

/** The splits `eval` scores: new images of seen combinations, or scenes showing held-out (kind, cell) combinations. */
export const EVAL_SPLITS = ['test', 'held-out'] as const;
/** An evaluation split. */
export type EvalSplit = (typeof EVAL_SPLITS)[number];

/** What decides a run's scenes: the seed and how many scenes each split has. */
export type SceneDataSpec = {
  /** Seed of the composition (each split derives its own from it). */
  seed: number;
  /** Training scenes (from training images). */
  train: number;
  /** Validation scenes (from test images, seen combinations). */
  valid: number;
};

/**
 * Side of the images the captioner reads: scenes are composed at 56×56 and
 * shrunk (antialiased) to 28×28, so the CNN runs on a quarter of the pixels
 * (its 7×7 feature map is the attention memory) — what a 2-core machine can
 * train in minutes.
 */
export const MODEL_INPUT_SIZE = 28;

/** Scenes of each evaluation split (fixed, so every checkpoint is scored on the same images). */
export const EVAL_SCENES = 500;

/** The caption vocabulary: every word the scene grammar uses, after the four special tokens. */
export function captionTokenizer(): WordTokenizer {
  return new WordTokenizer(sceneCaptionWords());
}

const sourcesCache = new Map<string, Promise<SceneSources>>();
let digitsOnce: LabeledImages | undefined;

/** Training or test images of the scene kinds (each file read once per process; both splits share the digits). */
export function sceneSources(split: 'train' | 'test'): Promise<SceneSources> {
  let sources = sourcesCache.get(split);
  if (!sources) {
    digitsOnce ??= loadMnistDigits({
      digits: [...new Set(SCENE_OBJECT_KINDS.filter((k) => k.source === 'digits').map((k) => k.label))],
    });
    const digits = digitsOnce;
    sources = loadFashionMnist(split).then((fashion) => sceneSourcesOf(fashion, digits, split));
    sourcesCache.set(split, sources);
  }
  return sources;
}

/** The training and validation scenes of a run. */
export async function trainingScenes(spec: SceneDataSpec): Promise<{ train: CaptionScenes; valid: CaptionScenes }> {
  const train = composeCaptionScenes(await sceneSources('train'), { count: spec.train, seed: spec.seed });
  const valid = composeCaptionScenes(await sceneSources('test'), { count: spec.valid, seed: spec.seed + 1 });
  return { train, valid };
}

/**
 * An evaluation split: `test` (new images, combinations seen in training)
 * or `held-out` (every scene shows a (kind, cell) combination no training
 * scene showed); fixed seeds, independent of any run.
 */
export async function evalScenes(split: EvalSplit, count = EVAL_SCENES): Promise<CaptionScenes> {
  const sources = await sceneSources('test');
  return split === 'test'
    ? composeCaptionScenes(sources, { count, seed: 1_000_003 })
    : composeCaptionScenes(sources, { count, seed: 2_000_003, split: 'held-out' });
}

/** Scenes with their captions as token ids, as the captioner's batches take them. */
export function toCaptionedImages(scenes: CaptionScenes, tokenizer: WordTokenizer): CaptionedImages {
  return {
    count: scenes.count,
    imageSize: MODEL_INPUT_SIZE * MODEL_INPUT_SIZE,
    pixels: scenePixels(scenes, MODEL_INPUT_SIZE),
    captions: scenes.captions.map((refs) => refs.map((c) => tokenizer.encode(c))),
  };
}

/** Every scene's pixels shrunk to `size`×`size` (antialiased), image after image. */
export function scenePixels(scenes: CaptionScenes, size: number): Uint8Array {
  if (size === scenes.size) return scenes.pixels;
  const out = new Uint8Array(scenes.count * size * size);
  for (let i = 0; i < scenes.count; i++) out.set(resizeImage(sceneImage(scenes, i), size, size).data, i * size * size);
  return out;
}
