import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors.js';
import { assertPositiveInteger } from '../validate.js';
import { fsyncDirectory, TEMP_PREFIX, writeFileAtomic } from './atomic-file.js';
import { type CheckpointManifest, MANIFEST_FILE, SINGLE_FILE_EXTENSION, type WeightFileInfo } from './format.js';
import type { PreparedCheckpoint } from './prepare.js';
import { sha256Hex } from './sha256.js';
import { encodeSingleFile } from './single-file.js';

const SHARD_FILE = /^group\d+-shard\d+of\d+-[0-9a-f]{16}\.bin$/;

/**
 * Writes a prepared checkpoint to disk atomically (Node only). A path ending
 * in `.seqgen` is written as one file; any other path as a folder holding
 * `checkpoint.json` and weight shards. Either way a process killed at any
 * moment leaves the previous checkpoint loadable: new shards get new
 * content-addressed names, and the manifest that points at them is replaced in
 * one rename (then stale shards are removed).
 */
export async function writeCheckpointFile(
  path: string,
  prepared: PreparedCheckpoint,
  shardBytes: number,
): Promise<CheckpointManifest> {
  if (path.endsWith(SINGLE_FILE_EXTENSION)) {
    const manifest = await prepared.singleFileManifest();
    writeFileAtomic(path, [encodeSingleFile(manifest, prepared.bytes)]);
    removeStaleTemps(dirname(path), `${TEMP_PREFIX}${basename(path)}-`);
    return manifest;
  }
  return saveFolder(path, prepared, shardBytes);
}

async function saveFolder(dir: string, prepared: PreparedCheckpoint, shardBytes: number): Promise<CheckpointManifest> {
  assertPositiveInteger('shardBytes', shardBytes);
  const { bytes } = prepared;
  mkdirSync(dir, { recursive: true });
  if (!statSync(dir).isDirectory()) throw new CheckpointError('io', dir, 'exists and is not a folder');
  const count = Math.max(1, Math.ceil(bytes.byteLength / shardBytes));
  const paths: string[] = [];
  const weightFiles: Record<string, WeightFileInfo> = {};
  for (let i = 0; i < count; i++) {
    const shard = bytes.subarray(i * shardBytes, Math.min(bytes.byteLength, (i + 1) * shardBytes));
    const info: WeightFileInfo = { bytes: shard.byteLength, sha256: await sha256Hex(shard) };
    const name = `group1-shard${i + 1}of${count}-${info.sha256.slice(0, 16)}.bin`;
    writeFileAtomic(join(dir, name), [shard]);
    paths.push(name);
    weightFiles[name] = info;
  }
  const manifest: CheckpointManifest = {
    ...prepared.base,
    weightsManifest: [{ paths, weights: prepared.specs }],
    weightFiles,
  };
  // The commit point: until this rename, checkpoint.json still names the old, untouched shards.
  writeFileAtomic(join(dir, MANIFEST_FILE), [new TextEncoder().encode(JSON.stringify(manifest, null, 1))]);
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
