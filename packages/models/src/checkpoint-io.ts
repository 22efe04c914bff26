import {
  CheckpointError,
  type CheckpointManifest,
  type JsonObject,
  type LoadCheckpointOptions,
  loadCheckpoint,
  type ModelConfig,
  type SaveCheckpointOptions,
  saveCheckpoint,
  type Tokenizer,
  type TokenizerJson,
  type WeightArray,
} from '@seqgen/core';
import { assertMatchesVocab, type SeqgenTokenizer, tokenizerFromJSON } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';

/** What saving and loading need from a model, whatever its architecture. */
export interface CheckpointableModel {
  /** When present, a checkpoint's tokenizer must have exactly this many tokens. */
  readonly vocabSize?: number;
  readonly variables: Record<string, tf.Variable>;
  getConfig(): ModelConfig;
  dispose(): void;
}

export interface SaveModelOptions {
  /** The tokenizer the model was trained with (its JSON or the tokenizer itself); checked against `vocabSize`. */
  tokenizer?: TokenizerJson | Tokenizer | null;
  /** Free-form JSON: training state, metrics, provenance. */
  metadata?: JsonObject;
  /** Passed to core's `saveCheckpoint` (`shardBytes`, `allowNonFinite`). */
  checkpoint?: SaveCheckpointOptions;
}

export interface LoadedModel<M> {
  model: M;
  /** The checkpoint's tokenizer, rebuilt with `@seqgen/tokenizers`, or null when it has none. */
  tokenizer: SeqgenTokenizer | null;
  metadata: JsonObject;
}

/**
 * Weight names starting with `@` belong to the trainer (optimizer slots,
 * carried state), not to the model: loading a training checkpoint skips them.
 */
const TRAINER_ENTRY = '@';

export async function saveModel(
  path: string,
  model: CheckpointableModel,
  options: SaveModelOptions = {},
): Promise<CheckpointManifest> {
  const tokenizer = toTokenizerJson(options.tokenizer);
  // Refuse before writing anything: a checkpoint whose tokenizer cannot drive its model is useless.
  if (tokenizer && model.vocabSize !== undefined) rebuildTokenizer(tokenizer, model.vocabSize);
  return saveCheckpoint(
    path,
    { config: model.getConfig(), tokenizer, metadata: options.metadata ?? {}, weights: model.variables },
    options.checkpoint,
  );
}

/**
 * Reads a checkpoint, builds the model from its config with `build`, and
 * copies the weights in. Every name, shape and dtype is checked before any
 * weight is assigned; on any error the half-built model is disposed.
 */
export async function loadModel<M extends CheckpointableModel>(
  path: string,
  build: (config: ModelConfig) => M,
  options: LoadCheckpointOptions = {},
): Promise<LoadedModel<M>> {
  const loaded = await loadCheckpoint(path, options);
  const model = build(loaded.config);
  try {
    const tokenizer =
      loaded.tokenizer && model.vocabSize !== undefined
        ? rebuildTokenizer(loaded.tokenizer, model.vocabSize)
        : loaded.tokenizer
          ? tokenizerFromJSON(loaded.tokenizer)
          : null;
    assignWeights(model.variables, loaded.weights, path);
    return { model, tokenizer, metadata: loaded.metadata };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function assignWeights(
  variables: Record<string, tf.Variable>,
  weights: Record<string, WeightArray>,
  path: string,
): void {
  const fail = (message: string): never => {
    throw new CheckpointError('invalid-weights', path, message);
  };
  for (const name of Object.keys(weights)) {
    if (!name.startsWith(TRAINER_ENTRY) && !(name in variables)) {
      fail(`has weight "${name}", which this model does not have (its config and weights disagree)`);
    }
  }
  for (const [name, v] of Object.entries(variables)) {
    const w = weights[name];
    if (!w) {
      fail(`lacks weight "${name}"`);
      continue;
    }
    if (w.dtype !== v.dtype) fail(`weight "${name}" is ${w.dtype}, the model needs ${v.dtype}`);
    if (!tf.util.arraysEqual(w.shape, v.shape)) fail(`weight "${name}" is [${w.shape}], the model needs [${v.shape}]`);
  }
  for (const [name, v] of Object.entries(variables)) {
    const w = weights[name] as WeightArray;
    tf.tidy(() => v.assign(tf.tensor(w.data as Float32Array | Int32Array, w.shape, v.dtype)));
  }
}

function rebuildTokenizer(json: TokenizerJson, vocabSize: number): SeqgenTokenizer {
  const tokenizer = tokenizerFromJSON(json);
  assertMatchesVocab(tokenizer, vocabSize, 'model');
  return tokenizer;
}

function toTokenizerJson(tokenizer: TokenizerJson | Tokenizer | null | undefined): TokenizerJson | null {
  if (!tokenizer) return null;
  return typeof (tokenizer as Tokenizer).toJSON === 'function'
    ? (tokenizer as Tokenizer).toJSON()
    : (tokenizer as TokenizerJson);
}
