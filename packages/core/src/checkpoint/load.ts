import { createHash } from 'node:crypto';
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { CodecJson } from '../contracts/codec.js';
import { CheckpointError } from '../errors.js';
import { fileKind } from '../file-kind.js';
import { describeValue } from '../validate.js';
import {
  type CheckpointLimits,
  type CheckpointManifest,
  DEFAULT_LIMITS,
  EMBEDDED_PAYLOAD,
  MANIFEST_FILE,
  type ModelConfig,
  READABLE_FORMAT_VERSIONS,
  SINGLE_FILE_EXTENSION,
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
  /**
   * Called with the validated manifest before any weight byte is read; throw
   * to refuse the checkpoint (a model loader checks its config against the
   * weights' names and shapes here, before building anything).
   */
  checkManifest?: (manifest: CheckpointManifest, path: string) => void;
}

/**
 * Loads a checkpoint folder or `.seqgen` file, trusting nothing in it: sizes
 * are checked before anything is read into memory, JSON is parsed as data
 * only, every weight file must match its SHA-256, and shapes and dtypes must
 * add up. Any problem is a {@link CheckpointError} saying what and where.
 */
export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const limits: CheckpointLimits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new CheckpointError('not-found', path, 'does not exist or cannot be read', { cause: error });
  }
  if (!stats.isDirectory() && !stats.isFile()) {
    throw new CheckpointError(
      'io',
      path,
      `is ${fileKind(stats)}, not a checkpoint folder or a regular ${SINGLE_FILE_EXTENSION} file`,
    );
  }
  const check = options.checkManifest;
  const { manifest, payload } = stats.isDirectory()
    ? readFolder(path, limits, check)
    : readSingleFile(path, limits, check);
  const specs = manifest.weightsManifest.flatMap((group) => group.weights);
  const weights = decodeWeights(specs, payload);
  if (!options.allowNonFinite) {
    for (const [name, w] of Object.entries(weights)) {
      const bad = findNonFinite(w);
      if (bad)
        throw new CheckpointError(
          'non-finite',
          path,
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

type ManifestCheck = LoadCheckpointOptions['checkManifest'];

function readFolder(
  dir: string,
  limits: CheckpointLimits,
  check: ManifestCheck,
): { manifest: CheckpointManifest; payload: Uint8Array } {
  const root = realFolder(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestFile = openInside(root, manifestPath, MANIFEST_FILE);
  let manifest: CheckpointManifest;
  try {
    if (manifestFile.size > limits.maxManifestBytes) {
      throw new CheckpointError(
        'too-large',
        manifestPath,
        `is ${manifestFile.size} bytes, over the limit of ${limits.maxManifestBytes}`,
      );
    }
    const bytes = readExactly(manifestFile, 0, manifestFile.size);
    expectEnd(manifestFile, manifestFile.size);
    manifest = parseManifest(bytes, manifestPath, limits);
  } finally {
    closeSync(manifestFile.fd);
  }
  check?.(manifest, dir);
  const parts: Uint8Array[] = [];
  for (const group of manifest.weightsManifest) {
    for (const file of group.paths) {
      const info = manifest.weightFiles[file] as { bytes: number; sha256: string };
      const filePath = join(dir, file);
      const opened = openInside(root, filePath, `weight file ${file}`);
      try {
        if (opened.size < info.bytes)
          throw new CheckpointError('truncated', filePath, `holds ${opened.size} bytes, manifest says ${info.bytes}`);
        if (opened.size > info.bytes)
          throw new CheckpointError('corrupt', filePath, `holds ${opened.size} bytes, manifest says ${info.bytes}`);
        const bytes = readExactly(opened, 0, info.bytes);
        expectEnd(opened, info.bytes);
        checkHash(bytes, info.sha256, filePath);
        parts.push(bytes);
      } finally {
        closeSync(opened.fd);
      }
    }
  }
  return { manifest, payload: concat(parts) };
}

function readSingleFile(
  path: string,
  limits: CheckpointLimits,
  check: ManifestCheck,
): { manifest: CheckpointManifest; payload: Uint8Array } {
  // The user named this file, so a symlink is followed; it must still be a regular file.
  const file = openRegular(path, path, 'the checkpoint file');
  try {
    const { size } = file;
    if (size < 16) throw new CheckpointError('truncated', path, `is ${size} bytes, shorter than the 16-byte header`);
    const header = Buffer.from(readExactly(file, 0, 16));
    if (header.toString('ascii', 0, 8) !== SINGLE_FILE_MAGIC) {
      throw new CheckpointError(
        'corrupt',
        path,
        `does not start with the ${SINGLE_FILE_MAGIC} magic: not a seqgen checkpoint file`,
      );
    }
    const version = header.readUInt32LE(8);
    if (!READABLE_FORMAT_VERSIONS.includes(version)) {
      throw new CheckpointError(
        'unsupported-version',
        path,
        `header says format version ${version}, which is not supported (this @seqgen/core reads versions ${READABLE_FORMAT_VERSIONS.join(', ')})`,
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
    const manifest = parseManifest(readExactly(file, 16, manifestBytes), path, limits);
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
    check?.(manifest, path);
    const payload = readExactly(file, 16 + manifestBytes, info.bytes);
    expectEnd(file, expected);
    checkHash(payload, info.sha256, path);
    return { manifest, payload };
  } finally {
    closeSync(file.fd);
  }
}

function parseManifest(bytes: Uint8Array, path: string, limits: CheckpointLimits): CheckpointManifest {
  let value: ReturnType<typeof parseJsonStrict>;
  try {
    value = parseJsonStrict(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new CheckpointError('bad-json', path, `manifest is not valid JSON: ${jsonProblem(error)}`, {
      cause: error,
    });
  }
  return validateManifest(value, path, limits);
}

/**
 * What was wrong with a manifest's JSON, without quoting it: V8's messages
 * echo the text around the error, and the file may not be what the user meant
 * to show anyone.
 */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const forbidden = /^forbidden key "(__proto__|constructor|prototype)"$/.exec(message);
  if (forbidden) return message;
  if (error instanceof TypeError) return 'it is not UTF-8 text';
  if (/Unexpected end of JSON input/i.test(message)) return 'it ends before the JSON is complete';
  const position = /at position (\d+)/.exec(message);
  return position ? `syntax error at character ${position[1]}` : 'syntax error';
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

interface OpenFile {
  fd: number;
  /** Size when opened. */
  size: number;
  path: string;
}

/** The folder's real path, against which every file it names is checked. */
function realFolder(dir: string): string {
  try {
    return realpathSync(dir);
  } catch (error) {
    throw new CheckpointError('not-found', dir, 'does not exist or cannot be read', { cause: error });
  }
}

/**
 * Opens a file the checkpoint folder names: after following any symlinks it
 * must still lie inside the folder (else 'unsafe-path') and be a regular file.
 */
function openInside(root: string, path: string, label: string): OpenFile {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && isDanglingLink(path)) {
      throw new CheckpointError('unsafe-path', path, `${label} is a symlink to a missing file`, { cause: error });
    }
    throw new CheckpointError('not-found', path, `${label} is missing`, { cause: error });
  }
  const rel = relative(root, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new CheckpointError(
      'unsafe-path',
      path,
      `${label} is a symlink that leads outside the checkpoint folder; refusing to read it`,
    );
  }
  return openRegular(real, path, label);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Opens `real` for reading only when it is a regular file: checked before
 * opening (so a FIFO is never opened and cannot block), and again on the open
 * descriptor (so a file swapped in between is caught). `shown` is the path errors name.
 */
function openRegular(real: string, shown: string, label: string): OpenFile {
  let before: Stats;
  try {
    before = statSync(real);
  } catch (error) {
    throw new CheckpointError('not-found', shown, `${label} is missing`, { cause: error });
  }
  if (!before.isFile()) {
    throw new CheckpointError('io', shown, `${label} is ${fileKind(before)}, not a regular file`);
  }
  let fd: number;
  try {
    // O_NONBLOCK: should a FIFO be swapped in after the check, opening it must not wait for a writer.
    fd = openSync(real, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new CheckpointError(
      'io',
      shown,
      `${label} cannot be opened: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        cause: error,
      },
    );
  }
  try {
    const after = fstatSync(fd);
    if (!after.isFile() || after.ino !== before.ino || after.dev !== before.dev) {
      throw new CheckpointError('io', shown, `${label} was replaced while being opened`);
    }
    return { fd, size: after.size, path: shown };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads exactly `length` bytes at `position`; never more, whatever the file claims. */
function readExactly(file: OpenFile, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let read = 0;
  while (read < length) {
    const n = readAt(file, out, read, length - read, position + read);
    if (n === 0) throw new CheckpointError('truncated', file.path, `ended after ${read} of ${length} bytes`);
    read += n;
  }
  return out;
}

/** Checks that the file ends at `end`: one more byte means it grew (or lied about its size) while being read. */
function expectEnd(file: OpenFile, end: number): void {
  if (readAt(file, new Uint8Array(1), 0, 1, end) !== 0) {
    throw new CheckpointError(
      'corrupt',
      file.path,
      `holds more than the ${end} bytes expected: it grew while being read`,
    );
  }
}

function readAt(file: OpenFile, into: Uint8Array, offset: number, length: number, position: number): number {
  try {
    return readSync(file.fd, into, offset, length, position);
  } catch (error) {
    throw new CheckpointError('io', file.path, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
      cause: error,
    });
  }
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
