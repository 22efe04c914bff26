import { assertPositiveInteger } from '@seqgen/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { convertChannels } from './color-conversion.js';
import type { Image, ImageChannels } from './image.js';
import { readImageHeader } from './image-format.js';
import { VisionDataError } from './vision-data-error.js';

/** Default {@link DecodeImageOptions.maxPixels}: 50 megapixels (200 MB as RGBA). */
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** Options of {@link decodeImage}. */
export type DecodeImageOptions = {
  /** Name for error messages (a file path); default `'image'`. */
  name?: string;
  /** Largest `width × height` accepted, checked from the header before decoding; default {@link DEFAULT_MAX_PIXELS}. */
  maxPixels?: number;
  /** Convert to this many channels (1 gray, 3 RGB, 4 RGBA); default: what the file holds. */
  channels?: ImageChannels;
};

function decodePng(bytes: Uint8Array): Image {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // pngjs always hands back 8-bit RGBA; keep only the channels the file had.
  const rgba: Image = { width: png.width, height: png.height, channels: 4, data: new Uint8Array(png.data) };
  if (png.alpha) return rgba;
  return convertChannels(rgba, png.color ? 3 : 1);
}

function decodeJpeg(bytes: Uint8Array, components: number, maxPixels: number): Image {
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: Math.max(1, Math.ceil(maxPixels / 1e6)),
    maxMemoryUsageInMB: Math.max(64, Math.ceil((maxPixels * 8) / 2 ** 20)),
  });
  const rgb: Image = { width: decoded.width, height: decoded.height, channels: 3, data: decoded.data };
  // jpeg-js expands gray JPEGs to RGB; a one-component file stays gray.
  return components === 1 ? convertChannels(rgb, 1) : rgb;
}

/**
 * Decodes PNG or JPEG bytes (format sniffed from the magic bytes; `pngjs` and
 * `jpeg-js` do the decoding) into an 8-bit {@link Image}. Typed errors
 * (`VisionDataError`): `'empty'` for 0 bytes or a 0×0 image,
 * `'unsupported-format'` naming GIF/BMP/WebP/TIFF, `'too-large'` above
 * `maxPixels`, `'truncated'`/`'corrupt'` for damaged files.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Image {
  const name = options.name ?? 'image';
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  assertPositiveInteger('maxPixels', maxPixels);
  const header = readImageHeader(bytes, name);
  if (header.width === 0 || header.height === 0) {
    throw new VisionDataError(
      'empty',
      name,
      `${header.format.toUpperCase()} is ${header.width}×${header.height} pixels`,
    );
  }
  if (header.width * header.height > maxPixels) {
    throw new VisionDataError(
      'too-large',
      name,
      `${header.width}×${header.height} = ${header.width * header.height} pixels exceeds maxPixels ${maxPixels}`,
    );
  }
  let image: Image;
  try {
    image = header.format === 'png' ? decodePng(bytes) : decodeJpeg(bytes, header.components, maxPixels);
  } catch (cause) {
    if (cause instanceof VisionDataError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new VisionDataError('corrupt', name, `${header.format.toUpperCase()} could not be decoded: ${message}`, {
      cause,
    });
  }
  if (image.width !== header.width || image.height !== header.height || image.data.length === 0) {
    throw new VisionDataError(
      'corrupt',
      name,
      `decoded ${image.width}×${image.height}, header said ${header.width}×${header.height}`,
    );
  }
  return options.channels === undefined ? image : convertChannels(image, options.channels);
}
