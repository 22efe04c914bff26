import {
  assignWeights,
  buildFromConfig,
  CheckpointError,
  type CheckpointManifest,
  type CheckpointSource,
  type Codec,
  type CodecJson,
  ConfigError,
  DEFAULT_PREPROCESSOR,
  describeValue,
  encodeCheckpoint,
  isRegisteredConfigType,
  isTrainerEntry,
  type JsonObject,
  type LoadCheckpointOptions,
  loadCheckpoint,
  type ModelConfig,
  registeredConfigTypes,
  type SaveCheckpointOptions,
  saveCheckpoint,
  type Tokenizer,
  type TokenizerJson,
  withoutOrthogonalization,
} from '@seqgen/core';
import {
  assertMatchesVocab,
  registerBuiltinTokenizers,
  type SeqgenTokenizer,
  tokenizerFromJSON,
} from '@seqgen/tokenizers';
import type * as tf from '@tensorflow/tfjs';

/** What saving and loading need from a model, whatever its architecture. */
export interface CheckpointableModel {
  /** When present, a checkpoint's `tokenizer` preprocessor must have exactly this many tokens. */
  readonly vocabSize?: number;
  /** Every weight by name: the names are the checkpoint's weight names. */
  readonly variables: Record<string, tf.Variable>;
  /** The `type`-tagged config saved in the checkpoint, from which the registry rebuilds the model. */
  getConfig(): ModelConfig;
  /** Frees the model's variables. */
  dispose(): void;
}

/** A codec of any kind (tokenizer, MIDI events, audio features…). */
export type AnyCodec = Codec<any, any>;

/** What is saved beside a model's weights: preprocessors, metadata, and checkpoint options. */
export interface SaveModelOptions {
  /**
   * Named preprocessors (each a codec or its JSON): `{ tokenizer }` for a
   * language model, `{ source, target }` for translation, `{ events }` for music.
   * A `tokenizer` entry is checked against the model's `vocabSize`.
   */
  preprocessors?: Record<string, AnyCodec | CodecJson>;
  /** Shorthand for `preprocessors: { tokenizer }` (its JSON or the tokenizer itself). */
  tokenizer?: TokenizerJson | Tokenizer | null;
  /** Free-form JSON: training state, metrics, provenance. */
  metadata?: JsonObject;
  /** Passed to core's `saveCheckpoint` (`shardBytes`, `allowNonFinite`). */
  checkpoint?: SaveCheckpointOptions;
}

/** A model rebuilt from a checkpoint, with the preprocessors and metadata saved beside it. */
export interface LoadedModel<M> {
  /** The model, built from the checkpoint's config with its weights assigned. */
  model: M;
  /** Every preprocessor of the checkpoint by name, rebuilt by core's registry (kind `codec`). */
  preprocessors: Record<string, AnyCodec>;
  /**
   * The `tokenizer` preprocessor (a version-1 checkpoint's only tokenizer is
   * read as it), or null when there is none.
   */
  tokenizer: SeqgenTokenizer | null;
  /** The checkpoint's free-form JSON (training state, metrics, provenance). */
  metadata: JsonObject;
}

/**
 * Writes a seqgen checkpoint: the model's config, its named preprocessors'
 * JSON, metadata and its weights by the names of `variables`. `path` is a file
 * or folder path (Node) or `indexeddb://name` (browsers). A `tokenizer` that
 * cannot drive the model (wrong vocabulary size) is refused before anything is
 * written.
 */
export async function saveModel(
  path: string,
  model: CheckpointableModel,
  options: SaveModelOptions = {},
): Promise<CheckpointManifest> {
  const preprocessors = preprocessorJson(options);
  // Refuse before writing anything: a checkpoint whose preprocessors cannot be rebuilt, or whose
  // tokenizer cannot drive its model, is useless.
  rebuildPreprocessors(preprocessors, model.vocabSize, path);
  return saveCheckpoint(
    path,
    { config: model.getConfig(), preprocessors, metadata: options.metadata ?? {}, weights: model.variables },
    options.checkpoint,
  );
}

