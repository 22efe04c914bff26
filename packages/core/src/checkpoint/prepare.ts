import type { CodecJson } from '../contracts/codec.js';
import { CheckpointError } from '../errors.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  EMBEDDED_PAYLOAD,
  type ModelConfig,
  PREPROCESSOR_NAME,
  type WeightSpec,
} from './format.js';
import type { JsonObject } from './safe-json.js';
import { sha256Hex } from './sha256.js';
import { encodeWeights, findNonFinite, toWeightArray, type WeightArray, type WeightInput } from './weights.js';

/** Everything a checkpoint holds, as handed to {@link saveCheckpoint}: config, preprocessors, metadata and weights. */
export interface CheckpointData {
  /** The model's `type`-tagged config, from which its `fromConfig` factory rebuilds it on load. */
  config: ModelConfig;
  /** Named preprocessors (codec JSON): `{ tokenizer }`, `{ source, target }`, `{ events }`… */
  preprocessors?: Record<string, CodecJson>;
  /** Free-form JSON stored alongside (training state, metrics, provenance); default `{}`. */
  metadata?: JsonObject;
  /** Weights by name, saved in this order; tensors are read, not disposed. */
  weights: Record<string, WeightInput>;
}

/** A checkpoint checked and laid out in memory, ready for any destination (file, folder, bytes, IndexedDB). */
export interface PreparedCheckpoint {
  base: Omit<CheckpointManifest, 'weightsManifest' | 'weightFiles'>;
  specs: WeightSpec[];
  /** Every weight end to end, in the tfjs weights binary layout. */
  bytes: Uint8Array;
  /** The manifest of the single-file layout (one embedded payload). */
  singleFileManifest(): Promise<CheckpointManifest>;
}

/**
 * Checks what is to be saved and lays it out: a config with a `type`, named
 * preprocessors, non-empty weight names, and (unless `allowNonFinite`) no
 * NaN/Inf weights. `location` is what errors name.
 */
export async function prepareCheckpoint(
  location: string,
  data: CheckpointData,
  allowNonFinite: boolean,
): Promise<PreparedCheckpoint> {
  if (typeof data.config?.type !== 'string' || data.config.type === '') {
    throw new CheckpointError('invalid-manifest', location, 'config must be an object with a non-empty string "type"');
  }
  const entries: Array<[string, WeightArray]> = [];
  for (const [name, value] of Object.entries(data.weights)) {
    if (name === '') throw new CheckpointError('invalid-weights', location, 'weight names must not be empty');
    const w = await toWeightArray(name, value, location);
    const bad = allowNonFinite ? undefined : findNonFinite(w);
    if (bad) {
      throw new CheckpointError(
        'non-finite',
        location,
        `weight "${name}" holds ${bad[1]} at index ${bad[0]}; refusing to save it`,
      );
    }
    entries.push([name, w]);
  }
  const { specs, bytes } = encodeWeights(entries);
  const base = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    config: data.config,
    preprocessors: checkPreprocessors(data.preprocessors ?? {}, location),
    metadata: data.metadata ?? {},
  } as const;
  return {
    base,
    specs,
    bytes,
    singleFileManifest: async () => ({
      ...base,
      weightsManifest: [{ paths: [EMBEDDED_PAYLOAD], weights: specs }],
      weightFiles: { [EMBEDDED_PAYLOAD]: { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) } },
    }),
  };
}

function checkPreprocessors(preprocessors: Record<string, CodecJson>, path: string): Record<string, CodecJson> {
  if (typeof preprocessors !== 'object' || preprocessors === null || Array.isArray(preprocessors)) {
    throw new CheckpointError('invalid-manifest', path, 'preprocessors must be an object of named codec JSON');
  }
  for (const [name, json] of Object.entries(preprocessors)) {
    if (!PREPROCESSOR_NAME.test(name)) {
      throw new CheckpointError(
        'invalid-manifest',
        path,
        `preprocessor name ${JSON.stringify(name)} must match ${PREPROCESSOR_NAME}`,
      );
    }
    if (typeof json?.type !== 'string' || json.type === '' || typeof json.version !== 'number') {
      throw new CheckpointError(
        'invalid-manifest',
        path,
        `preprocessors.${name} needs a string "type" and a number "version"`,
      );
    }
  }
  return preprocessors;
}
