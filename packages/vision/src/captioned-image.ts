import { readFile, stat } from 'node:fs/promises';
import type { DecodeImageOptions } from './decode-image.js';
import { decodeImage } from './decode-image.js';
import type { Image } from './image.js';
import { VisionDataError } from './vision-data-error.js';

/** One image of a caption dataset and its reference captions. */
export type CaptionedImage = {
  /** The dataset's id for the image (COCO `id`; Flickr8k: the file name). */
  id: string;
  /** File name as the dataset lists it. */
  fileName: string;
  /** Path of the image file (the image folder joined with `fileName`). */
  path: string;
  /** Reference captions, in the dataset's order. */
  captions: string[];
};

/** Options shared by the caption-dataset readers. */
export type CaptionDatasetOptions = {
  /** Check that every image file exists (default true): a missing one is a `VisionDataError` `'not-found'` naming it. */
  checkImages?: boolean;
  /** Largest annotation file accepted, in bytes (default 512 MiB). */
  maxBytes?: number;
};

/** Default {@link CaptionDatasetOptions.maxBytes}: 512 MiB. */
export const DEFAULT_MAX_ANNOTATION_BYTES = 512 * 2 ** 20;

/** Reads an annotation file as UTF-8 text with typed errors for missing, unreadable and oversized files. */
export async function readAnnotationText(path: string, maxBytes = DEFAULT_MAX_ANNOTATION_BYTES): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new VisionDataError('io', path, 'is not a regular file');
    size = info.size;
  } catch (cause) {
    if (cause instanceof VisionDataError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new VisionDataError(
      code === 'ENOENT' ? 'not-found' : 'io',
      path,
      `could not be read (${code ?? (cause as Error).message})`,
      { cause },
    );
  }
  if (size > maxBytes)
    throw new VisionDataError('too-large', path, `is ${size} bytes, above the ${maxBytes}-byte limit`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path)).replace(/^\uFEFF/, '');
  } catch (cause) {
    throw new VisionDataError('corrupt', path, `is not UTF-8 text: ${(cause as Error).message}`, { cause });
  }
}

/** Throws `VisionDataError` `'not-found'` for the first image whose file is missing. */
export async function checkImageFiles(items: readonly CaptionedImage[], source: string): Promise<void> {
  for (const item of items) {
    try {
      const info = await stat(item.path);
      if (!info.isFile()) throw new Error('not a regular file');
    } catch (cause) {
      throw new VisionDataError(
        'not-found',
        source,
        `image "${item.fileName}" (id ${item.id}) is missing: ${item.path}`,
        { cause },
      );
    }
  }
}

/** Reads and decodes a dataset image (PNG or JPEG), with {@link decodeImage}'s typed errors naming its path. */
export async function loadCaptionedImage(
  item: CaptionedImage,
  options: Omit<DecodeImageOptions, 'name'> = {},
): Promise<Image> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(item.path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new VisionDataError(
      code === 'ENOENT' ? 'not-found' : 'io',
      item.path,
      `could not be read (${code ?? (cause as Error).message})`,
      { cause },
    );
  }
  return decodeImage(bytes, { ...options, name: item.path });
}
