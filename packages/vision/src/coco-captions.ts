import { join } from 'node:path';
import type { CaptionDatasetOptions, CaptionedImage } from './captioned-image.js';
import { checkImageFiles, readAnnotationText } from './captioned-image.js';
import { VisionDataError } from './vision-data-error.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses COCO-style caption annotations (`captions_train2017.json` and the
 * same layout other datasets use): `{ images: [{ id, file_name }], annotations:
 * [{ image_id, caption }] }`. Images keep the file's order; images without
 * captions are left out. Malformed records (a missing field, an annotation
 * for an unknown image, a duplicate image id) are a `VisionDataError`
 * `'bad-record'` naming the record.
 */
export function parseCocoCaptions(json: unknown, imageDir: string, source = 'captions.json'): CaptionedImage[] {
  if (!isObject(json)) throw new VisionDataError('bad-record', source, 'COCO captions must be a JSON object');
  const { images, annotations } = json;
  if (!Array.isArray(images)) throw new VisionDataError('bad-record', source, '"images" must be an array');
  if (!Array.isArray(annotations)) throw new VisionDataError('bad-record', source, '"annotations" must be an array');
  const byId = new Map<string, CaptionedImage>();
  images.forEach((image, i) => {
    if (
      !isObject(image) ||
      (typeof image.id !== 'number' && typeof image.id !== 'string') ||
      typeof image.file_name !== 'string' ||
      image.file_name === ''
    ) {
      throw new VisionDataError(
        'bad-record',
        source,
        `images[${i}] needs an "id" (number or string) and a non-empty "file_name"`,
      );
    }
    if (image.file_name.split(/[\\/]/).includes('..') || image.file_name.startsWith('/')) {
      throw new VisionDataError(
        'bad-record',
        source,
        `images[${i}].file_name "${image.file_name}" leaves the image folder`,
      );
    }
    const id = String(image.id);
    if (byId.has(id)) throw new VisionDataError('bad-record', source, `images[${i}] repeats image id ${id}`);
    byId.set(id, { id, fileName: image.file_name, path: join(imageDir, image.file_name), captions: [] });
  });
  annotations.forEach((annotation, i) => {
    if (
      !isObject(annotation) ||
      (typeof annotation.image_id !== 'number' && typeof annotation.image_id !== 'string') ||
      typeof annotation.caption !== 'string'
    ) {
      throw new VisionDataError('bad-record', source, `annotations[${i}] needs an "image_id" and a string "caption"`);
    }
    const item = byId.get(String(annotation.image_id));
    if (!item)
      throw new VisionDataError(
        'bad-record',
        source,
        `annotations[${i}] refers to image id ${annotation.image_id}, which "images" does not list`,
      );
    const caption = annotation.caption.trim();
    if (caption !== '') item.captions.push(caption);
  });
  return [...byId.values()].filter((item) => item.captions.length > 0);
}

/**
 * Reads a COCO-style caption file and its image folder (see
 * {@link parseCocoCaptions}); by default every listed image file must exist.
 * Invalid JSON is a `VisionDataError` `'corrupt'`.
 */
export async function readCocoCaptions(
  jsonPath: string,
  imageDir: string,
  options: CaptionDatasetOptions = {},
): Promise<CaptionedImage[]> {
  const text = await readAnnotationText(jsonPath, options.maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new VisionDataError('corrupt', jsonPath, `is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const items = parseCocoCaptions(json, imageDir, jsonPath);
  if (options.checkImages ?? true) await checkImageFiles(items, jsonPath);
  return items;
}
