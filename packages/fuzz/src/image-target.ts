import { gzipSync } from 'node:zlib';
import {
  convertChannels,
  decodeImage,
  encodeJpeg,
  encodePng,
  type Image,
  imageAt,
  loadFashionMnist,
  parseIdx,
  resizeImage,
} from '@seqgen/vision';
import type { Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import { isTypedError } from './typed-error.js';

/** The first byte of an input picks the parser; the rest is the file. */
const PARSERS = ['image (PNG/JPEG)', 'idx'] as const;

/** A little structured image for when Fashion-MNIST is not installed. */
function pattern(width: number, height: number): Image {
  return { width, height, channels: 1, data: Uint8Array.from({ length: width * height }, (_, i) => (i * 37) % 251) };
}

/** idx bytes (unsigned-byte type) of `[count, 28, 28]` pixels or `[count]` labels. */
function idxBytes(shape: number[], values: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, shape.length);
  shape.forEach((s, i) => {
    header.setUint32(4 + 4 * i, s);
  });
  const out = new Uint8Array(header.byteLength + values.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(values, header.byteLength);
  return out;
}

/**
 * Real Fashion-MNIST images (Debian `dataset-fashion-mnist`; a synthetic
 * pattern where it is absent) written by @seqgen/vision's `encodePng` (gray,
 * RGB, RGBA) and `encodeJpeg`, and idx files of three of them (plain and
 * gzip), each behind its parser's selector byte.
 */
export async function imageSeeds(): Promise<Seed[]> {
  let images: Image[];
  try {
    const set = await loadFashionMnist('test', { limit: 3 });
    images = [0, 1, 2].map((i) => imageAt(set, i));
  } catch {
    images = [pattern(28, 28), pattern(12, 9), pattern(5, 7)];
  }
  const tag = (parser: number, bytes: Uint8Array) => Uint8Array.from([parser, ...bytes]);
  const first = images[0] as Image;
  const pixels = new Uint8Array(images.reduce((n, im) => n + im.data.length, 0));
  for (const [i, im] of images.entries()) pixels.set(im.data, i * first.data.length);
  const idx = idxBytes([3, first.height, first.width], pixels);
  return [
    { name: 'png: gray', bytes: tag(0, encodePng(first)) },
    { name: 'png: rgb', bytes: tag(0, encodePng(convertChannels(images[1] as Image, 3))) },
    { name: 'png: rgba', bytes: tag(0, encodePng(convertChannels(images[2] as Image, 4))) },
    { name: 'jpeg: q90', bytes: tag(0, encodeJpeg(first)) },
    { name: 'jpeg: q30 rgb', bytes: tag(0, encodeJpeg(convertChannels(images[1] as Image, 3), 30)) },
    { name: 'idx: 3 images', bytes: tag(1, idx) },
    { name: 'idx: 3 images, gzip', bytes: tag(1, gzipSync(idx)) },
    { name: 'idx: labels', bytes: tag(1, idxBytes([3], Uint8Array.from([9, 2, 1]))) },
  ];
}

/**
 * @seqgen/vision's image decoders and idx reader: `decodeImage` (pngjs and
 * jpeg-js behind the magic-byte sniffing and header checks) then a resize of
 * what it decoded, or `parseIdx` (gzip or plain). Limits keep hostile sizes
 * cheap: 1 megapixel, 16 MiB of idx data.
 */
export const imageFiles: Target = {
  name: 'image',
  parser: 'decodeImage(<PNG/JPEG bytes>) + resizeImage, or parseIdx(<idx bytes>) (@seqgen/vision)',
  seeds: imageSeeds,
  async parse(input) {
    const parser = PARSERS[(input[0] ?? 0) % PARSERS.length];
    const file = input.subarray(1);
    if (parser === 'idx') {
      parseIdx(file, 'fuzz.idx', { maxBytes: 16 * 2 ** 20 });
      return;
    }
    const image = decodeImage(file, { name: 'fuzz.img', maxPixels: 1_000_000 });
    resizeImage(image, 8, 8);
  },
  isTypedError,
};