/**
 * The model's checkpoint as the bytes of one `.seqgen` file (to download,
 * upload or keep anywhere); {@link loadModel} and `RecurrentLanguageModel.load`
 * read them back from a `Uint8Array`, `ArrayBuffer` or `Blob`. Same checks as
 * {@link saveModel}.
 */
export async function encodeModel(
  model: CheckpointableModel,
  options: SaveModelOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const preprocessors = preprocessorJson(options);
  rebuildPreprocessors(preprocessors, model.vocabSize, CHECKPOINT_BYTES);
  return encodeCheckpoint(
    { config: model.getConfig(), preprocessors, metadata: options.metadata ?? {}, weights: model.variables },
    options.checkpoint,
  );
}

/** How messages name a checkpoint given as bytes. */
const CHECKPOINT_BYTES = '(checkpoint bytes)';

/** How messages name a checkpoint source: its path or URL, or "(checkpoint bytes)". */
export function describeSource(source: CheckpointSource): string {
  if (typeof source === 'string') return source;
  return source instanceof URL ? source.href : CHECKPOINT_BYTES;
}

/**
 * The name and shape of every weight a model of this config holds, computed
 * from the config alone (nothing allocated), e.g. `RecurrentLanguageModel.weightShapes`.
 * Returning undefined skips the check.
 */
export type WeightShapesOf = (config: ModelConfig) => Record<string, number[]> | undefined;

/**
 * Reads a checkpoint from any source core's `loadCheckpoint` takes (a path,
 * an http(s) URL, `indexeddb://name`, or `.seqgen` bytes), builds the model from its config with `build`, rebuilds
 * its preprocessors through core's registry, and copies the weights in with
 * core's `assignWeights` (every name, shape and dtype checked before any weight
 * is assigned; trainer entries skipped). The model is built without
 * orthogonalizing its initial recurrent kernels, which the weights replace. On any error the half-built model is
 * disposed.
 */
