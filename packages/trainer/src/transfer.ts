import type { LoadedCheckpoint, WeightArray } from '@seqgen/core';
import { assignWeights, ConfigError, isTrainerEntry, loadCheckpoint, Rng, ShapeError } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { matchesAny, type NamePattern } from './patterns.js';

/** What a vocabulary change did to the token rows. */
export interface VocabularyReport {
  /** Tokens in both vocabularies: their rows were copied. */
  kept: string[];
  /** Tokens only in the new vocabulary: their rows were initialized. */
  added: string[];
  /** Tokens only in the old vocabulary: their rows were removed. */
  dropped: string[];
}

/** Which weights {@link remapVocabularyRows} remaps, along which axis, and how new rows start. */
export interface RemapOptions {
  /** Which axis of each weight is indexed by token: e.g. `{ embedding: 0, 'output/kernel': 1, 'output/bias': 0 }`. */
  rowAxisByName: Record<string, number>;
  /** Seed for new rows (default 0). */
  seed?: number;
  /** New rows: `normal` (mean 0, `std`, default 0.02), `zeros`, or `mean` of the kept rows. Default `normal`, but `zeros` for rank-1 weights (biases). */
  init?: 'normal' | 'zeros' | 'mean';
  /** Standard deviation of `normal`-initialized new rows (default 0.02). */
  std?: number;
}

function vocabIndex(vocab: readonly string[], field: string): Map<string, number> {
  const index = new Map<string, number>();
  vocab.forEach((token, i) => {
    if (index.has(token)) throw new ConfigError(field, `token ${JSON.stringify(token)} appears twice`);
    index.set(token, i);
  });
  return index;
}

/** What {@link remapVocabularyRows} returns. */
export type RemappedVocabularyRows = {
  /** Every weight by name: token-indexed ones with their rows moved to the new vocabulary's order, the rest unchanged. */
  weights: Record<string, WeightArray>;
  /** Tokens kept, added (fresh rows) and dropped (rows removed). */
  report: VocabularyReport;
};

/** A vocabulary change for {@link LoadPretrainedOptions.vocabulary}: both vocabularies, and how to remap rows. */
export type VocabularyChange = {
  /** The checkpoint's vocabulary, in token-id order (row i of a token-indexed weight belongs to `oldVocab[i]`). */
  oldVocab: readonly string[];
  /** The model's vocabulary, in token-id order: the rows the remapped weights will have. */
  newVocab: readonly string[];
} & RemapOptions;

/**
 * Carries token-indexed weights (embeddings, output projections) over to a new
 * vocabulary: rows of tokens in both vocabularies are copied to their new
 * positions, new tokens get seeded fresh rows, dropped tokens' rows are
 * removed. Other weights are returned unchanged.
 */
