import { type Caption, type Captioner, type CaptionScores, captionImages, captionScores } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import type { CaptionScenes } from '@seqgen/vision';
import { scenePixels } from './scene-data.js';

/** Images captioned per batch (one encoder pass and one batched beam search each). */
const CHUNK = 100;

/** Decoding settings of the app's commands. */
export type DecodeSettings = { beams: number; attention?: boolean };

/** Caption text of token ids (special tokens dropped). */
export function captionText(tokenizer: SeqgenTokenizer, caption: Caption | undefined): string {
  return tokenizer.decode(caption?.tokens ?? [], { skipSpecialTokens: true }).trim();
}

/**
 * Captions every scene of a set (in chunks, beam search or greedy) and
 * scores the captions against the scenes' references.
 */
export async function captionScenes(
  model: Captioner,
  tokenizer: SeqgenTokenizer,
  scenes: CaptionScenes,
  settings: DecodeSettings,
): Promise<{ captions: string[]; best: Caption[]; scores: CaptionScores }> {
  const [size] = model.imageShape;
  const pixels = scenePixels(scenes, size);
  const area = size * size;
  const best: Caption[] = [];
  for (let start = 0; start < scenes.count; start += CHUNK) {
    const count = Math.min(CHUNK, scenes.count - start);
    const images = model.imagesTensor(pixels.subarray(start * area, (start + count) * area), count);
    try {
      const out = await captionImages(model, images, {
        numBeams: settings.beams,
        returnAttention: settings.attention ?? false,
      });
      for (const c of out) best.push(c[0] as Caption);
    } finally {
      images.dispose();
    }
  }
  const captions = best.map((c) => captionText(tokenizer, c));
  return { captions, best, scores: captionScores(captions, scenes.captions) };
}
