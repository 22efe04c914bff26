import { type CaptionScores, captionScores } from '@seqgen/models';
import { composeCaptionScenes } from '@seqgen/vision';
import { mostFrequentCaption, nearestNeighbourCaptions } from './baselines.js';
import { captionScenes } from './caption-scenes.js';
import { loadCaptioner, PRETRAINED_CHECKPOINT } from './captioner-checkpoint.js';
import { EVAL_SCENES, type EvalSplit, evalScenes, sceneSources } from './scene-data.js';

/** What `eval` takes. */
export type EvalOptions = {
  /** Checkpoint to score (default: the shipped one). */
  checkpoint?: string;
  /** `test` (default) or `held-out`. */
  split?: EvalSplit;
  beams: number;
  /** Only the first N scenes of the split. */
  limit?: number;
};

/** The metric names of `eval --json`, for the model and each baseline. */
export type EvalMetrics = { bleu_1: number; bleu_2: number; bleu_3: number; bleu_4: number; cider_d: number };

/** `eval --json`'s object. */
export type EvalReport = {
  checkpoint: string;
  split: EvalSplit;
  examples: number;
  metrics: EvalMetrics;
  baselines: Record<string, EvalMetrics>;
  decoding: string;
  /** A few scenes with their references and the model's caption. */
  samples: { references: string[]; caption: string }[];
  seconds: number;
};

/** Training scenes the baselines draw from (the first ones of the checkpoint's training set). */
const BASELINE_TRAIN_SCENES = 1000;

function named(s: CaptionScores): EvalMetrics {
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  return { bleu_1: r(s.bleu1), bleu_2: r(s.bleu2), bleu_3: r(s.bleu3), bleu_4: r(s.bleu4), cider_d: r(s.ciderD) };
}

/**
 * `eval`: captions a fixed evaluation split (scenes no training step saw)
 * with beam search and scores BLEU-1…4 and CIDEr-D, beside two baselines
 * computed on the same scenes: the most frequent training caption, and the
 * caption of the nearest training scene by the pretrained CNN's pooled features.
 */
export async function evaluate(options: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const checkpoint = options.checkpoint ?? PRETRAINED_CHECKPOINT;
  const split = options.split ?? 'test';
  const run = await loadCaptioner(checkpoint);
  try {
    const scenes = await evalScenes(split, Math.min(options.limit ?? EVAL_SCENES, EVAL_SCENES));
    const result = await captionScenes(run.model, run.tokenizer, scenes, { beams: options.beams });
    const data = run.metadata.data ?? { seed: 1, train: BASELINE_TRAIN_SCENES };
    const train = composeCaptionScenes(await sceneSources('train'), {
      count: Math.min(data.train, BASELINE_TRAIN_SCENES),
      seed: data.seed,
    });
    const frequent = mostFrequentCaption(train);
    const nearest = await nearestNeighbourCaptions(train, scenes);
    return {
      checkpoint,
      split,
      examples: scenes.count,
      metrics: named(result.scores),
      baselines: {
        most_frequent_caption: named(
          captionScores(
            scenes.captions.map(() => frequent),
            scenes.captions,
          ),
        ),
        nearest_neighbour: named(captionScores(nearest, scenes.captions)),
      },
      decoding: options.beams > 1 ? `beam search, ${options.beams} beams` : 'greedy',
      samples: result.captions.slice(0, 5).map((caption, i) => ({ references: scenes.captions[i] ?? [], caption })),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    run.model.dispose();
  }
}