export function remapVocabularyRows(
  weights: Record<string, WeightArray>,
  oldVocab: readonly string[],
  newVocab: readonly string[],
  options: RemapOptions,
): RemappedVocabularyRows {
  const oldIndex = vocabIndex(oldVocab, 'oldVocab');
  const newIndex = vocabIndex(newVocab, 'newVocab');
  const report: VocabularyReport = {
    kept: newVocab.filter((t) => oldIndex.has(t)),
    added: newVocab.filter((t) => !oldIndex.has(t)),
    dropped: oldVocab.filter((t) => !newIndex.has(t)),
  };
  const rng = new Rng(options.seed ?? 0);
  const out: Record<string, WeightArray> = { ...weights };
  for (const [name, axis] of Object.entries(options.rowAxisByName)) {
    const w = weights[name];
    if (!w)
      throw new ConfigError(`rowAxisByName.${name}`, `names no weight (have: ${Object.keys(weights).join(', ')})`);
    if (!(Number.isInteger(axis) && axis >= 0 && axis < w.shape.length))
      throw new ConfigError(`rowAxisByName.${name}`, `axis ${axis} is not an axis of shape [${w.shape}]`);
    if (w.dtype !== 'float32') throw new ShapeError(name, 'float32', w.dtype, 'remapVocabularyRows');
    if (w.shape[axis] !== oldVocab.length)
      throw new ShapeError(`${name} axis ${axis}`, `${oldVocab.length} long (the old vocabulary)`, `${w.shape[axis]}`);
    const outer = w.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = w.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const oldRows = oldVocab.length;
    const newRows = newVocab.length;
    const src = w.data as Float32Array;
    const dst = new Float32Array(outer * newRows * inner);
    const init = options.init ?? (w.shape.length === 1 ? 'zeros' : 'normal');
    const std = options.std ?? 0.02;
    for (let o = 0; o < outer; o++) {
      // Mean of the kept rows at this outer index, for `init: 'mean'`.
      const mean = new Float32Array(inner);
      if (init === 'mean' && report.kept.length > 0) {
        for (const token of report.kept) {
          const r = oldIndex.get(token) as number;
          for (let k = 0; k < inner; k++)
            (mean[k] as number) += (src[(o * oldRows + r) * inner + k] as number) / report.kept.length;
        }
      }
      for (let j = 0; j < newRows; j++) {
        const r = oldIndex.get(newVocab[j] as string);
        const d = (o * newRows + j) * inner;
        for (let k = 0; k < inner; k++) {
          if (r !== undefined) dst[d + k] = src[(o * oldRows + r) * inner + k] as number;
          else dst[d + k] = init === 'normal' ? rng.normal(0, std) : init === 'mean' ? (mean[k] as number) : 0;
        }
      }
    }
    const shape = [...w.shape];
    shape[axis] = newRows;
    out[name] = { dtype: 'float32', shape, data: dst };
  }
  return { weights: out, report };
}

/** Which checkpoint weights {@link loadPretrained} loads, and a vocabulary change to apply first. */
export interface LoadPretrainedOptions {
  /** Only load parameters matching these patterns (default: all the model has). */
  include?: NamePattern[];
  /** Vocabulary change to apply to token-indexed weights before loading. */
  vocabulary?: VocabularyChange;
}

/** What {@link loadPretrained} did: parameters loaded, left fresh, or ignored, and the vocabulary change. */
export interface PretrainedReport {
  /** Parameters copied from the checkpoint. */
  loaded: string[];
  /** Model parameters the checkpoint lacks (or not included): they keep their fresh initialization. */
  missing: string[];
  /** Checkpoint weights the model has no parameter for (trainer state is not counted). */
  unexpected: string[];
  /** Tokens kept, added and dropped, when a vocabulary change was applied. */
  vocabulary?: VocabularyReport;
}

/**
 * Starts a model from a pretrained checkpoint (a path or an already loaded
 * one): every model parameter with a same-named checkpoint weight is assigned
 * (through core's `assignWeights`, the one weight-loading policy); new
 * parameters keep their initialization, and checkpoint weights the model
 * lacks are reported, not refused. A shape or dtype mismatch is a
 * `CheckpointError` (`invalid-weights`) naming each parameter, and nothing is
 * assigned — pass `vocabulary` when the token set changed.
 */
export async function loadPretrained(
  variables: Record<string, tf.Variable>,
  checkpoint: string | LoadedCheckpoint,
  options: LoadPretrainedOptions = {},
): Promise<PretrainedReport> {
  const source = typeof checkpoint === 'string' ? checkpoint : 'pretrained checkpoint';
  const ckpt = typeof checkpoint === 'string' ? await loadCheckpoint(checkpoint) : checkpoint;
  // Trainer state (optimizer slots, carried RNN state) is not part of a pretrained model.
  let weights = Object.fromEntries(Object.entries(ckpt.weights).filter(([n]) => !isTrainerEntry(n)));
  let vocabulary: VocabularyReport | undefined;
  if (options.vocabulary) {
    const { oldVocab, newVocab, ...remap } = options.vocabulary;
    const remapped = remapVocabularyRows(weights, oldVocab, newVocab, remap);
    weights = remapped.weights;
    vocabulary = remapped.report;
  }
  const include = options.include;
  const { loaded, missing, unexpected } = assignWeights(variables, weights, {
    source,
    allowMissing: true,
    allowUnexpected: true,
    ...(include ? { include: (name: string) => matchesAny(name, include) } : {}),
  });
  return { loaded, missing, unexpected, ...(vocabulary ? { vocabulary } : {}) };
}
