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
import { CheckpointError } from '../errors.js';
import { fileKind } from '../file-kind.js';
import { type CheckpointLimits, type CheckpointManifest, MANIFEST_FILE, SINGLE_FILE_EXTENSION } from './format.js';
import { checkHash, embeddedPayload, HEADER_BYTES, parseManifest, readHeader } from './single-file.js';

/** Called with the validated manifest before any weight byte is read; throws to refuse it. */
export type ManifestCheck = ((manifest: CheckpointManifest, path: string) => void) | undefined;

/**
 * Reads a checkpoint folder or `.seqgen` file from disk (Node only), trusting
 * nothing in it: regular files only, symlinks kept inside the folder, sizes
 * checked before anything is read into memory, and every weight file's SHA-256.
 */
export async function readCheckpointFile(
  path: string,
  limits: CheckpointLimits,
  check: ManifestCheck,
): Promise<{ manifest: CheckpointManifest; payload: Uint8Array }> {
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
  return stats.isDirectory() ? readFolder(path, limits, check) : readSingleFile(path, limits, check);
}

async function readFolder(
  dir: string,
  limits: CheckpointLimits,
  check: ManifestCheck,
): Promise<{ manifest: CheckpointManifest; payload: Uint8Array }> {
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
        await checkHash(bytes, info.sha256, filePath);
        parts.push(bytes);
      } finally {
        closeSync(opened.fd);
      }
    }
  }
  return { manifest, payload: concat(parts) };
}

async function readSingleFile(
  path: string,
  limits: CheckpointLimits,
  check: ManifestCheck,
): Promise<{ manifest: CheckpointManifest; payload: Uint8Array }> {
  // The user named this file, so a symlink is followed; it must still be a regular file.
  const file = openRegular(path, path, 'the checkpoint file');
  try {
    const { size } = file;
    const header = size < HEADER_BYTES ? new Uint8Array(0) : readExactly(file, 0, HEADER_BYTES);
    const manifestBytes = readHeader(header, size, path, limits);
    const manifest = parseManifest(readExactly(file, HEADER_BYTES, manifestBytes), path, limits);
    const { offset, info } = embeddedPayload(manifest, manifestBytes, size, path);
    check?.(manifest, path);
    const payload = readExactly(file, offset, info.bytes);
    expectEnd(file, offset + info.bytes);
    await checkHash(payload, info.sha256, path);
    return { manifest, payload };
  } finally {
    closeSync(file.fd);
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
