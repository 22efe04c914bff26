import { ConfigError, Rng } from '@seqgen/core';
import {
  DEFAULT_HELD_OUT,
  type HeldOutCombination,
  randomScene,
  SCENE_CELL_SIZE,
  SCENE_OBJECT_KINDS,
  SCENE_SIZE,
  type Scene,
  type SceneSplit,
} from './caption-scene.js';
import type { Image } from './image.js';
import { sceneCaptions } from './scene-captions.js';
import type { SceneSources } from './scene-sources.js';

/** A set of composed scenes: the 56×56 gray images, their scenes and reference captions. */
export type CaptionScenes = {
  /** Number of scenes. */
  count: number;
  /** Side of every (square, gray) image. */
  size: number;
  /** All pixels, image after image (56·56 bytes each). */
  pixels: Uint8Array;
  /** What each image shows. */
  scenes: Scene[];
  /** Each image's reference captions. */
  captions: string[][];
};

/** How {@link composeCaptionScenes} draws its scenes. */
export type ComposeScenesOptions = {
  /** Number of scenes. */
  count: number;
  /** Seed: the same seed and sources give the same scenes, byte for byte. */
  seed: number;
  /** `seen` (default): no held-out combination; `held-out`: each scene shows at least one. */
  split?: SceneSplit;
  /** The (kind, cell) combinations held out (default {@link DEFAULT_HELD_OUT}). */
  heldOut?: readonly HeldOutCombination[];
};

/**
 * Composes `count` seeded scenes from real Fashion-MNIST and MNIST images:
 * each object is a random image of its kind pasted into its 28×28 cell of a
 * black 56×56 canvas, and each scene gets three reference captions.
 */
export function composeCaptionScenes(sources: SceneSources, options: ComposeScenesOptions): CaptionScenes {
  const { count, seed } = options;
  if (!Number.isInteger(count) || count < 1) throw new ConfigError('count', `must be a positive integer, got ${count}`);
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', `must be a non-negative integer, got ${seed}`);
  const rng = new Rng(seed);
  const area = SCENE_SIZE * SCENE_SIZE;
  const pixels = new Uint8Array(count * area);
  const scenes: Scene[] = [];
  const captions: string[][] = [];
  for (let i = 0; i < count; i++) {
    const scene = randomScene(rng, options.split ?? 'seen', options.heldOut ?? DEFAULT_HELD_OUT);
    drawScene(scene, sources, rng, pixels.subarray(i * area, (i + 1) * area));
    scenes.push(scene);
    captions.push(sceneCaptions(scene));
  }
  return { count, size: SCENE_SIZE, pixels, scenes, captions };
}

/** Scene `index` of a set as an {@link Image} viewing its pixels. */
export function sceneImage(set: CaptionScenes, index: number): Image {
  const area = set.size * set.size;
  return {
    width: set.size,
    height: set.size,
    channels: 1,
    data: set.pixels.subarray(index * area, (index + 1) * area),
  };
}

/** Pastes a random image of each object's kind into its cell of `out` (56·56 bytes, zeroed). */
function drawScene(scene: Scene, sources: SceneSources, rng: Rng, out: Uint8Array): void {
  const cellArea = SCENE_CELL_SIZE * SCENE_CELL_SIZE;
  for (const o of scene.objects) {
    const kind = SCENE_OBJECT_KINDS[o.kind];
    const indices = sources.byKind[o.kind];
    if (!kind || !indices) throw new ConfigError('sources', `hold no images of kind ${o.kind}`);
    const set = kind.source === 'fashion' ? sources.fashion : sources.digits;
    const index = indices[rng.int(indices.length)] as number;
    const image = set.pixels.subarray(index * cellArea, (index + 1) * cellArea);
    const top = Math.floor(o.cell / 2) * SCENE_CELL_SIZE;
    const left = (o.cell % 2) * SCENE_CELL_SIZE;
    for (let y = 0; y < SCENE_CELL_SIZE; y++) {
      out.set(image.subarray(y * SCENE_CELL_SIZE, (y + 1) * SCENE_CELL_SIZE), (top + y) * SCENE_SIZE + left);
    }
  }
}
