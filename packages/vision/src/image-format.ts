import { VisionDataError } from './vision-data-error.js';

/** Image formats recognised by their magic bytes; only `png` and `jpeg` can be decoded. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp' | 'tiff' | 'unknown';

/** The format and size an image's header declares, read before any pixel is decoded. */
export type ImageHeader = {
  /** The sniffed format. */
  format: 'png' | 'jpeg';
  /** Declared width in pixels. */
  width: number;
  /** Declared height in pixels. */
  height: number;
  /** Declared colour components (JPEG: 1 gray, 3 YCbCr, 4 CMYK; PNG: 1–4 with alpha). */
  components: number;
};

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Names the image format of `bytes` from its magic bytes (`'unknown'` when none matches). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat {
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('BM'))) return 'bmp';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  return 'unknown';
}

const PNG_COMPONENTS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

function pngHeader(bytes: Uint8Array, name: string): ImageHeader {
  // Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4) + depth + colour type.
  if (bytes.length < 26) throw new VisionDataError('truncated', name, 'PNG ends inside its IHDR header');
  if (!startsWith(bytes, ascii('IHDR'), 12)) throw new VisionDataError('corrupt', name, 'PNG does not start with IHDR');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const components = PNG_COMPONENTS[bytes[25] as number];
  if (components === undefined) throw new VisionDataError('corrupt', name, `PNG colour type ${bytes[25]} is invalid`);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), components };
}

function jpegHeader(bytes: Uint8Array, name: string): ImageHeader {
  // Walk the marker segments up to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new VisionDataError('corrupt', name, `JPEG marker expected at byte ${at}`);
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    if (length < 2) throw new VisionDataError('corrupt', name, `JPEG segment at byte ${at} has length ${length}`);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 10 > bytes.length) break;
      const height = ((bytes[at + 5] as number) << 8) | (bytes[at + 6] as number);
      const width = ((bytes[at + 7] as number) << 8) | (bytes[at + 8] as number);
      return { format: 'jpeg', width, height, components: bytes[at + 9] as number };
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image or scan before any frame
    at += 2 + length;
  }
  throw new VisionDataError('truncated', name, 'JPEG has no frame header (SOF) before its data ends');
}

/**
 * Reads the format and declared size of a PNG or JPEG without decoding its
 * pixels, so that huge images are refused before memory is spent on them.
 * Other formats are a `VisionDataError` `'unsupported-format'` naming the format.
 */
export function readImageHeader(bytes: Uint8Array, name = 'image'): ImageHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw new VisionDataError('corrupt', name, `image bytes must be a Uint8Array, got ${typeof bytes}`);
  }
  if (bytes.length === 0) throw new VisionDataError('empty', name, 'image file is empty (0 bytes)');
  const format = sniffImageFormat(bytes);
  if (format === 'png') return pngHeader(bytes, name);
  if (format === 'jpeg') return jpegHeader(bytes, name);
  const what = format === 'unknown' ? 'an unrecognised format (no PNG or JPEG signature)' : format.toUpperCase();
  throw new VisionDataError(
    'unsupported-format',
    name,
    `is ${what}; only PNG and JPEG can be decoded (convert it first)`,
  );
}
