import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { fileKind } from '@seqgen/core';
import { VideoDataError } from './video-data-error.js';

/**
 * Reads a whole regular file of at most `maxBytes`, refusing FIFOs, devices
 * and folders (whose reads may never end) and anything larger before reading
 * it: every failure is a `VideoDataError` naming the path.
 */
export function readFileChecked(path: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK so that opening a FIFO with no writer does not block forever.
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VideoDataError('not-found', path, 'no such file', { cause });
    throw new VideoDataError('io', path, `cannot open (${code ?? (cause as Error).message})`, { cause });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new VideoDataError('not-a-file', path, `is ${fileKind(stats)}, not a regular file`);
    if (stats.size > maxBytes) {
      throw new VideoDataError('too-large', path, `${stats.size} bytes, more than maxFileBytes ${maxBytes}`);
    }
    const bytes = new Uint8Array(stats.size);
    let offset = 0;
    while (offset < bytes.length) {
      const n = readSync(fd, bytes, offset, bytes.length - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return offset === bytes.length ? bytes : bytes.subarray(0, offset);
  } catch (cause) {
    if (cause instanceof VideoDataError) throw cause;
    throw new VideoDataError('io', path, `cannot read (${(cause as Error).message})`, { cause });
  } finally {
    closeSync(fd);
  }
}
