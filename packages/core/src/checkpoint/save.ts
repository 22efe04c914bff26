import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CodecJson } from '../contracts/codec.js';
import { CheckpointError } from '../errors.js';
import { assertPositiveInteger } from '../validate.js';
import { fsyncDirectory, TEMP_PREFIX, writeFileAtomic } from './atomic-file.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  EMBEDDED_PAYLOAD,
  MANIFEST_FILE,
  type ModelConfig,
  PREPROCESSOR_NAME,
  SINGLE_FILE_EXTENSION,
  SINGLE_FILE_MAGIC,
  type WeightFileInfo,
} from './format.js';
import type { JsonObject } from './safe-json.js';
import { encodeWeights, findNonFinite, toWeightArray, type WeightArray, type WeightInput } from './weights.js';

export interface CheckpointData {
  config: ModelConfig;
  /** Named preprocessors (codec JSON): `{ tokenizer }`, `{ source, target }`, `{ events }`… */
  preprocessors?: Record<string, CodecJson>;
  metadata?: JsonObject;
  /** Weights by name, saved in this order; tensors are read, not disposed. */
  weights: Record<string, WeightInput>;
}

export interface SaveCheckpointOptions {
  /** Largest weight file in the folder layout, in bytes (default 64 MiB); larger payloads are sharded. */
  shardBytes?: number;
  /** Write NaN/Inf weights instead of refusing (default false). */
  allowNonFinite?: boolean;
}

const SHARD_FILE = /^group\d+-shard\d+of\d+-[0-9a-f]{16}\.bin$/;

/**
 * Saves a checkpoint atomically. A path ending in `.seqgen` is written as one
 * file; any other path as a folder holding `checkpoint.json` and weight shards.
 * Either way a process killed at any moment leaves the previous checkpoint
 * loadable: new shards get new content-addressed names, and the manifest that
 * points at them is replaced in one rename (then stale shards are removed).
 * Refuses non-finite weights unless `allowNonFinite` is set.
 */
export async function saveCheckpoint(
  path: string,
  data: CheckpointData,
  options: SaveCheckpointOptions = {},
): Promise<CheckpointManifest> {
  if (typeof data.config?.type !== 'string' || data.config.type === '') {
    throw new CheckpointError('invalid-manifest', path, 'config must be an object with a non-empty string "type"');
  }
  const entries: Array<[string, WeightArray]> = [];
  for (const [name, value] of Object.entries(data.weights)) {
    if (name === '') throw new CheckpointError('invalid-weights', path, 'weight names must not be empty');
    const w = await toWeightArray(name, value, path);
    const bad = options.allowNonFinite ? undefined : findNonFinite(w);
    if (bad) {
      throw new CheckpointError(
        'non-finite',
        path,
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
    preprocessors: checkPreprocessors(data.preprocessors ?? {}, path),
    metadata: data.metadata ?? {},
  } as const;
  try {
    if (path.endsWith(SINGLE_FILE_EXTENSION)) {
      const manifest: CheckpointManifest = {
        ...base,
        weightsManifest: [{ paths: [EMBEDDED_PAYLOAD], weights: specs }],
        weightFiles: { [EMBEDDED_PAYLOAD]: fileInfo(bytes) },
      };
      const json = Buffer.from(JSON.stringify(manifest), 'utf8');
      const header = Buffer.alloc(16);
      header.write(SINGLE_FILE_MAGIC, 0, 'ascii');
      header.writeUInt32LE(CHECKPOINT_FORMAT_VERSION, 8);
      header.writeUInt32LE(json.byteLength, 12);
      writeFileAtomic(path, [header, json, bytes]);
      removeStaleTemps(dirname(path), `${TEMP_PREFIX}${basename(path)}-`);
      return manifest;
    }
    return saveFolder(path, base, specs, bytes, options.shardBytes ?? 64 * 1024 * 1024);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError('io', path, `could not be written: ${(error as Error).message}`, { cause: error });
  }
}

function saveFolder(
  dir: string,
  base: Omit<CheckpointManifest, 'weightsManifest' | 'weightFiles'>,
  specs: CheckpointManifest['weightsManifest'][number]['weights'],
  bytes: Uint8Array,
  shardBytes: number,
): CheckpointManifest {
  assertPositiveInteger('shardBytes', shardBytes);
  mkdirSync(dir, { recursive: true });
  if (!statSync(dir).isDirectory()) throw new CheckpointError('io', dir, 'exists and is not a folder');
  const count = Math.max(1, Math.ceil(bytes.byteLength / shardBytes));
  const paths: string[] = [];
  const weightFiles: Record<string, WeightFileInfo> = {};
  for (let i = 0; i < count; i++) {
    const shard = bytes.subarray(i * shardBytes, Math.min(bytes.byteLength, (i + 1) * shardBytes));
    const info = fileInfo(shard);
    const name = `group1-shard${i + 1}of${count}-${info.sha256.slice(0, 16)}.bin`;
    writeFileAtomic(join(dir, name), [shard]);
    paths.push(name);
    weightFiles[name] = info;
  }
  const manifest: CheckpointManifest = { ...base, weightsManifest: [{ paths, weights: specs }], weightFiles };
  // The commit point: until this rename, checkpoint.json still names the old, untouched shards.
  writeFileAtomic(join(dir, MANIFEST_FILE), [Buffer.from(JSON.stringify(manifest, null, 1), 'utf8')]);
  removeStaleTemps(dir, TEMP_PREFIX, (file) => SHARD_FILE.test(file) && !(file in weightFiles));
  return manifest;
}

/**
 * Deletes what an interrupted or superseded save left behind: temporary files
 * starting with `prefix`, and files `alsoRemove` selects. One writer per
 * checkpoint path is assumed, so no live save owns these files.
 */
function removeStaleTemps(dir: string, prefix: string, alsoRemove: (file: string) => boolean = () => false): void {
  let removed = false;
  for (const file of readdirSync(dir)) {
    if (file.startsWith(prefix) || alsoRemove(file)) {
      rmSync(join(dir, file), { force: true });
      removed = true;
    }
  }
  if (removed) fsyncDirectory(dir);
}

function fileInfo(bytes: Uint8Array): WeightFileInfo {
  return { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
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
