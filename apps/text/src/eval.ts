import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '@seqgen/app-kit';
import { NgramModel } from '@seqgen/models';
import { loadLanguageModel } from './checkpoint.js';
import { corpusLimit, countChars, HELD_OUT_FRACTION, readCorpus, splitHeldOut } from './corpus.js';
import { type HeldOutMetrics, heldOutMetrics } from './evaluate.js';
import { mobyDickPath } from './moby-dick.js';
import { UNK } from './tokenizer-choice.js';

/** The app's root folder (this file runs from src/ under tsx and from dist/ when built). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shipped pretrained checkpoint: what `eval` and `generate` use without `--checkpoint`. */
export const PRETRAINED_CHECKPOINT = join(APP_ROOT, 'pretrained', 'moby-char-lstm');

export interface EvalOptions {
  /** Default: the shipped pretrained checkpoint. */
  checkpoint?: string;
  /** Default: Moby-Dick for the shipped checkpoint, else the corpus the checkpoint was trained on (if it is here). */
  corpus?: string;
  /** Evaluate the whole file instead of its held-out tail (the last 10%, the part `train` never sees). */
  whole?: boolean;
  /** Order of the character n-gram baseline (0: none). Default 5. */
  baselineOrder?: number;
  /** Leave tokens outside the vocabulary (`<unk>` targets) out of the model's figures. */
  excludeUnknown?: boolean;
  /** Most MiB the corpus may hold (default 512). */
  maxCorpusMb?: number;
}

/** Metric names shared by the model and every baseline (APPS.md). */
export interface EvalFigures {
  nats_per_token: number;
  bits_per_char: number;
  perplexity: number;
}

export interface EvalReport {
  checkpoint: string;
  corpus: string;
  split: 'held-out' | 'whole';
  /** Tokens the model predicted and scored. */
  examples: number;
  /** Tokens of the evaluated text outside the vocabulary (encoded as `<unk>`). */
  unknown_tokens: number;
  /** True when `unknown_tokens` were left out of `examples` and `metrics` (`--exclude-unknown`). */
  unknown_excluded: boolean;
  metrics: EvalFigures;
  baselines: Record<string, EvalFigures>;
  /** The model's figures in the app's own names (human output). */
  heldOut: HeldOutMetrics;
}

function corpusFor(options: EvalOptions, checkpoint: string, metadata: Record<string, unknown>): string {
  if (options.corpus) return options.corpus;
  if (resolve(checkpoint) === resolve(PRETRAINED_CHECKPOINT)) return mobyDickPath();
  const recorded = metadata.corpus;
  if (typeof recorded === 'string' && existsSync(recorded)) return recorded;
  throw new UsageError(
    `--corpus is required: checkpoint ${checkpoint} names no corpus found here${typeof recorded === 'string' ? ` (it was trained on ${recorded})` : ''}`,
  );
}

/** Held-out figures of a checkpoint, and of a character n-gram trained on the same training split. */
export async function evaluateCheckpoint(options: EvalOptions): Promise<EvalReport> {
  const checkpoint = options.checkpoint ?? PRETRAINED_CHECKPOINT;
  const { model, tokenizer, metadata } = await loadLanguageModel(checkpoint);
  try {
    const corpus = corpusFor(options, checkpoint, metadata);
    const text = readCorpus(corpus, corpusLimit(options.maxCorpusMb));
    const split = options.whole ? { train: '', heldOut: text } : splitHeldOut(text);
    const target = split.heldOut;
    const ids = tokenizer.encode(target);
    // Out-of-vocabulary policy: unknown characters/words are encoded as <unk>; they are
    // counted always, and scored unless --exclude-unknown leaves them out.
    const unk = tokenizer.tokenToId(UNK);
    const unknownTokens = unk === undefined ? 0 : ids.reduce((n, id) => n + (id === unk ? 1 : 0), 0);
    const exclude = Boolean(options.excludeUnknown) && unk !== undefined;
    const m = await heldOutMetrics(model, ids, countChars(target), exclude ? { excludeTarget: unk } : {});
    const baselines: Record<string, EvalFigures> = {};
    const order = options.baselineOrder ?? 5;
    // The baseline learns from the training split only; with --whole there is none to learn from.
    if (order > 0 && split.train) {
      const natsPerChar = NgramModel.train(split.train, { order }).evaluate(target).natsPerSymbol;
      baselines[`kneser_ney_${order}gram_char`] = {
        nats_per_token: natsPerChar,
        bits_per_char: natsPerChar / Math.LN2,
        perplexity: Math.exp(natsPerChar),
      };
    }
    return {
      checkpoint,
      corpus,
      split: options.whole ? 'whole' : 'held-out',
      examples: m.tokens,
      unknown_tokens: unknownTokens,
      unknown_excluded: exclude,
      metrics: { nats_per_token: m.loss, bits_per_char: m.bitsPerChar, perplexity: m.perplexity },
      baselines,
      heldOut: m,
    };
  } finally {
    model.dispose();
  }
}

/** The `split` description for humans. */
export function describeSplit(report: EvalReport): string {
  return report.split === 'whole' ? 'the whole corpus' : `the last ${HELD_OUT_FRACTION * 100}% of the corpus`;
}
