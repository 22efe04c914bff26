import { CheckpointError, ConfigError } from '../errors.js';
import { platform } from '../platform/node.js';
import { describeValue } from '../validate.js';
import type { CheckpointManifest } from './format.js';
import { isIndexedDbLocation, writeIndexedDb } from './indexeddb.js';
import { type CheckpointData, prepareCheckpoint } from './prepare.js';
import { encodeSingleFile } from './single-file.js';

export type { CheckpointData } from './prepare.js';

/** How {@link saveCheckpoint} shards weights and whether it accepts non-finite values. */
export interface SaveCheckpointOptions {
  /** Largest weight file in the folder layout, in bytes (default 64 MiB); larger payloads are sharded. */
  shardBytes?: number;
  /** Write NaN/Inf weights instead of refusing (default false). */
  allowNonFinite?: boolean;
}

/**
 * Saves a checkpoint. `location` is
 * - `indexeddb://name`: the single-file form, stored in the browser's IndexedDB
 *   (replaced in one transaction);
 * - a path (Node only): ending in `.seqgen`, one file; otherwise a folder
 *   holding `checkpoint.json` and weight shards. Either is written atomically:
 *   a process killed at any moment leaves the previous checkpoint loadable.
 *
 * For bytes to upload or download, see {@link encodeCheckpoint}. Refuses
 * non-finite weights unless `allowNonFinite` is set.
 */
export async function saveCheckpoint(
  location: string,
  data: CheckpointData,
  options: SaveCheckpointOptions = {},
): Promise<CheckpointManifest> {
  if (typeof location !== 'string' || location === '') {
    throw new ConfigError('location', `expected a path or "indexeddb://name", got ${describeValue(location)}`);
  }
  const prepared = await prepareCheckpoint(location, data, options.allowNonFinite ?? false);
  try {
    if (isIndexedDbLocation(location)) {
      const manifest = await prepared.singleFileManifest();
      await writeIndexedDb(location, encodeSingleFile(manifest, prepared.bytes));
      return manifest;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
      throw new ConfigError(
        'location',
        `cannot save to ${describeValue(location)}: use a file path (Node), "indexeddb://name", or encodeCheckpoint() for bytes to upload`,
      );
    }
    return await platform.writeCheckpointFile(location, prepared, options.shardBytes ?? 64 * 1024 * 1024);
  } catch (error) {
    if (error instanceof CheckpointError || error instanceof ConfigError) throw error;
    throw new CheckpointError('io', location, `could not be written: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The checkpoint as the bytes of one `.seqgen` file, for a download, an upload,
 * a `Blob`, or any store of your own; {@link loadCheckpoint} reads them back.
 * Same checks as {@link saveCheckpoint}.
 */
export async function encodeCheckpoint(
  data: CheckpointData,
  options: Pick<SaveCheckpointOptions, 'allowNonFinite'> = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const prepared = await prepareCheckpoint('(checkpoint bytes)', data, options.allowNonFinite ?? false);
  return encodeSingleFile(await prepared.singleFileManifest(), prepared.bytes);
}
