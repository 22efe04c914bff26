import { ConfigError } from '@seqgen/core';
import { SCENE_CELLS, SCENE_OBJECT_KINDS, type Scene, type SceneObject } from './caption-scene.js';

/**
 * The reference captions of a scene: three phrasings each of which says what
 * is where and how many ("two sneakers above a bag", "a bag below two
 * sneakers", …), lower case, words separated by single spaces.
 */
export function sceneCaptions(scene: Scene): string[] {
  const [first, second, third] = scene.objects.map(kindOf);
  const one = (k: Kind) => `a ${k.name}`;
  const two = (k: Kind) => `two ${k.plural}`;
  switch (scene.layout) {
    case 'single': {
      const where = SCENE_CELLS[(scene.objects[0] as SceneObject).cell];
      const a = first as Kind;
      return [`${one(a)} in the ${where}`, `${one(a)} at the ${where}`, `one ${a.name} in the ${where} corner`];
    }
    case 'row':
    case 'column': {
      const [a, b] = [first as Kind, second as Kind];
      const [before, after] = scene.layout === 'row' ? ['to the left of', 'to the right of'] : ['above', 'below'];
      if (a === b) {
        const together = scene.layout === 'row' ? 'side by side' : 'one above the other';
        return [`${two(a)} ${together}`, `${one(a)} ${before} another ${a.name}`, `two ${a.plural} in a pair`];
      }
      const both = scene.layout === 'row' ? 'side by side' : 'one above the other';
      return [`${one(a)} ${before} ${one(b)}`, `${one(b)} ${after} ${one(a)}`, `${one(a)} and ${one(b)} ${both}`];
    }
    case 'trio-row':
    case 'trio-column': {
      const [pair, single] = [first as Kind, third as Kind];
      const pairCell = (scene.objects[0] as SceneObject).cell;
      const singleCell = (scene.objects[2] as SceneObject).cell;
      let towards: string;
      let away: string;
      if (scene.layout === 'trio-row') {
        [towards, away] = pairCell < singleCell ? ['above', 'below'] : ['below', 'above'];
      } else {
        [towards, away] =
          pairCell % 2 < singleCell % 2 ? ['to the left of', 'to the right of'] : ['to the right of', 'to the left of'];
      }
      return [
        `${two(pair)} ${towards} ${one(single)}`,
        `${one(single)} ${away} two ${pair.plural}`,
        `${one(single)} and two ${pair.plural}`,
      ];
    }
    default:
      throw new ConfigError('scene.layout', `is not a scene layout: ${JSON.stringify((scene as Scene).layout)}`);
  }
}

type Kind = (typeof SCENE_OBJECT_KINDS)[number];

function kindOf(o: SceneObject): Kind {
  const kind = SCENE_OBJECT_KINDS[o.kind];
  if (!kind) throw new ConfigError('scene.objects', `kind ${o.kind} is not in [0, ${SCENE_OBJECT_KINDS.length})`);
  return kind;
}

/** Every word a scene caption can hold, sorted (a word tokenizer's vocabulary). */
export function sceneCaptionWords(): string[] {
  const words = new Set<string>(
    'a at in the corner one two to left right of above below another and side by other pair'.split(' '),
  );
  for (const cell of SCENE_CELLS) for (const w of cell.split(' ')) words.add(w);
  for (const k of SCENE_OBJECT_KINDS) {
    words.add(k.name);
    words.add(k.plural);
  }
  return [...words].sort();
}
