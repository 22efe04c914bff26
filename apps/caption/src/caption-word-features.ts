import { SCENE_CELLS, SCENE_OBJECT_KINDS } from '@seqgen/vision';

/** Words that say where: the cells' words and the relations between objects. */
const POSITION_WORDS = new Set([
  ...SCENE_CELLS.flatMap((cell) => cell.split(' ')),
  ...'left right above below corner side'.split(' '),
]);

/** Words that name an object kind, singular or plural. */
const OBJECT_WORDS = new Set(SCENE_OBJECT_KINDS.flatMap((kind) => [kind.name, kind.plural]));

/** The per-word features `explain` correlates decoder units with. */
export const CAPTION_WORD_FEATURE_NAMES = ['position-word', 'object-word'] as const;

/** One of {@link CAPTION_WORD_FEATURE_NAMES}. */
export type CaptionWordFeature = (typeof CAPTION_WORD_FEATURE_NAMES)[number];

/**
 * Per emitted word (the end token last, as 0): 1 where it is a position word
 * (`top`, `left`, `above`, …) or an object word (`bag`, `sevens`, …), else 0.
 * "one" counts as an object word only where a digit is meant (not before another word).
 */
export function captionWordFeatures(words: readonly string[]): Record<CaptionWordFeature, Float32Array> {
  const steps = words.length + 1;
  const position = new Float32Array(steps);
  const object = new Float32Array(steps);
  words.forEach((word, t) => {
    if (POSITION_WORDS.has(word)) position[t] = 1;
    const next = words[t + 1];
    const countWord = word === 'one' && next !== undefined && OBJECT_WORDS.has(next);
    if (OBJECT_WORDS.has(word) && !countWord) object[t] = 1;
  });
  return { 'position-word': position, 'object-word': object };
}
