import { ConfigError, Rng } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HELD_OUT, randomScene, SCENE_OBJECT_KINDS, showsHeldOut } from './caption-scene.js';
import { composeCaptionScenes, sceneImage } from './caption-scenes.js';
import { loadFashionMnist } from './mnist-datasets.js';
import { loadMnistDigits } from './mnist-digits.js';
import { sceneCaptions, sceneCaptionWords } from './scene-captions.js';
import { sceneSourcesOf } from './scene-sources.js';
import { hasFashionMnist } from './test-fixtures/fashion-mnist.js';

describe('scene captions', () => {
  it('say what is where and how many', () => {
    // Kinds: 2 sneaker, 3 bag, 9 seven; cells: 0 top left, 1 top right, 2 bottom left, 3 bottom right.
    expect(sceneCaptions({ layout: 'single', objects: [{ kind: 3, cell: 2 }] })).toEqual([
      'a bag in the bottom left',
      'a bag at the bottom left',
      'one bag in the bottom left corner',
    ]);
    expect(
      sceneCaptions({
        layout: 'row',
        objects: [
          { kind: 3, cell: 0 },
          { kind: 9, cell: 1 },
        ],
      })[0],
    ).toBe('a bag to the left of a seven');
    expect(
      sceneCaptions({
        layout: 'trio-row',
        objects: [
          { kind: 2, cell: 0 },
          { kind: 2, cell: 1 },
          { kind: 6, cell: 3 },
        ],
      }).slice(0, 2),
    ).toEqual(['two sneakers above a one', 'a one below two sneakers']);
    expect(
      sceneCaptions({
        layout: 'trio-column',
        objects: [
          { kind: 3, cell: 1 },
          { kind: 3, cell: 3 },
          { kind: 9, cell: 0 },
        ],
      })[0],
    ).toBe('two bags to the right of a seven');
    const words = new Set(sceneCaptionWords());
    const rng = new Rng(5);
    for (let i = 0; i < 100; i++) {
      for (const c of sceneCaptions(randomScene(rng))) for (const w of c.split(' ')) expect(words.has(w)).toBe(true);
    }
  });

  it('keep the held-out combinations out of seen scenes and in every held-out one', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      expect(showsHeldOut(randomScene(rng, 'seen'))).toBe(false);
      expect(showsHeldOut(randomScene(rng, 'held-out'))).toBe(true);
    }
    expect(() => randomScene(rng, 'held-out', [])).toThrow(ConfigError);
    expect(() => randomScene(rng, 'other' as never)).toThrow(/split/);
    expect(DEFAULT_HELD_OUT.every((h) => h.kind < SCENE_OBJECT_KINDS.length && h.cell < 4)).toBe(true);
  });
});

describe.runIf(hasFashionMnist())('composed scenes of real Fashion-MNIST and MNIST images', () => {
  it('are seeded, paste each object into its cell, and come with their captions', async () => {
    const digits = loadMnistDigits({ digits: [0, 1, 3, 4, 7], perClass: 20 });
    const sources = sceneSourcesOf(await loadFashionMnist('test', { limit: 1000 }), digits, 'test');
    const a = composeCaptionScenes(sources, { count: 20, seed: 3 });
    const b = composeCaptionScenes(sources, { count: 20, seed: 3 });
    expect(a.pixels).toEqual(b.pixels);
    expect(a.captions).toEqual(b.captions);
    expect(composeCaptionScenes(sources, { count: 20, seed: 4 }).pixels).not.toEqual(a.pixels);
    for (let i = 0; i < a.count; i++) {
      const image = sceneImage(a, i);
      const scene = a.scenes[i];
      expect(a.captions[i]).toEqual(sceneCaptions(scene as never));
      // Ink where the objects are, black elsewhere.
      for (let cell = 0; cell < 4; cell++) {
        let ink = 0;
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) {
            ink += image.data[(Math.floor(cell / 2) * 28 + y) * 56 + (cell % 2) * 28 + x] as number;
          }
        }
        const occupied = scene?.objects.some((o) => o.cell === cell);
        expect(ink > 0).toBe(occupied);
      }
    }
    expect(() => composeCaptionScenes(sources, { count: 0, seed: 1 })).toThrow(ConfigError);
  });
});