export async function loadModel<M extends CheckpointableModel>(
  source: CheckpointSource,
  build: (config: ModelConfig) => M,
  options: LoadCheckpointOptions = {},
  weightShapes?: WeightShapesOf,
): Promise<LoadedModel<M>> {
  const callerCheck = options.checkManifest;
  const path = describeSource(source);
  const loaded = await loadCheckpoint(source, {
    ...options,
    checkManifest: (manifest, where) => {
      callerCheck?.(manifest, where);
      if (weightShapes) checkConfigFitsWeights(manifest, weightShapes, where);
    },
  });
  // Every weight is overwritten below (assignWeights refuses a checkpoint that lacks one), so the
  // recurrent kernels' orthogonalization would be thrown away: seconds for a 2 × 512 LSTM.
  const model = withoutOrthogonalization(() => build(loaded.config));
  try {
    const preprocessors = rebuildPreprocessors(loaded.preprocessors, model.vocabSize, path);
    assignWeights(model.variables, loaded.weights, { source: path });
    const tokenizer = (preprocessors[DEFAULT_PREPROCESSOR] as SeqgenTokenizer | undefined) ?? null;
    return { model, preprocessors, tokenizer, metadata: loaded.metadata };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Compares the weights a checkpoint's config implies with the weights its
 * manifest lists, before anything is read, built or initialized: a config
 * that is invalid, too large, or that disagrees with its weights (a
 * `hiddenSize: 4096` beside 256-unit weights) is refused here, naming the
 * file, the field or weight, and what was expected.
 */
export function checkConfigFitsWeights(manifest: CheckpointManifest, weightShapes: WeightShapesOf, path: string): void {
  let expected: Record<string, number[]> | undefined;
  try {
    expected = weightShapes(manifest.config);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CheckpointError('invalid-manifest', path, `its config is invalid: config.${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (expected === undefined) return;
  const saved = new Map<string, number[]>();
  for (const group of manifest.weightsManifest) {
    for (const spec of group.weights) if (!isTrainerEntry(spec.name)) saved.set(spec.name, spec.shape);
  }
  const problems: string[] = [];
  const absent: string[] = [];
  for (const [name, shape] of Object.entries(expected)) {
    const have = saved.get(name);
    if (have === undefined) absent.push(name);
    else if (have.length !== shape.length || have.some((d, i) => d !== shape[i]))
      problems.push(`${describeValue(name)} has shape [${have}], the model needs [${shape}]`);
  }
  const unexpected = [...saved.keys()].filter((name) => !Object.hasOwn(expected, name));
  if (absent.length > 0) problems.push(`lacks ${nameList(absent)}`);
  if (unexpected.length > 0)
    problems.push(`has ${nameList(unexpected)}, which the model does not have (its config and weights disagree)`);
  if (problems.length === 0) return;
  const shown = problems.length > 8 ? [...problems.slice(0, 8), `and ${problems.length - 8} more`] : problems;
  throw new CheckpointError(
    'invalid-weights',
    path,
    `weights do not fit the model its config describes (${describeConfig(manifest.config)}; nothing was built): ${shown.join('; ')}`,
  );
}

/** The config's type and size fields (`…Size`, `…Layers`, `units`…), for messages. */
function describeConfig(config: ModelConfig): string {
  const numeric = Object.entries(config).filter(
    ([key, v]) => key !== 'type' && typeof v === 'number' && /^[A-Za-z_]\w{0,39}$/.test(key),
  );
  const sizes = numeric.filter(([key]) => /(size|layers|units|dim|count|length)s?$/i.test(key));
  const fields = (sizes.length > 0 ? sizes : numeric).slice(0, 8).map(([key, v]) => `${key} ${describeValue(v)}`);
  return [`type ${describeValue(config.type, 40)}`, ...fields].join(', ');
}

function nameList(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => describeValue(n));
  return `weight${names.length > 1 ? 's' : ''} ${shown.join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`;
}

/**
 * Rebuilds each preprocessor with core's registry (kind `codec`; this
 * package's tokenizers registered first). The `tokenizer` one goes through
 * `tokenizerFromJSON` (a TokenizerError when it is unknown or corrupt) and must
 * fit `vocabSize`; a type no package registered is a CheckpointError naming it.
 */
function rebuildPreprocessors(
  json: Record<string, CodecJson>,
  vocabSize: number | undefined,
  source: string,
): Record<string, AnyCodec> {
  registerBuiltinTokenizers();
  const out: Record<string, AnyCodec> = {};
  for (const [name, codecJson] of Object.entries(json)) {
    if (name === DEFAULT_PREPROCESSOR) {
      const tokenizer = tokenizerFromJSON<SeqgenTokenizer>(codecJson);
      if (vocabSize !== undefined) assertMatchesVocab(tokenizer, vocabSize, 'model');
      out[name] = tokenizer;
      continue;
    }
    if (!isRegisteredConfigType('codec', codecJson.type)) {
      throw new CheckpointError(
        'invalid-manifest',
        source,
        `preprocessor "${name}" has codec type ${JSON.stringify(codecJson.type)}, which no loaded package registered ` +
          `(registered: ${registeredConfigTypes('codec').join(', ')}); register it with registerConfigType('codec', …) first`,
      );
    }
    out[name] = buildFromConfig<AnyCodec>('codec', codecJson);
  }
  return out;
}

function preprocessorJson(options: SaveModelOptions): Record<string, CodecJson> {
  const out: Record<string, CodecJson> = {};
  for (const [name, codec] of Object.entries(options.preprocessors ?? {})) out[name] = toJson(codec);
  if (options.tokenizer) {
    if (options.preprocessors && DEFAULT_PREPROCESSOR in options.preprocessors) {
      throw new ConfigError(
        'tokenizer',
        `is given twice: pass it either as \`tokenizer\` or as \`preprocessors.${DEFAULT_PREPROCESSOR}\``,
      );
    }
    out[DEFAULT_PREPROCESSOR] = toJson(options.tokenizer);
  }
  return out;
}

function toJson(codec: AnyCodec | CodecJson): CodecJson {
  return typeof (codec as AnyCodec).toJSON === 'function' ? (codec as AnyCodec).toJSON() : (codec as CodecJson);
}
