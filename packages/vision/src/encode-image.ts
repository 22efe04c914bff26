import { assertInRange } from '@seqgen/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { convertChannels } from './color-conversion.js';
import type { Image } from './image.js';
import { assertImage } from './image.js';

const PNG_COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** Encodes an 8-bit image as PNG bytes (gray, RGB or RGBA, as the image is) through `pngjs`. */
export function encodePng(image: Image): Uint8Array {
  assertImage(image);
  const colorType = PNG_COLOR_TYPE[image.channels];
  const png = new pngjs.PNG({ width: image.width, height: image.height, colorType, inputColorType: colorType });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const buffer = pngjs.PNG.sync.write(png, { colorType, inputColorType: colorType });
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Encodes an image as baseline JPEG bytes through `jpeg-js`; `quality` in [1, 100], default 90. Alpha is dropped. */
export function encodeJpeg(image: Image, quality = 90): Uint8Array {
  assertImage(image);
  assertInRange('quality', quality, 1, 100);
  const rgba = convertChannels(image, 4);
  const encoded = jpeg.encode({ width: image.width, height: image.height, data: rgba.data }, quality);
  return new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength);
}
