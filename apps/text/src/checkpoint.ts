import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, SeqgenError } from '@seqgen/core';
import { RecurrentLanguageModel } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { BEST_CHECKPOINT, LAST_CHECKPOINT } from '@seqgen/trainer';
import { CliError } from './cli-error.js';

/** True when `dir` is a folder holding a seqgen checkpoint manifest. */
export function isCheckpointDir(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

/**
 * The checkpoint to read for `path`: the folder itself, a `.seqgen` file, or
 * a trainer run folder's `best/` (else `last/`).
 */
export function resolveCheckpoint(path: string): string {
  if (!existsSync(path)) throw new CliError(`checkpoint not found: ${path}`);
  if (statSync(path).isFile()) return path;
  if (isCheckpointDir(path)) return path;
  for (const sub of [BEST_CHECKPOINT, LAST_CHECKPOINT]) if (isCheckpointDir(join(path, sub))) return join(path, sub);
  throw new CliError(`checkpoint not found: ${path} holds no ${MANIFEST_FILE}`);
}

export interface LoadedLanguageModel {
  model: RecurrentLanguageModel;
  tokenizer: SeqgenTokenizer;
  metadata: Record<string, unknown>;
  path: string;
}

/** Loads a language model and its tokenizer; every failure becomes a one-line {@link CliError}. */
export async function loadLanguageModel(path: string): Promise<LoadedLanguageModel> {
  const resolved = resolveCheckpoint(path);
  let loaded: Awaited<ReturnType<typeof RecurrentLanguageModel.load>>;
  try {
    loaded = await RecurrentLanguageModel.load(resolved);
  } catch (err) {
    if (err instanceof SeqgenError) throw new CliError(`cannot load checkpoint ${path}: ${err.message}`);
    throw err;
  }
  if (!loaded.tokenizer) {
    loaded.model.dispose();
    throw new CliError(`checkpoint ${path} has no tokenizer: it cannot turn text into tokens`);
  }
  return { model: loaded.model, tokenizer: loaded.tokenizer, metadata: loaded.metadata, path: resolved };
}
