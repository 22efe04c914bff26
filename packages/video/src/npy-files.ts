import { decodeNpy, encodeNpy, type NpyArray } from './npy.js';
import { readFileChecked } from './read-file-checked.js';
import { DEFAULT_VIDEO_LIMITS } from './video-limits.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Reads a NumPy `.npy` file ({@link decodeNpy}) of at most `maxFileBytes` (default 1 GiB). */
export function readNpy(path: string, options: { maxFileBytes?: number } = {}): NpyArray {
  return decodeNpy(readFileChecked(path, options.maxFileBytes ?? DEFAULT_VIDEO_LIMITS.maxFileBytes), path);
}

/** Writes an array as a NumPy `.npy` v1.0 file ({@link encodeNpy}), atomically. */
export function writeNpy(path: string, array: NpyArray): void {
  writeFileAtomic(path, encodeNpy(array));
}
