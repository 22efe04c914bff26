import { basename, resolve } from 'node:path';
import { CheckpointError } from '@seqgen/core';
import { modelFromCheckpoint } from '@seqgen/models';
import type { ServedModel } from './served-model.js';

/** A checkpoint loaded for serving; `dispose()` frees its weights. */
export interface LoadedServedModel extends ServedModel {
  /** Frees the model's weights (after the server is closed). */
  dispose(): void;
}

/**
 * Loads a seqgen checkpoint folder (or `.seqgen` file) for {@link startServer}:
 * any registered model type that can generate (a `SequenceModel`: `step` and
 * `vocabSize`) with a tokenizer. Served under `name`, by default the
 * checkpoint's folder name (`pretrained/moby-char-lstm` → `moby-char-lstm`).
 * Throws `CheckpointError` for a checkpoint that cannot be read, holds a
 * model that cannot generate token by token, or has no tokenizer.
 */
export async function loadServedModel(path: string, options: { name?: string } = {}): Promise<LoadedServedModel> {
  const loaded = await modelFromCheckpoint(path);
  const model = loaded.model as unknown as Partial<LoadedServedModel['model']> & { dispose(): void };
  if (
    typeof model.step !== 'function' ||
    typeof model.initialState !== 'function' ||
    !Number.isInteger(model.vocabSize)
  ) {
    model.dispose();
    throw new CheckpointError(
      'invalid-manifest',
      path,
      `holds a ${String(loaded.model.getConfig().type)} model, which cannot generate tokens step by step (no step/vocabSize)`,
    );
  }
  const tokenizer = loaded.tokenizer;
  if (!tokenizer) {
    model.dispose();
    throw new CheckpointError('invalid-manifest', path, 'has no tokenizer: prompts cannot be turned into tokens');
  }
  return {
    name: options.name ?? basename(resolve(path)).replace(/\.seqgen$/, ''),
    model: model as LoadedServedModel['model'],
    tokenizer,
    dispose: () => model.dispose(),
  };
}
