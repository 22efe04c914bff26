import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CodecJson } from '../contracts/codec.js';
import { CheckpointError } from '../errors.js';
import {
  type CheckpointLimits,
  type CheckpointManifest,
  DEFAULT_LIMITS,
  EMBEDDED_PAYLOAD,
  MANIFEST_FILE,
  type ModelConfig,
  SINGLE_FILE_MAGIC,
  validateManifest,
} from './format.js';
import { type JsonObject, parseJsonStrict } from './safe-json.js';
import { decodeWeights, findNonFinite, type WeightArray } from './weights.js';

export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  config: ModelConfig;
  /** Named preprocessors (a version-1 checkpoint's tokenizer appears as `tokenizer`). */
  preprocessors: Record<string, CodecJson>;
  metadata: JsonObject;
  /** Weights by name, in saved order. */
  weights: Record<string, WeightArray>;
}

export interface LoadCheckpointOptions extends Partial<CheckpointLimits> {
  /** Accept NaN/Inf weights instead of refusing them (default false). */
  allowNonFinite?: boolean;
}

/**
 * Loads a checkpoint folder or `.seqgen` file, trusting nothing in it: sizes
 * are checked before anything is read into memory, JSON is parsed as data
 * only, every weight file must match its SHA-256, and shapes and dtypes must
 * add up. Any problem is a {@link CheckpointError} saying what and where.
 */
export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const limits: CheckpointLimits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new CheckpointError('not-found', path, 'does not exist or cannot be read', { cause: error });
  }
  const { manifest, payload } = stats.isDirectory()
    ? readFolder(path, limits)
    : readSingleFile(path, stats.size, limits);
  const specs = manifest.weightsManifest.flatMap((group) => group.weights);
  const weights = decodeWeights(specs, payload);
  if (!options.allowNonFinite) {
    for (const [name, w] of Object.entries(weights)) {
      const bad = findNonFinite(w);
      if (bad) throw new CheckpointError('non-finite', path, `weight "${name}" holds ${bad[1]} at index ${bad[0]}`);
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

function readFolder(dir: string, limits: CheckpointLimits): { manifest: CheckpointManifest; payload: Uint8Array } {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestSize = sizeOf(manifestPath, `${MANIFEST_FILE} is missing`);
  if (manifestSize > limits.maxManifestBytes) {
    throw new CheckpointError(
      'too-large',
      manifestPath,
      `is ${manifestSize} bytes, over the limit of ${limits.maxManifestBytes}`,
    );
  }
  const manifest = parseManifest(readExactly(manifestPath, 0, manifestSize), manifestPath, limits);
  const parts: Uint8Array[] = [];
  for (const group of manifest.weightsManifest) {
    for (const file of group.paths) {
      const info = manifest.weightFiles[file] as { bytes: number; sha256: string };
      const filePath = join(dir, file);
      const size = sizeOf(filePath, `weight file ${file} is missing`);
      if (size < info.bytes)
        throw new CheckpointError('truncated', filePath, `holds ${size} bytes, manifest says ${info.bytes}`);
      if (size > info.bytes)
        throw new CheckpointError('corrupt', filePath, `holds ${size} bytes, manifest says ${info.bytes}`);
      const bytes = readExactly(filePath, 0, size);
      checkHash(bytes, info.sha256, filePath);
      parts.push(bytes);
    }
  }
  return { manifest, payload: concat(parts) };
}

function readSingleFile(
  path: string,
  size: number,
  limits: CheckpointLimits,
): { manifest: CheckpointManifest; payload: Uint8Array } {
  if (size < 16) throw new CheckpointError('truncated', path, `is ${size} bytes, shorter than the 16-byte header`);
  const header = Buffer.from(readExactly(path, 0, 16));
  if (header.toString('ascii', 0, 8) !== SINGLE_FILE_MAGIC) {
    throw new CheckpointError(
      'corrupt',
      path,
      `does not start with the ${SINGLE_FILE_MAGIC} magic: not a seqgen checkpoint file`,
    );
  }
  const manifestBytes = header.readUInt32LE(12);
  if (manifestBytes > limits.maxManifestBytes) {
    throw new CheckpointError(
      'too-large',
      path,
      `declares a ${manifestBytes}-byte manifest, over the limit of ${limits.maxManifestBytes}`,
    );
  }
  if (16 + manifestBytes > size)
    throw new CheckpointError('truncated', path, `ends inside its ${manifestBytes}-byte manifest`);
  const manifest = parseManifest(readExactly(path, 16, manifestBytes), path, limits);
  const files = manifest.weightsManifest.flatMap((g) => g.paths);
  if (files.length !== 1 || files[0] !== EMBEDDED_PAYLOAD) {
    throw new CheckpointError(
      'invalid-manifest',
      path,
      `a single-file checkpoint must embed exactly one "${EMBEDDED_PAYLOAD}"`,
    );
  }
  const info = manifest.weightFiles[EMBEDDED_PAYLOAD] as { bytes: number; sha256: string };
  const expected = 16 + manifestBytes + info.bytes;
  if (size < expected)
    throw new CheckpointError('truncated', path, `is ${size} bytes, its header and manifest say ${expected}`);
  if (size > expected)
    throw new CheckpointError('corrupt', path, `has ${size - expected} unexpected bytes after the weights`);
  const payload = readExactly(path, 16 + manifestBytes, info.bytes);
  checkHash(payload, info.sha256, path);
  return { manifest, payload };
}

function parseManifest(bytes: Uint8Array, path: string, limits: CheckpointLimits): CheckpointManifest {
  let value: ReturnType<typeof parseJsonStrict>;
  try {
    value = parseJsonStrict(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new CheckpointError('bad-json', path, `manifest is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return validateManifest(value, path, limits);
}

function checkHash(bytes: Uint8Array, sha256: string, path: string): void {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) {
    throw new CheckpointError(
      'hash-mismatch',
      path,
      `SHA-256 is ${actual}, manifest says ${sha256}: the file was changed or damaged`,
    );
  }
}

function sizeOf(path: string, missing: string): number {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error('not a file');
    return stats.size;
  } catch (error) {
    throw new CheckpointError('not-found', path, missing, { cause: error });
  }
}

function readExactly(path: string, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new CheckpointError('io', path, `cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  try {
    let read = 0;
    while (read < length) {
      const n = readSync(fd, out, read, length - read, position + read);
      if (n === 0) throw new CheckpointError('truncated', path, `ended after ${read} of ${length} bytes`);
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function definedOnly(options: LoadCheckpointOptions): Partial<CheckpointLimits> {
  const out: Partial<CheckpointLimits> = {};
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof CheckpointLimits>) {
    const v = options[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
