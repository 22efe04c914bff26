import { readFileSync, statSync } from 'node:fs';
import { InputError } from '@seqgen/app-kit';
import { decodeImage, type Image, toGrayscale } from '@seqgen/vision';

/** Largest image file read (bytes): anything bigger is refused before it is read. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
/** Largest image decoded (pixels, checked from the header before decoding). */
export const MAX_IMAGE_PIXELS = 40_000_000;

/**
 * Reads a PNG or JPEG file as gray pixels (the caption command resizes
 * them to the model's input). Missing, empty, huge, corrupt or unsupported files are
 * an error naming the file (vision's `VisionDataError`, or an `InputError`).
 */
export function readImageFile(path: string): { original: Image; input: Image } {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError(`${path}: not a file`, path);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: no such image file`, path, { cause: error });
  }
  if (size > MAX_IMAGE_BYTES) {
    throw new InputError(`${path}: ${size} bytes, over the ${MAX_IMAGE_BYTES}-byte limit for an image`, path);
  }
  const original = decodeImage(readFileSync(path), { name: path, maxPixels: MAX_IMAGE_PIXELS });
  return { original, input: toGrayscale(original) };
}
