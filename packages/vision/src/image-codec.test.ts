import { buildFromConfig, ConfigError, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { convertChannels, toGrayscale, toRgb } from './color-conversion.js';
import { decodeImage } from './decode-image.js';
import { encodeJpeg, encodePng } from './encode-image.js';
import type { Image } from './image.js';
import { ImageCodec, registerImageCodec } from './image-codec.js';
import { readImageHeader, sniffImageFormat } from './image-format.js';
import { VisionDataError } from './vision-data-error.js';

const rgb: Image = {
  width: 5,
  height: 3,
  channels: 3,
  data: Uint8Array.from({ length: 45 }, (_, i) => (i * 37) % 256),
};

describe('PNG and JPEG decode/encode', () => {
  it('round-trips gray, RGB and RGBA PNGs exactly and keeps the channel count', () => {
    for (const image of [toGrayscale(rgb), rgb, convertChannels(rgb, 4)]) {
      const bytes = encodePng(image);
      expect(sniffImageFormat(bytes)).toBe('png');
      expect(readImageHeader(bytes)).toMatchObject({ format: 'png', width: 5, height: 3 });
      const back = decodeImage(bytes);
      expect(back.channels).toBe(image.channels);
      expect([...back.data]).toEqual([...image.data]);
    }
  });

  it('decodes a JPEG close to what was encoded and converts channels on request', () => {
    const flat: Image = {
      width: 16,
      height: 16,
      channels: 3,
      data: new Uint8Array(16 * 16 * 3).fill(0).map((_, i) => [200, 100, 50][i % 3] as number),
    };
    const back = decodeImage(encodeJpeg(flat, 95));
    expect(back).toMatchObject({ width: 16, height: 16, channels: 3 });
    for (let i = 0; i < 3; i++)
      expect(Math.abs((back.data[i] as number) - (flat.data[i] as number))).toBeLessThanOrEqual(3);
    const gray = decodeImage(encodeJpeg(flat, 95), { channels: 1 });
    expect(gray.channels).toBe(1);
    // BT.601 luma of (200, 100, 50) = 124.2
    expect(Math.abs((gray.data[0] as number) - 124)).toBeLessThanOrEqual(3);
  });

  it('converts gray ⇄ RGB with BT.601 luma', () => {
    const px: Image = { width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0]) };
    expect([...toGrayscale(px).data]).toEqual([76]);
    expect([...toRgb(toGrayscale(px)).data]).toEqual([76, 76, 76]);
    expect([...convertChannels(px, 4).data]).toEqual([255, 0, 0, 255]);
  });

  it('names unsupported formats: GIF, BMP, WebP, TIFF and unknown bytes', () => {
    const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
    const cases: [number[], string][] = [
      [ascii('GIF89a\x01\x00\x01\x00'), 'GIF'],
      [ascii('BM\x3a\x00\x00\x00\x00\x00'), 'BMP'],
      [[...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBPVP8 ')], 'WEBP'],
      [[0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0], 'TIFF'],
      [ascii('hello, world'), 'unrecognised'],
    ];
    for (const [bytes, name] of cases) {
      const error = thrown(() => decodeImage(Uint8Array.from(bytes), { name: 'x.img' }), VisionDataError);
      expect(error.reason).toBe('unsupported-format');
      expect(error.code).toBe('ERR_VISION_DATA_UNSUPPORTED_FORMAT');
      expect(error.message).toContain(name);
      expect(error.message).toContain('x.img');
    }
  });

  it('refuses empty files, zero-sized and huge images before decoding, and damaged ones', () => {
    expect(thrown(() => decodeImage(new Uint8Array(0)), VisionDataError).reason).toBe('empty');
    const png = encodePng(rgb);
    const zero = png.slice();
    new DataView(zero.buffer).setUint32(16, 0); // IHDR width = 0
    expect(thrown(() => decodeImage(zero), VisionDataError).reason).toBe('empty');
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    const tooLarge = thrown(() => decodeImage(huge), VisionDataError);
    expect(tooLarge.reason).toBe('too-large');
    expect(tooLarge.message).toContain('10000000000 pixels');
    expect(thrown(() => decodeImage(png, { maxPixels: 14 }), VisionDataError).reason).toBe('too-large');
    expect(thrown(() => decodeImage(png.subarray(0, 20)), VisionDataError).reason).toBe('truncated');
    const damaged = png.slice();
    damaged.fill(7, 40);
    expect(thrown(() => decodeImage(damaged), VisionDataError).reason).toBe('corrupt');
    const jpeg = encodeJpeg(rgb);
    expect(['corrupt', 'truncated']).toContain(
      thrown(() => decodeImage(jpeg.subarray(0, jpeg.length >> 1)), VisionDataError).reason,
    );
    expect(thrown(() => decodeImage(png, { maxPixels: 0 }), ConfigError).field).toBe('maxPixels');
  });

  it('rejects malformed images given to the encoders with a ShapeError', () => {
    expect(thrown(() => encodePng({ ...rgb, data: new Uint8Array(3) }), ShapeError).argument).toBe('image.data');
    expect(thrown(() => encodePng({ ...rgb, channels: 2 as never }), ShapeError).argument).toBe('image.channels');
  });
});

describe('ImageCodec', () => {
  it('encodes any image to the model size and back, and is rebuilt from its JSON by the registry', () => {
    const codec = new ImageCodec({ width: 4, height: 2, channels: 1, stats: { mean: [0.5], std: [0.25] } });
    const encoded = codec.encode(rgb);
    expect(encoded.length).toBe(codec.frameSize);
    expect(encoded.length).toBe(8);
    registerImageCodec();
    const rebuilt = buildFromConfig<ImageCodec>('codec', codec.toJSON());
    expect(rebuilt.toJSON()).toEqual(codec.toJSON());
    const decoded = rebuilt.decode(encoded);
    expect(decoded).toMatchObject({ width: 4, height: 2, channels: 1 });
    // encode → decode is the resized gray image, up to rounding.
    const expected = Array.from(encoded, (v) => Math.round((v * 0.25 + 0.5) * 255));
    expect([...decoded.data]).toEqual(expected);
    expect(thrown(() => codec.decode(new Float32Array(3)), ShapeError).argument).toBe('encoded');
    expect(
      thrown(() => new ImageCodec({ width: 4, height: 2, stats: { mean: [0], std: [0] } }), ConfigError).field,
    ).toBe('normalize.std');
    expect(thrown(() => ImageCodec.fromJSON({ type: 'image', version: 9 }), ConfigError).field).toBe('version');
  });
});
