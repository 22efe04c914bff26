import type { CodecJson } from '../contracts/codec.js';
import { CheckpointError, ConfigError } from '../errors.js';
import { platform } from '../platform/node.js';
import { describeValue } from '../validate.js';
import { type CheckpointLimits, type CheckpointManifest, DEFAULT_LIMITS, type ModelConfig } from './format.js';
import { isIndexedDbLocation, readIndexedDb } from './indexeddb.js';
import { fetchCheckpoint } from './load-url.js';
import type { JsonObject } from './safe-json.js';
import { decodeSingleFile, maxSingleFileBytes } from './single-file.js';
import { decodeWeights, findNonFinite, type WeightArray } from './weights.js';

/** A checkpoint read and validated by {@link loadCheckpoint}: manifest, config, preprocessors, metadata and weights. */
export interface LoadedCheckpoint {
  /** The validated manifest, as stored. */
  manifest: CheckpointManifest;
  /** The model's `type`-tagged config (the same object as `manifest.config`). */
  config: ModelConfig;
  /** Named preprocessors (a version-1 checkpoint's tokenizer appears as `tokenizer`). */
  preprocessors: Record<string, CodecJson>;
  /** Free-form JSON saved with the checkpoint (training state, metrics, provenance). */
  metadata: JsonObject;
  /** Weights by name, in saved order. */
  weights: Record<string, WeightArray>;
}

/** Limits and checks applied while loading a checkpoint; every limit defaults to {@link DEFAULT_LIMITS}. */
export interface LoadCheckpointOptions extends Partial<CheckpointLimits> {
  /** Accept NaN/Inf weights instead of refusing them (default false). */
  allowNonFinite?: boolean;
  /**
   * Called with the validated manifest before any weight byte is read; throw
   * to refuse the checkpoint (a model loader checks its config against the
   * weights' names and shapes here, before building anything).
   */
  checkManifest?: (manifest: CheckpointManifest, path: string) => void;
}

/**
 * Where a checkpoint can be loaded from: a path (Node: a folder or a `.seqgen`
 * file), an `http(s):`/`blob:`/`data:` URL (a `.seqgen` file, or a folder
 * whose files are fetched relative to it), `indexeddb://name`, or the bytes of
 * a `.seqgen` file (`ArrayBuffer`, `Uint8Array` or another view, `Blob`).
 */
export type CheckpointSource = string | URL | ArrayBuffer | ArrayBufferView | Blob;

/** How errors name an in-memory checkpoint. */
const BYTES_SOURCE = '(checkpoint bytes)';

/**
 * Loads a checkpoint from any {@link CheckpointSource}, trusting nothing in it:
 * sizes are checked before anything is buffered, JSON is parsed as data only,
 * every weight file must match its SHA-256, and shapes and dtypes must add up.
 * Any problem is a {@link CheckpointError} saying what and where.
 */
export async function loadCheckpoint(
  source: CheckpointSource,
  options: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  const limits: CheckpointLimits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  const check = options.checkManifest;
  let shown: string;
  let read: Promise<{ manifest: CheckpointManifest; payload: Uint8Array }>;
  if (typeof source === 'string' && isIndexedDbLocation(source)) {
    shown = source;
    read = readIndexedDb(source).then((bytes) => decodeSingleFile(bytes, source, limits, check));
  } else if (source instanceof URL || (typeof source === 'string' && /^(https?|blob|data):/i.test(source))) {
    const url = new URL(source);
    shown = url.href;
    read = fetchCheckpoint(url, limits, check);
  } else if (typeof source === 'string') {
    shown = source;
    read = platform.readCheckpointFile(source, limits, check);
  } else {
    shown = BYTES_SOURCE;
    read = bytesOf(source, limits).then((bytes) => decodeSingleFile(bytes, BYTES_SOURCE, limits, check));
  }
  const { manifest, payload } = await read;
  const specs = manifest.weightsManifest.flatMap((group) => group.weights);
  const weights = decodeWeights(specs, payload);
  if (!options.allowNonFinite) {
    for (const [name, w] of Object.entries(weights)) {
      const bad = findNonFinite(w);
      if (bad)
        throw new CheckpointError(
          'non-finite',
          shown,
          `weight ${describeValue(name)} holds ${bad[1]} at index ${bad[0]}`,
        );
    }
  }
  return {
    manifest,
    config: manifest.config,
    preprocessors: manifest.preprocessors,
    metadata: manifest.metadata,
    weights,
  };
}

/** The bytes of an in-memory source; a Blob over the size limit is refused before it is read. */
async function bytesOf(source: unknown, limits: CheckpointLimits): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const limit = maxSingleFileBytes(limits);
    if (source.size > limit) {
      throw new CheckpointError(
        'too-large',
        BYTES_SOURCE,
        `the Blob is ${source.size} bytes, over the limit of ${limit}`,
      );
    }
    return new Uint8Array(await source.arrayBuffer());
  }
  throw new ConfigError(
    'source',
    `expected a path, a URL, "indexeddb://name", an ArrayBuffer, a Uint8Array or a Blob, got ${describeValue(source)}`,
  );
}

function definedOnly(options: LoadCheckpointOptions): Partial<CheckpointLimits> {
  const out: Partial<CheckpointLimits> = {};
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof CheckpointLimits>) {
    const v = options[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
