import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { writeOutputFile } from '@seqgen/app-kit';
import { captionImages } from '@seqgen/models';
import { encodePng, type Image, resizeImage } from '@seqgen/vision';
import { attentionOverlay } from './attention-overlay.js';
import { captionText } from './caption-scenes.js';
import type { LoadedCaptionerRun } from './captioner-checkpoint.js';

/** One captioned image: its caption, score and the overlay files written. */
export type CaptionedFile = { image: string; caption: string; score: number; overlays: string[] };

/**
 * Captions images already read (gray, 56×56) with beam search and, when
 * `overlayDir` is given and the model has attention, writes one PNG per
 * word showing where it looked (`<image>-<i>-<word>.png`).
 */
export async function captionFiles(
  run: LoadedCaptionerRun,
  files: readonly { name: string; input: Image }[],
  options: { beams: number; overlayDir?: string; force?: boolean },
): Promise<CaptionedFile[]> {
  const { model, tokenizer } = run;
  const [H, W, C] = model.imageShape;
  const inputs = files.map((f) => (f.input.width === W && f.input.height === H ? f.input : resizeImage(f.input, W, H)));
  const pixels = new Uint8Array(files.length * H * W * C);
  inputs.forEach((input, i) => {
    pixels.set(input.data, i * H * W * C);
  });
  const withAttention = options.overlayDir !== undefined && model.config.attention !== 'none';
  const images = model.imagesTensor(pixels, files.length);
  let results: Awaited<ReturnType<typeof captionImages>>;
  try {
    results = await captionImages(model, images, { numBeams: options.beams, returnAttention: withAttention });
  } finally {
    images.dispose();
  }
  const [gridH, gridW] = model.encoder.outputShape;
  if (withAttention && options.overlayDir) mkdirSync(options.overlayDir, { recursive: true });
  return files.map((file, i) => {
    const best = results[i]?.[0];
    const overlays: string[] = [];
    if (withAttention && options.overlayDir && best?.attention) {
      const stem = basename(file.name, extname(file.name));
      best.tokens.forEach((token, t) => {
        const word = (tokenizer.idToToken(token) ?? String(token)).replace(/[^\w-]/g, '_');
        const path = join(options.overlayDir as string, `${stem}-${String(t + 1).padStart(2, '0')}-${word}.png`);
        const overlay = attentionOverlay(inputs[i] as Image, best.attention?.[t] as Float32Array, gridH, gridW);
        writeOutputFile(path, encodePng(overlay), { force: options.force });
        overlays.push(path);
      });
    }
    return { image: file.name, caption: captionText(tokenizer, best), score: best?.score ?? 0, overlays };
  });
}
