import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, writeOutputFile } from '@seqgen/app-kit';
import { heatmapPng, rankUnits, unitName } from '@seqgen/interpret';
import { resizeImage } from '@seqgen/vision';
import { captionFiles } from './caption-files.js';
import { traceCaption } from './caption-trace.js';
import { CAPTION_WORD_FEATURE_NAMES, captionWordFeatures } from './caption-word-features.js';
import { loadCaptioner } from './captioner-checkpoint.js';
import type { readImageFile } from './image-input.js';

/** Decoder units reported per feature. */
const TOP_UNITS = 3;

/** `explain`'s settings; `image` is already read (so a bad file fails before the model loads). */
export type ExplainOptions = {
  /** Checkpoint folder, run folder or `.seqgen` file. */
  checkpoint: string;
  /** The image as `readImageFile` read it, with its file name. */
  image: { name: string } & ReturnType<typeof readImageFile>;
  /** Beam width of the caption (1: greedy). */
  beams: number;
  /** Folder for `attention.png` and the per-word overlays. */
  out?: string;
  /** Replace existing files in `out`. */
  force?: boolean;
};

/** Where the decoder looked for one emitted word. */
export type WordAttention = {
  /** The word (`</s>` for the end token). */
  word: string;
  /** The most attended feature-map cell's row, 0-based from the top. */
  row: number;
  /** Its column, 0-based from the left. */
  column: number;
  /** Its weight. */
  weight: number;
};

/** A decoder unit that tracks a word feature. */
export type FeatureUnit = {
  /** The unit's name, `L0 h 98`. */
  unit: string;
  /** Pearson correlation of its activation with the feature over the caption's steps. */
  correlation: number;
};

/** What `explain` found. */
export type CaptionExplanation = {
  /** The checkpoint explained. */
  checkpoint: string;
  /** The image file. */
  image: string;
  /** The caption (beam search). */
  caption: string;
  /** The feature map's rows × columns: the attention's positions. */
  grid: [number, number];
  /** Per emitted word (and the end token): its peak attention. */
  words: WordAttention[];
  /** Per word, the weights over the grid's positions (row-major, rows sum to 1). */
  attention: number[][];
  /** Per word feature, the decoder units most correlated with it over this caption (empty when the caption has no such word, or only such words). */
  units: Record<string, FeatureUnit[]>;
  /** Files written: the words × positions heat map, then the overlays. */
  files: string[];
};

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * `explain`: captions one image, reads the caption back through the decoder
 * for each word's attention over the feature map and the LSTM's states, and
 * ranks the units by correlation with "is a position word" and "is an
 * object word". With `out`, writes `attention.png` (words × positions) and
 * the `caption` command's per-word overlays.
 */
export async function explainImage(options: ExplainOptions): Promise<CaptionExplanation> {
  const run = await loadCaptioner(options.checkpoint);
  const { model, tokenizer } = run;
  try {
    if (model.config.attention === 'none') {
      throw new UsageError(`checkpoint ${options.checkpoint} has no attention (trained with --attention none)`);
    }
    const [result] = await captionFiles(run, [options.image], {
      beams: options.beams,
      overlayDir: options.out,
      force: options.force,
    });
    if (!result) throw new Error('internal: no caption');
    const words = result.caption.split(' ').filter(Boolean);
    const [H, W, C] = model.imageShape;
    const input = options.image.input;
    const pixels = input.width === W && input.height === H ? input : resizeImage(input, W, H);
    const image = model.imagesTensor(Uint8Array.from(pixels.data.subarray(0, H * W * C)), 1);
    let traced: ReturnType<typeof traceCaption>;
    try {
      traced = traceCaption(model, image, tokenizer.encode(result.caption));
    } finally {
      image.dispose();
    }
    const [gridH, gridW] = model.encoder.outputShape;
    const S = gridH * gridW;
    const rows = Array.from({ length: traced.attention.targetSteps }, (_, t) =>
      traced.attention.weights.subarray(t * S, (t + 1) * S),
    );
    const labels = [...words, '</s>'];
    const wordAttention = rows.map((row, t) => {
      let best = 0;
      for (let s = 1; s < S; s++) if ((row[s] as number) > (row[best] as number)) best = s;
      return {
        word: labels[t] ?? '</s>',
        row: Math.floor(best / gridW),
        column: best % gridW,
        weight: round(row[best] as number),
      };
    });
    const features = captionWordFeatures(words);
    const units: Record<string, FeatureUnit[]> = {};
    for (const name of CAPTION_WORD_FEATURE_NAMES) {
      const feature = features[name];
      const ones = feature.reduce((a, b) => a + b, 0);
      units[name] =
        ones === 0 || ones === feature.length
          ? []
          : rankUnits(traced.trace, feature, { top: TOP_UNITS }).map((u) => ({
              unit: unitName(u),
              correlation: round(u.correlation),
            }));
    }
    const files: string[] = [];
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      const path = join(options.out, 'attention.png');
      writeOutputFile(path, heatmapPng(rows, { cellWidth: 8, cellHeight: 16 }), { force: options.force });
      files.push(path, ...result.overlays);
    }
    return {
      checkpoint: options.checkpoint,
      image: options.image.name,
      caption: result.caption,
      grid: [gridH, gridW],
      words: wordAttention,
      attention: rows.map((row) => Array.from(row, round)),
      units,
      files,
    };
  } finally {
    model.dispose();
  }
}
