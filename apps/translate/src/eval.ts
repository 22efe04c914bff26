import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, resolveCheckpoint, UsageError } from '@seqgen/app-kit';
import { loadTranslator } from './checkpoint.js';
import { readPairsTsv } from './prepared-data.js';
import { scoreTranslations, type TranslationScores } from './scoring.js';
import { translateLines } from './translate.js';

/** The app's root folder (this file runs from src/ under tsx and from dist/ when built). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shipped pretrained checkpoint: what `translate`, `eval` and `explain` use without `--checkpoint`. */
export const PRETRAINED_CHECKPOINT = join(APP_ROOT, 'pretrained', 'en-de-gru-attention');
/** The held-out split a run folder carries beside its checkpoint. */
export const TEST_FILE = 'test.tsv';

export interface EvalOptions {
  checkpoint?: string;
  /** `source<TAB>reference` file (default: the checkpoint's own `test.tsv`). */
  test?: string;
  /** Score this file's lines (one translation per test line, e.g. another system's) instead of translating. */
  hypotheses?: string;
  beams: number;
  /** Only the first N test pairs (quick checks). */
  limit?: number;
  warn?: (message: string) => void;
}

export interface EvalReport {
  checkpoint: string | null;
  split: 'test';
  test: string;
  examples: number;
  decoding: string;
  metrics: TranslationScores;
  baselines: Record<string, TranslationScores>;
  /** Sources cut to the model's maximum length. */
  truncated: number;
  seconds: number;
}

/** The test file of a checkpoint: `test.tsv` in its folder or in the run folder above `best/`/`last/`. */
export function testFileOf(checkpoint: string): string {
  const resolved = resolveCheckpoint(checkpoint);
  for (const dir of [checkpoint, resolved, dirname(resolved)]) {
    const path = join(dir, TEST_FILE);
    if (existsSync(path)) return path;
  }
  throw new UsageError(`--test is required: checkpoint ${checkpoint} carries no ${TEST_FILE}`);
}

function readLines(path: string): string[] {
  if (!existsSync(path)) throw new InputError(`--hypotheses ${path}: no such file`, path);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

/**
 * Corpus BLEU and chrF on a held-out test set no training step saw: of the
 * checkpoint's translations (beam search by default), or of a file of
 * translations from elsewhere, beside the copy-the-source baseline.
 */
export async function evaluate(options: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const checkpoint = options.hypotheses ? (options.checkpoint ?? null) : (options.checkpoint ?? PRETRAINED_CHECKPOINT);
  const test = options.test ?? (checkpoint ? testFileOf(checkpoint) : undefined);
  if (!test) throw new UsageError('--test is required with --hypotheses and no --checkpoint');
  let pairs = readPairsTsv(test);
  if (options.limit !== undefined) pairs = pairs.slice(0, options.limit);
  if (pairs.length === 0) throw new InputError(`${test}: no test pairs`, test);
  const sources = pairs.map((p) => p.source);
  const references = pairs.map((p) => p.target);
  let hypotheses: string[];
  let truncated = 0;
  let decoding: string;
  if (options.hypotheses) {
    hypotheses = readLines(options.hypotheses);
    if (options.limit !== undefined) hypotheses = hypotheses.slice(0, options.limit);
    if (hypotheses.length !== pairs.length) {
      throw new InputError(
        `--hypotheses ${options.hypotheses}: ${hypotheses.length} lines for ${pairs.length} test pairs in ${test}`,
        options.hypotheses,
      );
    }
    decoding = `lines of ${options.hypotheses}`;
  } else {
    const translator = await loadTranslator(checkpoint as string);
    try {
      const out = await translateLines(translator, sources, { beams: options.beams, nBest: 1, warn: () => {} });
      truncated = out.filter((t) => t.truncated).length;
      hypotheses = out.map((t) => t.candidates[0]?.text ?? '');
    } finally {
      translator.model.dispose();
    }
    decoding = options.beams > 1 ? `beam search, ${options.beams} beams` : 'greedy';
  }
  return {
    checkpoint: checkpoint ? resolve(checkpoint) : null,
    split: 'test',
    test,
    examples: pairs.length,
    decoding,
    metrics: scoreTranslations(hypotheses, references),
    baselines: { copy_source: scoreTranslations(sources, references) },
    truncated,
    seconds: (performance.now() - started) / 1000,
  };
}
